package org.paneld.daemon.it;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The whole path of a real touch controller's emulator in a paneld process: a virtual mi0283qt
 * with the Watterott board's ADS7846 ({@code [panel.touch]} driver, irq_gpio, noise, calibration
 * from the TOML file), {@code panelctl tap} and {@code swipe} press the emulated chip's finger, the
 * drivers' touch controller samples it on the panel's virtual SPI bus, and the events come back
 * where the finger was (within 2 pixels). Under 20 s.
 */
class TouchChipCtlIT {
    /** The emulated board's raw axes at rotation 0, inverted by hand (the test's oracle): tslib numbers. */
    static final String CALIBRATION = "[0, 5697, -1196265, -4425, 0, 16902020, 65536]";

    private static int field(String line, String key) {
        for (String part : line.split(" ")) {
            if (part.startsWith(key + "=")) {
                return Integer.parseInt(part.substring(key.length() + 1));
            }
        }
        throw new AssertionError("no " + key + " in " + line);
    }

    private static void near(String line, int x, int y) {
        assertTrue(Math.abs(field(line, "x") - x) <= 2 && Math.abs(field(line, "y") - y) <= 2,
                "expected near " + x + "," + y + ": " + line);
    }

    @Test
    void tapAndSwipeThroughTheEmulatedAds7846() throws Exception {
        Path dir = Files.createTempDirectory("paneld-touchchip");
        Path socket = dir.resolve("paneld.sock");
        Path file = dir.resolve("paneld.toml");
        Files.writeString(file, "[server]\nsocket = \"" + socket + "\"\n[usb]\nhotplug = false\n"
                + "[[panel]]\nname = \"lcd0\"\ndriver = \"mi0283qt\"\nbackend = \"virtual\"\n"
                + "[panel.touch]\ndriver = \"ads7846\"\nspi_cs = 1\nirq_gpio = 25\nnoise = 8\ncalibration = " + CALIBRATION + "\n");
        try (DaemonProcess daemon = DaemonProcess.start(dir, Map.of(), "--config", file.toString())) {
            daemon.awaitReady();
            Ctl ctl = new Ctl(socket);
            Ctl.Result info = ctl.run("info", "lcd0");
            assertTrue(info.lines().contains("touch=1"), info.toString());
            Ctl.Result tap = ctl.run("tap", "lcd0", "100", "120");
            assertEquals(0, tap.code(), tap.toString());
            List<String> t = tap.lines();
            assertTrue(t.get(0).startsWith("down "), tap.toString());
            near(t.get(0), 100, 120);
            assertTrue(t.get(t.size() - 1).startsWith("up "), tap.toString());
            Ctl.Result swipe = ctl.run("swipe", "lcd0", "20", "20", "300", "220", "--steps", "6", "--duration-ms", "120");
            assertEquals(0, swipe.code(), swipe.toString());
            List<String> s = swipe.lines();
            assertTrue(s.get(0).startsWith("down "), swipe.toString());
            near(s.get(0), 20, 20);
            assertTrue(s.size() > 2 && s.get(1).startsWith("move "), swipe.toString());
            assertTrue(s.get(s.size() - 1).startsWith("up "), swipe.toString());
            // every report is at one of the swipe's points (the chip samples every 3 ms: a lift right
            // after the last step may come before the chip saw it, and the UP repeats the last report)
            for (String line : s) {
                boolean onPath = false;
                for (int i = 0; i <= 6; i++) {
                    int x = 20 + 280 * i / 6, y = 20 + 200 * i / 6;
                    onPath |= Math.abs(field(line, "x") - x) <= 2 && Math.abs(field(line, "y") - y) <= 2;
                }
                assertTrue(onPath, "not at a point of the swipe: " + line + "\n" + swipe);
            }
            assertEquals(0, daemon.terminate(Duration.ofSeconds(20)), daemon.logText());
        }
    }
}
