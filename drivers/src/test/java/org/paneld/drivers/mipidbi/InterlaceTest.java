package org.paneld.drivers.mipidbi;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.paneld.drivers.core.BusDevice;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.core.VirtualHardware;
import org.paneld.drivers.pixel.Framebuffer;
import org.paneld.drivers.pixel.PixelFormat;
import org.paneld.drivers.pixel.Rect;
import org.paneld.drivers.pixel.RgbImage;
import org.paneld.drivers.spi.DbiWiring;
import org.paneld.drivers.spi.GpioOutput;
import org.paneld.drivers.spi.Sleeper;
import org.paneld.drivers.spi.SpiPort;
import org.paneld.drivers.testkit.LifecycleKit;
import org.paneld.drivers.testkit.PixelOracle;
import org.paneld.drivers.virtual.DbiModel;
import org.paneld.drivers.virtual.VirtualDbiPanel;
import org.paneld.drivers.virtual.VirtualDbiWiring;

/**
 * {@code interlace}: "off" (and the key absent, and "auto" while not overloaded) puts exactly the
 * same bytes on the wire; "auto" under overload sends alternate rows of large updates, keeps the
 * panel's shadow exact (the emulator shows what the shadow holds after every update), and the
 * panel shows the client's buffer whenever nothing is pending, and after the pending rows are sent.
 */
class InterlaceTest {

    /** The emulator's wires, every byte written and every D/C change recorded in {@code log}. */
    static DbiWiring recording(VirtualDbiPanel panel, ByteArrayOutputStream log) {
        DbiWiring inner = new VirtualDbiWiring(panel);
        return new DbiWiring() {
            @Override
            public Lines open(Device device, int maxTransfer, boolean option1) throws Exception {
                Lines l = inner.open(device, maxTransfer, option1);
                SpiPort s = l.spi();
                SpiPort t = new SpiPort() {
                    @Override
                    public void write(byte[] buf, int off, int len) throws java.io.IOException {
                        synchronized (log) {
                            log.write(buf, off, len);
                        }
                        s.write(buf, off, len);
                    }

                    @Override
                    public void write(byte[] buf, int off, int len, int clockHz) throws java.io.IOException {
                        synchronized (log) {
                            log.write(buf, off, len);
                        }
                        s.write(buf, off, len, clockHz);
                    }

                    @Override
                    public void transfer(byte[] tx, byte[] rx, int len) throws java.io.IOException {
                        s.transfer(tx, rx, len);
                    }

                    @Override
                    public void transfer(byte[] tx, byte[] rx, int len, int clockHz) throws java.io.IOException {
                        s.transfer(tx, rx, len, clockHz);
                    }

                    @Override
                    public int[] clocks() {
                        return s.clocks();
                    }

                    @Override
                    public boolean canRead() {
                        return s.canRead();
                    }

                    @Override
                    public int maxTransfer() {
                        return s.maxTransfer();
                    }

                    @Override
                    public int speedHz() {
                        return s.speedHz();
                    }

                    @Override
                    public boolean anyClock() {
                        return s.anyClock();
                    }

                    @Override
                    public String describe() {
                        return "recording " + s.describe();
                    }
                };
                GpioOutput dc = l.dc() == null ? null : new GpioOutput() {
                    @Override
                    public void set(boolean high) throws java.io.IOException {
                        synchronized (log) {
                            log.write(high ? 0x1D : 0x1C); // a marker per D/C edge: 0x1D data, 0x1C command
                        }
                        l.dc().set(high);
                    }

                    @Override
                    public String describe() {
                        return l.dc().describe();
                    }
                };
                return new Lines(t, dc, l.reset(), l.backlight());
            }

            @Override
            public Sleeper sleeper(Sleeper s) {
                return inner.sleeper(s);
            }
        };
    }

