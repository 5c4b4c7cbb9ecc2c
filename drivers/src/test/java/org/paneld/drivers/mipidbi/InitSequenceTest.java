package org.paneld.drivers.mipidbi;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.paneld.drivers.core.BusDevice;
import org.paneld.drivers.core.DeviceConfig;
import org.paneld.drivers.core.VirtualHardware;
import org.paneld.drivers.spi.Sleeper;
import org.paneld.drivers.testkit.LifecycleKit;
import org.paneld.drivers.virtual.DbiCommand;
import org.paneld.drivers.virtual.DbiModel;
import org.paneld.drivers.virtual.VirtualDbiPanel;

/**
 * The command stream each driver sends at enable, as the emulator logged it, equals the kernel
 * driver's: mi0283qt byte for byte as REFERENCE.md lists it, the others as drivers/gpu/drm/tiny/
 * *.c (and fbtft's fb_st7789v.c) send them; the waits between them as the kernel's msleeps; the
 * conditional reset skips the init when the panel reads back as on.
 */
class InitSequenceTest {
    @RegisterExtension
    final LifecycleKit kit = new LifecycleKit(Panels.allDrivers());

    private final List<Long> sleeps = new ArrayList<>();

    private VirtualDbiPanel bind(String driver, DbiModel model, Object... config) throws Exception {
        VirtualDbiPanel panel = new VirtualDbiPanel(model);
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("driver", driver);
        m.put("backend", "virtual");
        for (int i = 0; i + 1 < config.length; i += 2) {
            m.put((String) config[i], config[i + 1]);
        }
        BusDevice bd = new BusDevice("lcd0", driver, new DeviceConfig("test", m));
        bd.attach(VirtualHardware.class, panel);
        bd.attach(Sleeper.class, sleeps::add);
        kit.add(bd);
        kit.bind("lcd0");
        return panel;
    }

    /** The logged commands up to the first CASET (the black frame after the init). */
    static List<String> initPart(VirtualDbiPanel panel) {
        List<String> out = new ArrayList<>();
        for (DbiCommand c : panel.commandLog()) {
            if (c.code() == 0x2A) {
                break;
            }
            out.add(c.toString());
        }
        return out;
    }

    private static List<String> seq(String... commands) {
        return List.of(commands);
    }

    @Test
    void mi0283qtSendsTheReferenceSequenceByteForByte() throws Exception {
        VirtualDbiPanel panel = bind("mi0283qt", DbiModel.mi0283qt());
        assertEquals(seq("read 0A -> 08", "RESET", "01", "28", "CF 00 83 30", "ED 64 03 12 81", "E8 85 01 79",
                "CB 39 2C 00 34 02", "F7 20", "EA 00 00", "C0 26", "C1 11", "C5 35 3E", "C7 BE", "3A 55", "36 E8",
                "B1 00 1B", "F2 08", "26 01",
                "E0 1F 1A 18 0A 0F 06 45 87 32 0A 07 02 07 05 00",
                "E1 00 25 27 05 10 09 3A 78 4D 05 18 0D 38 3A 1F",
                "B7 07", "B6 0A 82 27 00", "11", "29"), initPart(panel));
        // reset low 20 µs, 120 ms after reset, 5 ms after SWRESET, 100 ms after 11 and after 29
        assertEquals(List.of(20L, 120_000L, 5_000L, 100_000L, 100_000L), sleeps);
        panel.assertNoViolations();
    }

