package org.paneld.drivers.mipidbi;

import static org.junit.jupiter.api.Assertions.*;

import com.pi4j.context.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.paneld.drivers.core.Binding;
import org.paneld.drivers.core.BusDevice;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.core.DeviceConfig;
import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.core.Errno;
import org.paneld.drivers.pixel.Framebuffer;
import org.paneld.drivers.pixel.PixelFormat;
import org.paneld.drivers.pixel.Rect;
import org.paneld.drivers.spi.MockPi4jWire;
import org.paneld.drivers.spi.Sleeper;
import org.paneld.drivers.testkit.LifecycleKit;
import org.paneld.drivers.testkit.Waits;
import org.paneld.drivers.virtual.VirtualDbiPanel;

/**
 * The real Pi4J code path (backend "spi": linuxfs-style SPI, gpiod-style lines, PWM, all
 * through Pi4J's own mock providers), with what MockSpi recorded and the mock D/C level decoded
 * into the emulator: pictures arrive exactly, transfers respect the spidev buffer, an SPI write
 * failing in the middle of a flush gives EIO and the next flush works, an unplug in the middle
 * of a flush ends it with ENODEV with no Pi4J call after unplug returned, and the Pi4J objects
 * leave Pi4J's registry at unbind so a rebind can open them again.
 */
class Pi4jPathTest {
    @RegisterExtension
    final LifecycleKit kit = new LifecycleKit(Panels.allDrivers());

    private VirtualDbiPanel panel;
    private MockPi4jWire wire;
    private boolean withBacklight = true;

    /** Hands the decoded wire to the emulator, each transfer with the clock Pi4J's SPI device was opened at. */
    static MockPi4jWire.Target into(VirtualDbiPanel p, java.util.function.IntSupplier clockHz) {
        return new MockPi4jWire.Target() {
            @Override
            public void write(boolean dcHigh, byte[] bytes) {
                p.write(dcHigh, bytes, 0, bytes.length, clockHz.getAsInt());
            }

            @Override
            public void writeOption1(byte[] packed) {
                p.writeOption1(packed, 0, packed.length, clockHz.getAsInt());
            }

            @Override
            public void reset(boolean high) {
                p.setReset(!high);
            }

            @Override
            public void backlight(int percent) {
                p.setBacklight(percent);
            }

            @Override
            public byte[] read(int cmd, int len) {
                return p.read(cmd, len, clockHz.getAsInt());
            }
        };
    }

    /** The baud of the SPI device Pi4J opened last (0 before any). */
    private int spiClockHz() {
        com.pi4j.io.spi.SpiConfig c = wire == null ? null : wire.lastSpiConfig();
        return c == null || c.baud() == null ? 0 : c.baud();
    }

    private Device bind(Panels.Variant v, Object... more) throws Exception {
        panel = new VirtualDbiPanel(v.model());
        wire = new MockPi4jWire(into(panel, this::spiClockHz));
        wire.option1(v.model().option1());
        wire.requireGuard(() -> kit.bus().binding("lcd0").map(b -> b.device().guard()).orElse(null));
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("driver", v.driverName());
        m.put("backend", "spi");
        m.put("spi_bus", 0);
        m.put("spi_cs", 0);
        if (!v.model().option1()) {
            m.put("dc_gpio", 25);
        }
        m.put("reset_gpio", 24);
        Object[] cfg = v.configWith(more);
        for (int i = 0; i + 1 < cfg.length; i += 2) {
            m.put((String) cfg[i], cfg[i + 1]);
        }
        if (withBacklight && !m.containsKey("backlight_pwm")) {
            m.put("backlight_gpio", 18);
        }
        BusDevice bd = new BusDevice("lcd0", v.driverName(), new DeviceConfig("test '" + v.label() + "'", m));
        bd.attach(Context.class, wire.context());
        VirtualDbiPanel p = panel;
        bd.attach(Sleeper.class, us -> p.elapse(TimeUnit.MICROSECONDS.toNanos(us)));
        kit.add(bd);
        kit.bind("lcd0");
        return kit.device("lcd0");
    }

    @AfterEach
    void shutdownPi4j() {
        if (wire != null) {
            for (String call : wire.calls()) {
                assertFalse(call.startsWith("UNGUARDED"), "a Pi4J call outside the device's guard: " + call);
            }
            wire.shutdown();
        }
    }

