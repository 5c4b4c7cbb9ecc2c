package org.paneld.drivers.mipidbi;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.paneld.drivers.core.BusDevice;
import org.paneld.drivers.core.ConfigException;
import org.paneld.drivers.core.DeviceConfig;
import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.core.Errno;
import org.paneld.drivers.core.VirtualHardware;
import org.paneld.drivers.pixel.Framebuffer;
import org.paneld.drivers.pixel.PixelFormat;
import org.paneld.drivers.spi.Sleeper;
import org.paneld.drivers.testkit.LifecycleKit;
import org.paneld.drivers.testkit.PixelOracle;
import org.paneld.drivers.virtual.DbiModel;
import org.paneld.drivers.virtual.VirtualDbiPanel;

/**
 * panel-mipi-dbi: a kernel-format init file is replayed exactly (entries and delays), pictures
 * show right in both formats and every rotation (the file carrying the MADCTL), and bad files
 * are refused with the file and the byte offset in the message, leaving the device unbound.
 */
class PanelMipiDbiTest {
    @RegisterExtension
    final LifecycleKit kit = new LifecycleKit(Panels.allDrivers());

    @TempDir
    Path dir;

    private final List<Long> sleeps = new ArrayList<>();

    /** A kernel-format file: magic, version 1, then command, count, parameters (00 01 N = delay N ms). */
    static byte[] file(int[]... entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {'M', 'I', 'P', 'I', ' ', 'D', 'B', 'I', 0, 0, 0, 0, 0, 0, 0, 1});
        for (int[] e : entries) {
            out.write(e[0]);
            out.write(e.length - 1);
            for (int i = 1; i < e.length; i++) {
                out.write(e[i]);
            }
        }
        return out.toByteArray();
    }

    private Path write(String name, byte[] data) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, data);
        return p;
    }

    private VirtualDbiPanel bind(DbiModel model, Object... config) throws Exception {
        VirtualDbiPanel panel = new VirtualDbiPanel(model);
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("driver", "panel-mipi-dbi");
        m.put("backend", "virtual");
        for (int i = 0; i + 1 < config.length; i += 2) {
            m.put((String) config[i], config[i + 1]);
        }
        BusDevice bd = new BusDevice("lcd0", "panel-mipi-dbi", new DeviceConfig("test panel 'lcd0'", m));
        bd.attach(VirtualHardware.class, panel);
        bd.attach(Sleeper.class, sleeps::add);
        kit.add(bd);
        kit.bind("lcd0");
        return panel;
    }

    @Test
    void theFileIsReplayedExactly() throws Exception {
        Path f = write("panel.bin", file(new int[] {0x11}, new int[] {0x00, 120}, new int[] {0x3A, 0x55},
                new int[] {0x36, 0x00}, new int[] {0xB1, 0x01, 0x2C, 0x2D}, new int[] {0x13}, new int[] {0x29},
                new int[] {0x00, 100}));
        VirtualDbiPanel panel = bind(DbiModel.generic(240, 320), "width", 240, "height", 320,
                "init_file", f.toString());
        assertEquals(List.of("read 0A -> 08", "RESET", "01", "11", "3A 55", "36 00", "B1 01 2C 2D", "13", "29"),
                InitSequenceTest.initPart(panel));
        assertEquals(List.of(20L, 120_000L, 5_000L, 120_000L, 100_000L), sleeps, "reset waits, then the file's delays");
        panel.assertNoViolations();
    }

    @Test
    void bothFormatsAndEveryRotationShowThePicture() throws Exception {
        for (String format : new String[] {"r5g6b5", "b6x2g6x2r6x2"}) {
            for (int rotation : new int[] {0, 90, 180, 270}) {
                DbiModel model = DbiModel.generic(240 + 4, 320 + 6).toBuilder()
                        .glass(4, 6, 240, 320).build();
                boolean rgb666 = format.startsWith("b6");
                int madctl = model.madctlFor(rotation) | (rgb666 ? 0x08 : 0); // B,G,R bytes on RGB glass: BGR bit
                int[] off = model.ramOffset(madctl);
                Path f = write("p" + format + rotation + ".bin", file(new int[] {0x11}, new int[] {0x00, 120},
                        new int[] {0x3A, rgb666 ? 0x66 : 0x55}, new int[] {0x36, madctl}, new int[] {0x29}));
                VirtualDbiPanel panel = bind(model, "width", 240, "height", 320, "init_file", f.toString(),
                        "format", format, "rotation", rotation, "left_offset", off[0], "top_offset", off[1]);
                var dev = kit.device("lcd0");
                int w = dev.info().width(), h = dev.info().height();
                assertEquals(rotation % 180 == 0 ? 240 : 320, w);
                assertEquals(rgb666 ? "RGB666" : "RGB565", dev.info().panelFormat());
                Framebuffer fb = Panels.framebuffer(w, h, PixelFormat.XRGB8888, 7);
                dev.flush(fb, fb.bounds());
                WireFormat wire = rgb666 ? WireFormat.BGR666 : WireFormat.RGB565_BE;
                String diff = Panels.expected(fb, wire).firstDifference(panel.snapshot(rotation));
                assertNull(diff, format + " at " + rotation + ": " + diff);
                Framebuffer fb2 = Panels.framebuffer(w, h, PixelFormat.RGB565, 8);
                org.paneld.drivers.pixel.Rect part = new org.paneld.drivers.pixel.Rect(5, 7, 33, 21);
                dev.flush(fb2, part);
                // the partial flush: the second picture inside the rectangle, the first one around it
                // (the window math of every rotation and offset; expectations from PixelOracle)
                var after = org.paneld.drivers.pixel.RgbImage.blank(w, h);
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        boolean inside = x >= 5 && x < 5 + 33 && y >= 7 && y < 7 + 21;
                        after.set(x, y, PixelOracle.shown(inside ? fb2 : fb, x, y, rgb666));
                    }
                }
                diff = after.firstDifference(panel.snapshot(rotation));
                assertNull(diff, format + " at " + rotation + ", after the partial flush of " + part + ": " + diff);
                panel.assertNoViolations();
                kit.bus().unbind("lcd0");
                kit.bus().remove("lcd0");
            }
        }
    }

    private void assertRefused(byte[] data, String name, String... fragments) throws Exception {
        Path f = write(name, data);
        DeviceConfig cfg = DeviceConfig.of("/etc/paneld/paneld.toml, panel 'lcd0'", "driver", "panel-mipi-dbi",
                "backend", "virtual", "width", 240, "height", 320, "init_file", f.toString());
        ConfigException e = assertThrows(ConfigException.class, () -> new PanelMipiDbiDriver().validate(cfg));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("init_file"), e.getMessage());
        for (String frag : fragments) {
            assertTrue(e.getMessage().contains(frag), "'" + frag + "' not in: " + e.getMessage());
        }
        // binding refuses too, and the device stays unbound
        BusDevice bd = new BusDevice("bad-" + name, "panel-mipi-dbi", cfg);
        bd.attach(VirtualHardware.class, new VirtualDbiPanel(DbiModel.generic(240, 320)));
        kit.add(bd);
        DeviceException de = assertThrows(DeviceException.class, () -> kit.bind(bd.name()));
        assertEquals(Errno.EINVAL, de.errno());
        assertTrue(de.getMessage().contains(f.toString()), de.getMessage());
        assertTrue(kit.bus().binding(bd.name()).isEmpty());
    }

    @Test
    void badFilesAreRefusedNamingTheFileAndTheByteOffset() throws Exception {
        byte[] good = file(new int[] {0x11}, new int[] {0x29});
        byte[] magic = good.clone();
        magic[3] = 'X';
        assertRefused(magic, "magic.bin", "byte 3", "magic");
        byte[] version = good.clone();
        version[15] = 2;
        assertRefused(version, "version.bin", "byte 15", "version 2");
        byte[] truncated = java.util.Arrays.copyOf(file(new int[] {0x11}, new int[] {0xB1, 1, 2, 3}), 16 + 2 + 4);
        assertRefused(truncated, "truncated.bin", "byte 19");
        byte[] trailing = java.util.Arrays.copyOf(good, good.length + 1);
        trailing[good.length] = 0x29;
        assertRefused(trailing, "trailing.bin", "byte " + good.length, "trailing");
        assertRefused(new byte[0], "empty.bin", "byte 0", "empty");
    }

    @Test
    void missingFileAndMissingKeysAreConfigErrors() {
        DeviceConfig noFile = DeviceConfig.of("cfg", "driver", "panel-mipi-dbi", "backend", "virtual", "width", 240,
                "height", 320, "init_file", dir.resolve("nope.bin").toString());
        ConfigException e = assertThrows(ConfigException.class, () -> new PanelMipiDbiDriver().validate(noFile));
        assertTrue(e.getMessage().contains("nope.bin"), e.getMessage());
        DeviceConfig noWidth = DeviceConfig.of("cfg", "driver", "panel-mipi-dbi", "backend", "virtual", "height", 320,
                "init_file", "x.bin");
        e = assertThrows(ConfigException.class, () -> new PanelMipiDbiDriver().validate(noWidth));
        assertTrue(e.getMessage().contains("'width'"), e.getMessage());
        DeviceConfig badFormat = DeviceConfig.of("cfg", "driver", "panel-mipi-dbi", "backend", "virtual", "width", 240,
                "height", 320, "init_file", "x.bin", "format", "rgb888");
        e = assertThrows(ConfigException.class, () -> new PanelMipiDbiDriver().validate(badFormat));
        assertTrue(e.getMessage().contains("'format'"), e.getMessage());
    }
}