    static Device bind(LifecycleKit kit, VirtualDbiPanel panel, ByteArrayOutputStream log, Object... more) throws Exception {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("name", "lcd0");
        m.put("driver", "mi0283qt");
        m.put("backend", "virtual");
        for (int i = 0; i + 1 < more.length; i += 2) {
            m.put((String) more[i], more[i + 1]);
        }
        BusDevice bd = new BusDevice("lcd0", "mi0283qt", new org.paneld.drivers.core.DeviceConfig("interlace test", m));
        bd.attach(VirtualHardware.class, panel);
        bd.attach(DbiWiring.class, recording(panel, log));
        bd.attach(Sleeper.class, us -> { });
        kit.add(bd);
        kit.bind("lcd0");
        return kit.device("lcd0");
    }

    /** Five updates: a picture, a small change, two rectangles, a full change, a one-pixel scroll. */
    private static byte[] wireOf(Object... config) throws Exception {
        LifecycleKit kit = new LifecycleKit(Panels.allDrivers());
        kit.start();
        try {
            VirtualDbiPanel panel = new VirtualDbiPanel(DbiModel.mi0283qt());
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            Device dev = bind(kit, panel, log, config);
            int w = dev.info().width(), h = dev.info().height();
            Framebuffer fb = Panels.framebuffer(w, h, PixelFormat.XRGB8888, 1);
            dev.flush(fb, Rect.of(w, h));
            fill(fb, new Rect(10, 20, 60, 20), 0x123456);
            dev.flush(fb, Rect.of(w, h));
            fill(fb, new Rect(0, 0, 5, 5), 0xFF0000);
            fill(fb, new Rect(100, 200, 30, 3), 0x00FF00);
            dev.flush(fb, List.of(new Rect(0, 0, 5, 5), new Rect(100, 200, 30, 3)));
            Framebuffer other = Panels.framebuffer(w, h, PixelFormat.XRGB8888, 7);
            dev.flush(other, Rect.of(w, h));
            for (int y = 0; y < h - 1; y++) {
                for (int x = 0; x < w; x++) {
                    PixelOracle.put(other, x, y, other.rgb(x, y + 1));
                }
            }
            dev.flushPaced(other, List.of(Rect.of(w, h))); // not overloaded: the ordinary path
            assertEquals(0, ((MipiDbiDisplay) dev.display()).interlacedUpdates());
            panel.assertNoViolations();
            return log.toByteArray();
        } finally {
            kit.finish();
        }
    }

    private static void fill(Framebuffer fb, Rect r, int rgb) {
        for (int y = r.y(); y < r.bottom(); y++) {
            for (int x = r.x(); x < r.right(); x++) {
                PixelOracle.put(fb, x, y, rgb);
            }
        }
    }

    @Test
    void offIsByteIdenticalToTheKeyAbsent() throws Exception {
        byte[] absent = wireOf();
        assertTrue(absent.length > 4 * 153_600, "the five updates put " + absent.length + " bytes on the wire");
        assertArrayEquals(absent, wireOf("interlace", "off"), "interlace = \"off\" changes the byte stream");
        assertArrayEquals(absent, wireOf("interlace", "auto"), "interlace = \"auto\" without overload changes the byte stream");
    }

    /** One client update: a change (0 pattern in a rectangle, 1 full change, 2 scroll), damage whole or exact, overload. */
    record Step(int kind, int x, int y, int w, int h, int seed, boolean whole, boolean overloaded) {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Integer> frac = Arbitraries.integers().between(0, 1000);
        Arbitrary<Step> step = Combinators.combine(Arbitraries.integers().between(0, 2), frac, frac, frac, frac,
                Arbitraries.integers().between(0, 1000), Arbitraries.of(true, false),
                Arbitraries.of(true, true, true, false)).as(Step::new);
        return step.list().ofMinSize(2).ofMaxSize(8);
    }

    @Provide
    Arbitrary<Integer> rotations() {
        return Arbitraries.of(0, 90, 180, 270);
    }

