package org.paneld.daemon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.paneld.daemon.Drivers;
import org.paneld.drivers.core.Driver;
import org.paneld.drivers.pixel.RgbImage;

/**
 * Every registered driver end to end, as a new user would use it: a config with one virtual
 * panel per driver (only the keys a user must write), one daemon, then for each panel
 * {@code panelctl info}, {@code panelctl draw} of a panel-sized PNG and {@code panelctl snapshot}
 * — which must equal the PNG after the panel's colour depth. The list comes from
 * {@link Drivers#all()}: registering a driver adds its case.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DriversE2EIT {
    /** Keys a user must add for some drivers (beyond name, driver, backend). */
    static Map<String, List<String>> extraKeys(Path dir) throws Exception {
        Map<String, List<String>> m = new LinkedHashMap<>();
        Path init = dir.resolve("panel.bin");
        Files.write(init, initFile());
        m.put("panel-mipi-dbi", List.of("width = 240", "height = 320", "init_file = \"" + init + "\""));
        // e-paper: the threshold conversion is what PanelImages.onPanel expects for MONO
        m.put("repaper", List.of("panel = \"e2200cs021\"", "dither = \"threshold\""));
        return m;
    }

    /** A minimal panel-mipi-dbi firmware file: magic, version 1, then SLPOUT, sleep, COLMOD 16 bit, MADCTL, DISPON. */
    static byte[] initFile() {
        byte[] magic = {'M', 'I', 'P', 'I', ' ', 'D', 'B', 'I', 0, 0, 0, 0, 0, 0, 0, 1};
        byte[] body = {0x11, 0, 0x00, 1, 5, 0x3A, 1, 0x55, 0x36, 1, 0x00, 0x29, 0};
        byte[] all = new byte[magic.length + body.length];
        System.arraycopy(magic, 0, all, 0, magic.length);
        System.arraycopy(body, 0, all, magic.length, body.length);
        return all;
    }

    Path dir;
    DaemonProcess daemon;
    Ctl ctl;

    static Stream<String> drivers() {
        return Drivers.all().stream().map(Driver::name);
    }

    static String panelName(String driver) {
        return "p-" + driver;
    }

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("paneld-drivers");
        Path socket = dir.resolve("paneld.sock");
        Map<String, List<String>> extra = extraKeys(dir);
        StringBuilder cfg = new StringBuilder("[server]\nsocket = \"" + socket + "\"\n[usb]\nhotplug = false\n");
        for (Driver d : Drivers.all()) {
            cfg.append("\n[[panel]]\nname = \"").append(panelName(d.name())).append("\"\ndriver = \"").append(d.name())
                    .append("\"\nbackend = \"virtual\"\n");
            for (String l : extra.getOrDefault(d.name(), List.of())) {
                cfg.append(l).append('\n');
            }
        }
        Path file = dir.resolve("paneld.toml");
        Files.writeString(file, cfg);
        daemon = DaemonProcess.start(dir, Map.of(), "--config", file.toString());
        daemon.awaitReady();
        ctl = new Ctl(socket);
    }

    @AfterAll
    void stop() throws Exception {
        if (daemon != null) {
            try {
                assertEquals(0, daemon.terminate(java.time.Duration.ofSeconds(30)), daemon.logText());
            } finally {
                daemon.close();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("drivers")
    void drawThenSnapshotEqualsThePicture(String driver) throws Exception {
        String name = panelName(driver);
        Ctl.Result info = ctl.run("info", name);
        assertEquals(0, info.code(), info + "\nlog:\n" + daemon.logText());
        Map<String, String> kv = new LinkedHashMap<>();
        for (String l : info.lines()) {
            int eq = l.indexOf('=');
            kv.put(l.substring(0, eq), l.substring(eq + 1));
        }
        assertEquals(driver, kv.get("driver"));
        assertEquals("connected", kv.get("state"));
        int w = Integer.parseInt(kv.get("width"));
        int h = Integer.parseInt(kv.get("height"));
        RgbImage img = PanelImages.pattern(w, h, driver.length());
        Path png = dir.resolve(name + "-in.png");
        img.writePng(png);
        Ctl.Result draw = ctl.run("draw", name, png.toString());
        assertEquals(0, draw.code(), draw.toString());
        Path out = dir.resolve(name + "-out.png");
        Ctl.Result snap = ctl.run("snapshot", name, out.toString());
        assertEquals(0, snap.code(), snap.toString());
        RgbImage shown = RgbImage.readImage(out);
        assertNull(PanelImages.onPanel(img, kv.get("panel_format")).firstDifference(shown),
                driver + " (" + kv.get("panel_format") + ") shows something else");
    }

}