    private Panels.Variant variant(String label) {
        return Panels.variants().stream().filter(v -> v.label().equals(label)).findFirst().orElseThrow();
    }

    private void assertShows(Framebuffer fb, Panels.Variant v, int rotation) throws Exception {
        WireFormat w = v.driver().wireFormat(v.driver().panelConfig(kit.device("lcd0").config()));
        String diff = Panels.expected(fb, w).firstDifference(panel.snapshot(rotation));
        assertNull(diff, v + ": " + diff);
    }

    @Test
    void picturesGoThroughPi4jExactly() throws Exception {
        for (String label : new String[] {"mi0283qt", "mi0283qt option 1", "ili9486 waveshare", "ili9488",
                "st7789v 240x240"}) {
            Panels.Variant v = variant(label);
            Device dev = bind(v, "rotation", 90, "backlight_pwm", 1);
            int view = Panels.viewRotation(v.driver(), v.driver().panelConfig(dev.config()));
            Framebuffer fb = Panels.framebuffer(dev.info().width(), dev.info().height(), PixelFormat.XRGB8888, 3);
            dev.flush(fb, fb.bounds());
            assertShows(fb, v, view);
            for (String call : wire.calls()) {
                if (call.startsWith("spi write ")) {
                    int n = Integer.parseInt(call.substring(10));
                    assertTrue(n <= 4096, label + ": a Pi4J write of " + n + " bytes exceeds the spidev buffer");
                }
            }
            assertTrue(wire.calls().contains("backlight pwm 100.0"), label + ": " + wire.calls());
            dev.setProperty("backlight", 40);
            assertEquals(40, panel.backlight());
            assertEquals(40, dev.info().property("backlight").orElseThrow().value());
            panel.assertNoViolations();
            kit.bus().unbind("lcd0");
            kit.bus().remove("lcd0");
            assertEquals(0, panel.backlight(), "unbind switches the backlight off while the hardware is there");
            assertTrue(wire.context().registry().all().isEmpty(), "Pi4J objects left: " + wire.context().registry().all().keySet());
            for (String call : wire.calls()) {
                assertFalse(call.startsWith("UNGUARDED"), "a Pi4J call outside the device's guard: " + call);
            }
            wire.shutdown();
            wire = null;
        }
    }

    @Test
    void aFailingSpiWriteGivesEioAndTheNextFlushWorks() throws Exception {
        Panels.Variant v = variant("mi0283qt");
        Device dev = bind(v);
        Framebuffer a = Panels.framebuffer(320, 240, PixelFormat.XRGB8888, 1);
        wire.failAtWrite(9); // in the middle of the pixel chunks
        DeviceException e = assertThrows(DeviceException.class, () -> dev.flush(a, a.bounds()));
        assertEquals(Errno.EIO, e.errno());
        assertTrue(e.getMessage().contains("spidev0.0"), e.getMessage());
        assertFalse(dev.isUnplugged());
        Framebuffer b = Panels.framebuffer(320, 240, PixelFormat.RGB565, 2);
        dev.flush(b, b.bounds());
        assertShows(b, v, 0);
        dev.flush(a, new Rect(10, 10, 50, 20));
        // a failure in a command (the D/C line is driven again afterwards)
        panel.assertNoViolations();
        wire.failAtWrite(2); // CASET's parameters are lost: the controller sees a CASET without them
        assertThrows(DeviceException.class, () -> dev.flush(a, a.bounds()));
        dev.flush(a, a.bounds());
        assertEquals(1, panel.violations().size(), panel.violations().toString());
        assertTrue(panel.violations().get(0).contains("CASET with 0 parameter bytes"), panel.violations().toString());
        panel.clearViolations();
        dev.flush(a, a.bounds());
        assertShows(a, v, 0);
        // a plain GPIO backlight is on for any level above 0
        dev.setProperty("backlight", 30);
        assertEquals(100, panel.backlight());
        dev.setProperty("backlight", 0);
        assertEquals(0, panel.backlight());
        assertTrue(wire.calls().contains("backlight LOW"), wire.calls().toString());
        panel.assertNoViolations();
    }