    @Property(tries = 16)
    void shadowStaysExactAndThePanelConvergesOnTheClientsBuffer(@ForAll("steps") List<Step> steps,
                                                                @ForAll boolean teardownFlush,
                                                                @ForAll("rotations") int rotation) throws Exception {
        LifecycleKit kit = new LifecycleKit(Panels.allDrivers());
        kit.start();
        try {
            VirtualDbiPanel panel = new VirtualDbiPanel(DbiModel.mi0283qt());
            Device dev = bind(kit, panel, new ByteArrayOutputStream(), "interlace", "auto", "rotation", rotation);
            MipiDbiDisplay display = (MipiDbiDisplay) dev.display();
            int w = dev.info().width(), h = dev.info().height();
            WireFormat wire = new Mi0283qtDriver().wireFormat(display.config());
            Framebuffer fb = Panels.framebuffer(w, h, PixelFormat.XRGB8888, 3);
            dev.flush(fb, Rect.of(w, h));
            boolean sawPending = false;
            for (Step s : steps) {
                Rect damage = change(fb, s, w, h);
                dev.operate(d -> ((MipiDbiDisplay) d).flushPaced(fb, List.of(damage), s.overloaded()));
                String where = "step " + s + " of " + steps;
                // the shadow is exactly what the panel holds: only what was sent went into it
                RgbImage shadow = dev.shownPicture();
                assertNull(shadow.firstDifference(panel.snapshot(rotation)), where + ": shadow and panel differ");
                if (!display.hasPendingRows()) {
                    assertNull(Panels.expected(fb, wire).firstDifference(panel.snapshot(rotation)), where + ": nothing pending, "
                            + "yet the panel is not the client's buffer");
                } else {
                    sawPending = true;
                    assertTrue(s.overloaded(), where + ": rows pending without overload");
                }
            }
            // idle: the pending rows go out (or a last small flush takes them along)
            if (teardownFlush) {
                fill(fb, new Rect(0, 0, 2, 2), 0xABCDEF);
                dev.flush(fb, new Rect(0, 0, 2, 2));
            } else {
                dev.sendPendingRows();
            }
            assertFalse(display.hasPendingRows());
            assertNull(Panels.expected(fb, wire).firstDifference(panel.snapshot(rotation)), "after " + steps);
            if (sawPending) {
                assertTrue(display.interlacedUpdates() > 0);
            }
            panel.assertNoViolations();
        } finally {
            kit.finish();
        }
    }

    @Test
    void aFullChangeUnderOverloadSendsHalfTheRows() throws Exception {
        LifecycleKit kit = new LifecycleKit(Panels.allDrivers());
        kit.start();
        try {
            VirtualDbiPanel panel = new VirtualDbiPanel(DbiModel.mi0283qt());
            Device dev = bind(kit, panel, new ByteArrayOutputStream(), "interlace", "auto");
            MipiDbiDisplay display = (MipiDbiDisplay) dev.display();
            int w = dev.info().width(), h = dev.info().height();
            Framebuffer fb = Panels.framebuffer(w, h, PixelFormat.XRGB8888, 3);
            dev.flush(fb, Rect.of(w, h));
            long before = display.bytesPlanned();
            fill(fb, Rect.of(w, h), 0x4080C0);
            dev.operate(d -> ((MipiDbiDisplay) d).flushPaced(fb, List.of(Rect.of(w, h)), true));
            long half = display.bytesPlanned() - before;
            assertTrue(display.hasPendingRows());
            assertEquals(1, display.interlacedUpdates());
            long pixels = (long) w * h * 2;
            assertTrue(half >= pixels / 2 && half < pixels * 6 / 10, half + " bytes for alternate rows of " + pixels);
            // the shown half: every even row new, every odd row old
            RgbImage shown = panel.snapshot(0);
            assertEquals(PixelOracle.shown565FromXrgb(0x4080C0), shown.get(5, 0));
            assertNotEquals(PixelOracle.shown565FromXrgb(0x4080C0), shown.get(5, 1));
            dev.sendPendingRows();
            assertFalse(display.hasPendingRows());
            assertEquals(PixelOracle.shown565FromXrgb(0x4080C0), panel.snapshot(0).get(5, 1));
        } finally {
            kit.finish();
        }
    }