    @Test
    void yx240qv29SendsTheKernelIli9341TableByteForByte() throws Exception {
        // drivers/gpu/drm/tiny/ili9341.c, yx240qv29_enable, then MADCTL (out_enable)
        List<String> kernel = seq("28", "CF 00 C1 30", "ED 64 03 12 81", "E8 85 00 78", "CB 39 2C 00 34 02", "F7 20",
                "EA 00 00", "C0 23", "C1 10", "C5 3E 28", "C7 86", "3A 55", "B1 00 1B", "F2 00", "26 01",
                "E0 0F 31 2B 0C 0E 08 4E F1 37 07 10 03 0E 09 00",
                "E1 00 0E 14 03 11 07 31 C1 48 08 0F 0C 31 36 0F",
                "B7 07", "B6 08 82 27 00", "11", "29");
        int[] madctl = {0x48, 0x28, 0x88, 0xE8}; // 0° MX, 90° MV, 180° MY, 270° MV|MY|MX, all | BGR
        for (int r = 0; r < 4; r++) {
            sleeps.clear();
            VirtualDbiPanel panel = bind("yx240qv29", DbiModel.yx240qv29(), "rotation", r * 90);
            List<String> want = new ArrayList<>(seq("read 0A -> 08", "RESET", "01"));
            want.addAll(kernel);
            want.add(String.format("36 %02X", madctl[r]));
            assertEquals(want, initPart(panel), "rotation " + r * 90);
            assertEquals(List.of(20L, 120_000L, 5_000L, 100_000L, 100_000L), sleeps);
            panel.assertNoViolations();
            kit.bus().unbind("lcd0");
            kit.bus().remove("lcd0");
        }
    }

    @Test
    void mi0283qtMadctlPerRotationIsTheReferenceTable() throws Exception {
        int[] expected = {0xE8, 0x88, 0x28, 0x48}; // 0° MV|MY|MX, 90° MY, 180° MV, 270° MX, all | BGR
        for (int r = 0; r < 4; r++) {
            VirtualDbiPanel panel = bind("mi0283qt", DbiModel.mi0283qt(), "rotation", r * 90);
            assertTrue(initPart(panel).contains(String.format("36 %02X", expected[r])), initPart(panel).toString());
            kit.bus().unbind("lcd0");
            kit.bus().remove("lcd0");
        }
    }

    @Test
    void st7735rSendsTheKernelSequence() throws Exception {
        VirtualDbiPanel panel = bind("jd-t18003-t01", DbiModel.st7735r());
        assertEquals(seq("RESET", "01", "11", "B1 01 2C 2D", "B2 01 2C 2D", "B3 01 2C 2D 01 2C 2D", "B4 07",
                "C0 A2 02 84", "C1 C5", "C2 0A 00", "C3 8A 2A", "C4 8A EE", "C5 0E", "20", "36 C0", "3A 05",
                "E0 02 1C 07 12 37 32 29 2D 29 25 2B 39 00 01 03 10",
                "E1 03 1D 07 06 2E 2C 29 2D 2E 2E 37 3F 00 00 02 10", "29", "13"), initPart(panel));
        assertEquals(List.of(20L, 120_000L, 5_000L, 150_000L, 500_000L, 100_000L, 20_000L), sleeps);
        panel.assertNoViolations();
    }

    @Test
    void rh128128tSetsTheRgbBitAndReadsThePowerMode() throws Exception {
        VirtualDbiPanel panel = bind("rh128128t", DbiModel.rh128128t());
        List<String> init = initPart(panel);
        assertFalse(init.get(0).startsWith("read"), "the kernel's st7735r resets unconditionally: " + init);
        assertTrue(init.contains("36 C8"), init.toString());
    }

    @Test
    void ili9486SendsTheKernelSequenceThroughTheShiftRegister() throws Exception {
        VirtualDbiPanel panel = bind("ili9486", DbiModel.ili9486Waveshare());
        assertEquals(seq("RESET", "01", "B0", "11", "3A 55", "C2 44", "C5 00 00 00 00",
                "E0 0F 1F 1C 0C 0F 08 48 98 37 0A 13 04 11 0D 00",
                "E1 0F 32 2E 0B 0D 05 47 75 37 06 10 03 24 20 00",
                "E2 0F 32 2E 0B 0D 05 47 75 37 06 10 03 24 20 00", "29", "36 E8"), initPart(panel));
        assertEquals(List.of(20L, 120_000L, 5_000L, 250_000L, 100_000L), sleeps);
        panel.assertNoViolations();
    }