    @Test
    void unplugInTheMiddleOfAFlushEndsItWithEnodevAndNoPi4jCallAfterwards() throws Exception {
        Panels.Variant v = variant("mi0283qt");
        Device dev = bind(v);
        Binding binding = kit.bus().binding("lcd0").orElseThrow();
        AtomicInteger callsAtUnplug = new AtomicInteger(-1);
        CountDownLatch unplugReturned = new CountDownLatch(1);
        dev.addUnplugListener(d -> {
            callsAtUnplug.set(wire.callCount());
            unplugReturned.countDown();
        });
        Framebuffer a = Panels.framebuffer(320, 240, PixelFormat.XRGB8888, 1);
        int writesBefore = wire.spiWrites();
        CountDownLatch inWrite = new CountDownLatch(1), go = new CountDownLatch(1);
        wire.beforeWrite(() -> {
            if (wire.spiWrites() == writesBefore + 12) { // the 13th SPI write of the flush is held on the wire
                inWrite.countDown();
                try {
                    Waits.awaitLatch(go, "the test to let the held SPI write go");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        Waits.Task<Void> flush = Waits.task("test-flush", () -> dev.flush(a, a.bounds())).start();
        Waits.awaitLatch(inWrite, "the flush's 13th SPI write");
        Waits.Task<Void> yank = Waits.task("test-yank", binding::yank).start();
        try {
            Waits.assertUnplugWaits(yank.thread(), dev.guard(), unplugReturned, () -> wire.spiClosed() != 0,
                    "surprise removal during a Pi4J write");
            assertEquals(0, wire.spiClosed(), "the SPI device stays open while a write is on it");
        } finally {
            go.countDown();
        }
        Throwable failure = flush.failure();
        assertEquals(Errno.ENODEV, assertInstanceOf(DeviceException.class, failure, String.valueOf(failure)).errno(),
                "the flush ends at its next transfer with ENODEV");
        yank.get();
        assertTrue(binding.isUnbound());
        assertTrue(callsAtUnplug.get() > 0);
        List<String> after = new ArrayList<>(wire.calls().subList(callsAtUnplug.get(), wire.callCount()));
        assertEquals(List.of("spi close"), after, "after unplug returned only the release (closing the SPI) may touch Pi4J");
        assertEquals(1, wire.spiClosed());
        assertTrue(dev.hardware().isReleased());
        assertEquals(dev.hardware().registeredCount(), dev.hardware().ranCount());
        assertTrue(wire.context().registry().all().isEmpty());
        DeviceException again = assertThrows(DeviceException.class, () -> dev.flush(a, a.bounds()));
        assertEquals(Errno.ENODEV, again.errno());
        assertEquals(callsAtUnplug.get() + 1, wire.callCount());
    }

    @Test
    void withoutABacklightDisableWritesBlackThenSwitchesTheDisplayOff() throws Exception {
        withBacklight = false;
        Panels.Variant v = variant("mi0283qt");
        Device dev = bind(v);
        assertTrue(dev.info().property("backlight").isEmpty(), "no backlight property without a backlight line");
        Framebuffer a = Panels.framebuffer(320, 240, PixelFormat.XRGB8888, 1);
        dev.flush(a, a.bounds());
        assertShows(a, v, 0);
        panel.clearCommandLog();
        dev.setProperty("power", 0);
        List<String> log = new ArrayList<>();
        panel.commandLog().forEach(c -> log.add(c.toString()));
        assertEquals(List.of("2A 00 00 01 3F", "2B 00 00 00 EF", "2C [153600 pixel bytes]", "28"), log);
        assertEquals(org.paneld.drivers.pixel.RgbImage.blank(240, 320), panel.gram());
        assertFalse(panel.isDisplayOn());
        dev.setProperty("power", 1);
        panel.assertNoViolations();
    }

    @Test
    void rebindAfterUnbindOpensThePi4jObjectsAgain() throws Exception {
        Panels.Variant v = variant("mi0283qt");
        Device dev = bind(v);
        Framebuffer a = Panels.framebuffer(320, 240, PixelFormat.XRGB8888, 5);
        for (int i = 0; i < 3; i++) {
            kit.bus().unbind("lcd0");
            assertTrue(wire.context().registry().all().isEmpty());
            kit.bind("lcd0");
            dev = kit.device("lcd0");
            dev.flush(a, a.bounds());
            assertShows(a, v, 0);
        }
        assertEquals(3, wire.spiClosed());
        panel.assertNoViolations();
    }
}