    @Test
    void withTeTheAlternateRowsGoOutInOnePassOfTheScanAndTearNothing() throws Exception {
        LifecycleKit kit = new LifecycleKit(Panels.allDrivers());
        kit.start();
        try {
            VirtualDbiPanel panel = new VirtualDbiPanel(DbiModel.mi0283qt());
            panel.setWireTiming(true); // the panel's logical clock: scan and wire
            java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("name", "lcd0");
            m.put("driver", "mi0283qt");
            m.put("backend", "virtual");
            m.put("spi_speed_hz", 62_500_000);
            m.put("te_gpio", 27);
            m.put("interlace", "auto");
            BusDevice bd = new BusDevice("lcd0", "mi0283qt", new org.paneld.drivers.core.DeviceConfig("test", m));
            bd.attach(VirtualHardware.class, panel);
            bd.attach(Sleeper.class, us -> { });
            kit.add(bd);
            kit.bind("lcd0");
            Device dev = kit.device("lcd0");
            MipiDbiDisplay display = (MipiDbiDisplay) dev.display();
            int w = dev.info().width(), h = dev.info().height();
            Framebuffer fb = Panels.framebuffer(w, h, PixelFormat.XRGB8888, 3);
            dev.flush(fb, Rect.of(w, h));
            long torn0 = panel.tornFrameCount();
            for (int k = 0; k < 6; k++) {
                fill(fb, Rect.of(w, h), k % 2 == 0 ? 0x4080C0 : 0xC08040);
                long t0 = panel.nanoTime();
                dev.operate(d -> ((MipiDbiDisplay) d).flushPaced(fb, List.of(Rect.of(w, h)), true));
                long took = panel.nanoTime() - t0;
                // 120 one-row windows, ordered for the scan: about one refresh of waiting, never one per window
                assertTrue(took < 4 * panel.refreshPeriodNanos(), "an interlaced update took " + took / 1000 + " us on the "
                        + "panel's clock, refresh " + panel.refreshPeriodNanos() / 1000 + " us");
            }
            assertEquals(6, display.interlacedUpdates());
            dev.sendPendingRows();
            WireFormat wire = new Mi0283qtDriver().wireFormat(display.config());
            assertNull(Panels.expected(fb, wire).firstDifference(panel.snapshot(0)));
            assertEquals(torn0, panel.tornFrameCount(), "torn frames: " + panel.tornFrames());
            panel.assertNoViolations();
        } finally {
            kit.finish();
        }
    }

    /** Applies the step to the client's buffer; returns its damage rectangle. */
    private static Rect change(Framebuffer fb, Step s, int w, int h) {
        Rect changed;
        switch (s.kind()) {
            case 1:
                changed = Rect.of(w, h);
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        PixelOracle.put(fb, x, y, Panels.picture(x, y, w, h, s.seed()));
                    }
                }
                break;
            case 2:
                changed = Rect.of(w, h);
                for (int y = 0; y < h - 1; y++) {
                    for (int x = 0; x < w; x++) {
                        PixelOracle.put(fb, x, y, fb.rgb(x, y + 1));
                    }
                }
                break;
            default:
                int rx = s.x() * (w - 1) / 1000, ry = s.y() * (h - 1) / 1000;
                changed = new Rect(rx, ry, 1 + s.w() * (w - rx - 1) / 1000, 1 + s.h() * (h - ry - 1) / 1000);
                for (int y = changed.y(); y < changed.bottom(); y++) {
                    for (int x = changed.x(); x < changed.right(); x++) {
                        PixelOracle.put(fb, x, y, Panels.picture(x, y, w, h, s.seed()));
                    }
                }
        }
        return s.whole() ? Rect.of(w, h) : changed;
    }
}
