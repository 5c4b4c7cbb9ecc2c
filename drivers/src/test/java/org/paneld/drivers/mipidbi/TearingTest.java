package org.paneld.drivers.mipidbi;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.paneld.drivers.core.BusDevice;
import org.paneld.drivers.core.ConfigException;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.core.DeviceConfig;
import org.paneld.drivers.core.VirtualHardware;
import org.paneld.drivers.pixel.Framebuffer;
import org.paneld.drivers.pixel.PixelFormat;
import org.paneld.drivers.pixel.Rect;
import org.paneld.drivers.spi.Sleeper;
import org.paneld.drivers.testkit.LifecycleKit;
import org.paneld.drivers.testkit.PixelOracle;
import org.paneld.drivers.virtual.TornFrame;
import org.paneld.drivers.virtual.DbiCommand;
import org.paneld.drivers.virtual.DbiModel;
import org.paneld.drivers.virtual.VirtualDbiPanel;

/**
 * Tear-free updates on the TE line, judged by the emulator's display scan on a timed wire
 * (62.5 MHz: a full 320x240 frame takes 19.7 ms, longer than the ILI9341's 14.2 ms refresh at
 * its 70 Hz reset rate): N frames of moving bars show torn frames without {@code te_gpio} and
 * none with it, at every rotation (with MV the flush goes out in bands; mirrored rows get MADCTL's
 * ML), pictures still exact; TEON goes out only when configured; a TE line that never moves costs
 * one bounded wait and the flush still lands; bad {@code te_gpio} values are refused by name.
 */
class TearingTest {
    private static final int FRAMES = 24;
    private static final String WHERE = "/etc/paneld/paneld.toml, panel 'lcd0'";

    @RegisterExtension
    final LifecycleKit kit = new LifecycleKit(Panels.allDrivers());

    private VirtualDbiPanel panel;

    private Device bind(DbiModel model, String driver, int rotation, Object... more) throws Exception {
        panel = new VirtualDbiPanel(model);
        panel.setWireTiming(true);
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("name", "lcd0");
        m.put("driver", driver);
        m.put("backend", "virtual");
        m.put("rotation", rotation);
        m.put("spi_speed_hz", 62_500_000);
        for (int i = 0; i + 1 < more.length; i += 2) {
            m.put((String) more[i], more[i + 1]);
        }
        BusDevice bd = new BusDevice("lcd0", driver, new DeviceConfig("test", m));
        bd.attach(VirtualHardware.class, panel);
        bd.attach(Sleeper.class, us -> { }); // the wiring declares every wait to the panel's clock
        kit.add(bd);
        kit.bind("lcd0");
        return kit.device("lcd0");
    }