    @Test
    void hx8357dSendsTheKernelSequence() throws Exception {
        VirtualDbiPanel panel = bind("hx8357d", DbiModel.hx8357d());
        assertEquals(seq("read 0A -> 08", "RESET", "01", "B9 FF 83 57", "B3 00 00 06 06", "B6 25", "B0 68", "CC 05",
                "B1 00 15 1C 1C 83 AA", "C0 50 50 01 3C 1E 08", "B3 02 40 00 2A 2A 0D 78",
                "E0 02 0A 11 1D 23 35 41 4B 4B 42 3A 27 1B 08 09 03 02 0A 11 1D 23 35 41 4B 4B 42 3A 27 1B 08 09 03 00 01",
                "3A 05", "35 00", "44 00 02", "11", "29", "36 C0"), initPart(panel));
        assertEquals(List.of(20L, 120_000L, 5_000L, 150_000L, 150_000L, 5_000L), sleeps);
        panel.assertNoViolations();
    }

    @Test
    void st7789vSendsTheFbtftSequence() throws Exception {
        VirtualDbiPanel panel = bind("st7789v", DbiModel.st7789v());
        assertEquals(seq("read 0A -> 08", "RESET", "01", "11", "3A 55", "B2 08 08 00 22 22", "B7 35", "C2 01 FF",
                "C3 0B", "C4 20", "BB 20", "C5 20", "D0 A4 A1", "21", "29", "36 00",
                "E0 70 2C 2E 15 10 09 48 33 53 0B 19 18 20 25", "E1 70 2C 2E 15 10 09 48 33 53 0B 19 18 20 25"),
                initPart(panel));
        panel.assertNoViolations();
    }

    @Test
    void ili9488SendsEighteenBitSetup() throws Exception {
        VirtualDbiPanel panel = bind("ili9488", DbiModel.ili9488());
        assertEquals(seq("read 0A -> 08", "RESET", "01", "28",
                "E0 00 03 09 08 16 0A 3F 78 4C 09 0A 08 16 1A 0F", "E1 00 16 19 03 0F 05 32 45 46 04 0E 0D 35 37 0F",
                "C0 17 15", "C1 41", "C5 00 12 80", "3A 66", "B0 80", "B1 A1", "B4 02", "E9 00", "F7 A9 51 2C 82",
                "11", "13", "29", "36 48"), initPart(panel));
        panel.assertNoViolations();
    }

    @Test
    void conditionalResetSkipsTheInitWhenThePanelReadsBackOn() throws Exception {
        VirtualDbiPanel panel = bind("mi0283qt", DbiModel.mi0283qt());
        org.paneld.drivers.pixel.Framebuffer fb = Panels.framebuffer(320, 240,
                org.paneld.drivers.pixel.PixelFormat.XRGB8888, 4);
        kit.device("lcd0").flush(fb, fb.bounds());
        org.paneld.drivers.pixel.RgbImage before = panel.snapshot();
        // the daemon dies without switching the panel off: the controller stays powered and on
        kit.bus().binding("lcd0").orElseThrow().yank();
        panel.clearCommandLog();
        kit.bind("lcd0");
        assertEquals(seq("read 0A -> 9C", "36 E8"), initPart(panel), "no reset, no init, MADCTL re-sent");
        assertEquals(before, panel.snapshot(), "what was shown stays (no black frame)");
        // an orderly unbind switches the display off: the next bind initialises again
        kit.bus().unbind("lcd0");
        panel.clearCommandLog();
        kit.bind("lcd0");
        List<String> init = initPart(panel);
        assertEquals("RESET", init.get(1), init.toString());
        panel.assertNoViolations();
    }
}