    /** Frame {@code i}: a vertical and a horizontal bar, each 16 pixels, moving on black. */
    private static Framebuffer bars(int w, int h, int i) {
        Framebuffer fb = Framebuffer.allocate(w, h, PixelFormat.XRGB8888);
        int bx = i * 37 % (w - 16), by = i * 29 % (h - 16);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean on = x >= bx && x < bx + 16 || y >= by && y < by + 16;
                PixelOracle.put(fb, x, y, on ? 0xFFFFFF : 0x000000);
            }
        }
        return fb;
    }

    /** Flushes {@link #FRAMES} frames, letting a varying time pass between them; returns the last frame. */
    private Framebuffer animate(Device dev, long seed) throws Exception {
        Random rnd = new Random(seed);
        Framebuffer fb = null;
        for (int i = 1; i <= FRAMES; i++) {
            fb = bars(dev.info().width(), dev.info().height(), i);
            dev.flush(fb, fb.bounds());
            panel.elapse(rnd.nextInt(20_000_000)); // the client's own pace: up to 20 ms
        }
        return fb;
    }

    private long torn(Device dev, int rotation, boolean te) throws Exception {
        Framebuffer last = animate(dev, 42 + rotation);
        String diff = Panels.expected(last, WireFormat.RGB565_BE).firstDifference(panel.snapshot(rotation));
        assertNull(diff, "rotation " + rotation + (te ? " with" : " without") + " TE: " + diff);
        panel.assertNoViolations();
        assertTrue(panel.writesJudged() >= FRAMES, "every frame judged: " + panel.writesJudged());
        return panel.tornFrameCount();
    }

    @ParameterizedTest(name = "mi0283qt at {0}°")
    @ValueSource(ints = {0, 90, 180, 270})
    void movingBarsTearWithoutTeAndNeverWithIt(int rotation) throws Exception {
        Device plain = bind(DbiModel.mi0283qt(), "mi0283qt", rotation);
        long without = torn(plain, rotation, false);
        kit.bus().unbind("lcd0");
        kit.bus().remove("lcd0");
        assertTrue(without >= FRAMES / 4, "the workload must tear without TE, tore " + without + " of " + FRAMES);

        Device synced = bind(DbiModel.mi0283qt(), "mi0283qt", rotation, "te_gpio", 27);
        long with = torn(synced, rotation, true);
        List<TornFrame> shown = panel.tornFrames();
        assertEquals(0, with, "torn frames with TE (" + without + " without): " + shown);
        TearingSync sync = ((MipiDbiDisplay) synced.display()).tearing();
        assertEquals(0, sync.timeouts());
        assertEquals(panel.refreshPeriodNanos(), sync.periodNanos(), "the period learnt from the TE line");
    }

    /** A 240x240 glass on the ST7789V's 320 scan lines, and the Okaya 128x128 on a 162-line ST7735R. */
    @ParameterizedTest(name = "small glass at {0}°")
    @ValueSource(ints = {0, 90, 180, 270})
    void aGlassSmallerThanTheScanDoesNotTearEither(int rotation) throws Exception {
        Object[][] cases = {
            {DbiModel.st7789v240x240(), "st7789v", new Object[] {"height", 240}},
            {DbiModel.rh128128t(), "rh128128t", new Object[0]},
        };
        for (Object[] c : cases) {
            Object[] more = java.util.Arrays.copyOf((Object[]) c[2], ((Object[]) c[2]).length + 4);
            more[more.length - 4] = "te_gpio";
            more[more.length - 3] = 27;
            more[more.length - 2] = "spi_speed_hz";
            more[more.length - 1] = 16_000_000; // slow enough that a frame takes most of a refresh
            Device dev = bind((DbiModel) c[0], (String) c[1], rotation, more);
            int view = rotation; // both drivers turn the DRM way
            Framebuffer last = animate(dev, 5 + rotation);
            assertEquals(0, panel.tornFrameCount(), c[1] + " at " + rotation + ": " + panel.tornFrames());
            assertNull(Panels.expected(last, WireFormat.RGB565_BE).firstDifference(panel.snapshot(view)));
            panel.assertNoViolations();
            kit.bus().unbind("lcd0");
            kit.bus().remove("lcd0");
        }
    }

    @Test
    void partialDamageStaysBehindTheScanToo() throws Exception {
        Device dev = bind(DbiModel.st7789v(), "st7789v", 0, "te_gpio", 27);
        Random rnd = new Random(7);
        Framebuffer fb = bars(240, 320, 0);
        dev.flush(fb, fb.bounds());
        for (int i = 1; i <= FRAMES; i++) {
            Framebuffer next = bars(240, 320, i);
            int y = rnd.nextInt(200), h = Math.min(320 - y, 40 + rnd.nextInt(120));
            dev.flush(next, new Rect(0, y, 240, h));
            panel.elapse(rnd.nextInt(20_000_000));
        }
        assertEquals(0, panel.tornFrameCount(), "torn frames: " + panel.tornFrames());
        assertTrue(panel.writesJudged() > FRAMES / 2);
        panel.assertNoViolations();
    }

    /** As the daemon serves a virtual panel: wall clock, real waits; TE paces the flushes and never hangs. */
    @Test
    void onTheWallClockAVirtualPanelsTeLinePacesFlushes() throws Exception {
        panel = new VirtualDbiPanel(DbiModel.mi0283qt());
        BusDevice bd = new BusDevice("lcd0", "mi0283qt", DeviceConfig.of("test", "driver", "mi0283qt", "backend",
                "virtual", "rotation", 270, "te_gpio", 27));
        bd.attach(VirtualHardware.class, panel); // no Sleeper attached: real waits, as in the daemon
        kit.add(bd);
        kit.bind("lcd0");
        Device dev = kit.device("lcd0");
        TearingSync sync = ((MipiDbiDisplay) dev.display()).tearing();
        long t0 = System.nanoTime();
        for (int i = 1; i <= 3; i++) {
            Framebuffer fb = bars(240, 320, i);
            dev.flush(fb, fb.bounds());
            assertNull(Panels.expected(fb, WireFormat.RGB565_BE).firstDifference(panel.snapshot(270)));
        }
        assertTrue(System.nanoTime() - t0 < java.util.concurrent.TimeUnit.SECONDS.toNanos(5));
        assertEquals(0, sync.timeouts());
        assertTrue(sync.synced() >= 3, "windows synced: " + sync.synced()); // at 32 MHz a full frame goes in bands
        assertEquals(panel.refreshPeriodNanos(), sync.periodNanos());
        panel.assertNoViolations();
    }

    @Test
    void teonGoesOutOnlyWhenConfigured() throws Exception {
        Device dev = bind(DbiModel.mi0283qt(), "mi0283qt", 90, "te_gpio", 27);
        List<DbiCommand> log = panel.commandLog();
        assertTrue(log.contains(DbiCommand.of(0x35, 0x00)), "TEON (V-blank) in " + log);
        // 90°: MY mirrors the rows, so the refresh is turned bottom to top with ML
        assertTrue(log.contains(DbiCommand.of(0x36, 0x80 | 0x10 | 0x08)), "MADCTL with ML in " + log);
        assertTrue(panel.isTeOn());
        kit.bus().unbind("lcd0");
        kit.bus().remove("lcd0");

        bind(DbiModel.mi0283qt(), "mi0283qt", 90);
        for (DbiCommand c : panel.commandLog()) {
            assertNotEquals(0x35, c.code(), "TEON without te_gpio: " + panel.commandLog());
            if (c.code() == 0x36) {
                assertEquals(0, c.params()[0] & 0x10, "ML without te_gpio: " + c);
            }
        }
        assertFalse(panel.isTeOn());
    }

    @Test
    void aSilentTeLineCostsOneBoundedWaitAndTheFlushLands() throws Exception {
        Device dev = bind(DbiModel.mi0283qt(), "mi0283qt", 270, "te_gpio", 27);
        panel.setTeWired(false); // the TE pad is not connected on this board
        TearingSync sync = ((MipiDbiDisplay) dev.display()).tearing();
        long t0 = panel.nanoTime();
        Framebuffer a = bars(240, 320, 1);
        dev.flush(a, a.bounds());
        long spent = panel.nanoTime() - t0;
        assertEquals(1, sync.timeouts());
        assertTrue(spent < 100_000_000L, "the fallback waited " + spent / 1_000_000 + " ms of panel time");
        assertNull(Panels.expected(a, WireFormat.RGB565_BE).firstDifference(panel.snapshot(270)));
        Framebuffer b = bars(240, 320, 2);
        t0 = panel.nanoTime();
        dev.flush(b, b.bounds());
        assertEquals(1, sync.timeouts(), "within the back-off the line is not waited for again");
        assertTrue(panel.nanoTime() - t0 < 25_000_000L, "no wait in the back-off: " + (panel.nanoTime() - t0));
        assertNull(Panels.expected(b, WireFormat.RGB565_BE).firstDifference(panel.snapshot(270)));
        panel.setTeWired(true);
        panel.elapse(TearingSync.BACKOFF_MS * 1_000_000L);
        Framebuffer c = bars(240, 320, 3);
        dev.flush(c, c.bounds());
        assertEquals(1, sync.timeouts(), "after the back-off the line works again");
        assertTrue(sync.synced() > 0);
        panel.assertNoViolations();
    }

    @Test
    void badTeGpioValuesAreRefusedByName() {
        Mi0283qtDriver d = new Mi0283qtDriver();
        for (Object[] kv : new Object[][] {
            {"backend", "spi", "dc_gpio", 25, "te_gpio", 54},
            {"backend", "spi", "dc_gpio", 25, "te_gpio", -1},
            {"backend", "spi", "dc_gpio", 25, "te_gpio", "gpio27"},
            {"backend", "spi", "dc_gpio", 25, "te_gpio", 25},
            {"backend", "spi", "dc_gpio", 25, "reset_gpio", 24, "te_gpio", 24},
            {"backend", "spi", "dc_gpio", 25, "backlight_gpio", 18, "te_gpio", 18},
            {"backend", "spi", "dc_gpio", 25, "backlight_pwm", 1, "te_gpio", 1},
        }) {
            ConfigException e = assertThrows(ConfigException.class, () -> d.validate(DeviceConfig.of(WHERE, kv)),
                    java.util.Arrays.toString(kv));
            assertTrue(e.getMessage().startsWith(WHERE), e.getMessage());
            String key = kv[kv.length - 1].equals(1) ? "backlight_pwm" : "te_gpio";
            assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
        }
        assertDoesNotThrow(() -> d.validate(DeviceConfig.of(WHERE, "backend", "spi", "dc_gpio", 25, "te_gpio", 27)));
    }
}
