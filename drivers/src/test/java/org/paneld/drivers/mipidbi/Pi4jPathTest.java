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

    /**
     * Hands the decoded wire to the emulator, each transfer with the clock of the Pi4J SPI handle
     * that sent it (the speed_hz linuxfs puts into its SPI_IOC_MESSAGE).
     */
    static MockPi4jWire.Target into(VirtualDbiPanel p) {
        return new MockPi4jWire.Target() {
            @Override
            public void write(boolean dcHigh, byte[] bytes) {
                p.write(dcHigh, bytes, 0, bytes.length);
            }

            @Override
            public void writeOption1(byte[] packed) {
                p.writeOption1(packed, 0, packed.length);
            }

            @Override
            public void write(boolean dcHigh, byte[] bytes, int clockHz) {
                p.write(dcHigh, bytes, 0, bytes.length, clockHz);
            }

            @Override
            public void writeOption1(byte[] packed, int clockHz) {
                p.writeOption1(packed, 0, packed.length, clockHz);
            }

            @Override
            public byte[] read(int cmd, int len, int clockHz) {
                return p.read(cmd, len, clockHz);
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
                return p.read(cmd, len);
            }
        };
    }

    private Device bind(Panels.Variant v, Object... more) throws Exception {
        panel = new VirtualDbiPanel(v.model());
        wire = new MockPi4jWire(into(panel));
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
        bd.attach(org.paneld.drivers.spi.Pi4jHardware.SpidevBufsiz.class, bufsiz());
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

    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path tmp;
    private String bufsizText = "4096\n";

    /** A fake /sys/module/spidev/parameters/bufsiz holding {@link #bufsizText}. */
    private org.paneld.drivers.spi.Pi4jHardware.SpidevBufsiz bufsiz() throws java.io.IOException {
        java.nio.file.Path f = tmp.resolve("bufsiz");
        java.nio.file.Files.writeString(f, bufsizText);
        return new org.paneld.drivers.spi.Pi4jHardware.SpidevBufsiz(f);
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
        // three SPI handles: pixels (32 MHz), commands (10 MHz), reads (2 MHz)
        assertEquals(List.of("spi close", "spi close", "spi close"), after,
                "after unplug returned only the release (closing the SPI handles) may touch Pi4J");
        assertEquals(3, wire.spiClosed());
        assertTrue(dev.hardware().isReleased());
        assertEquals(dev.hardware().registeredCount(), dev.hardware().ranCount());
        assertTrue(wire.context().registry().all().isEmpty());
        DeviceException again = assertThrows(DeviceException.class, () -> dev.flush(a, a.bounds()));
        assertEquals(Errno.ENODEV, again.errno());
        assertEquals(callsAtUnplug.get() + 3, wire.callCount());
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
        assertEquals(3 * 3, wire.spiClosed(), "three binds, three SPI handles each");
        panel.assertNoViolations();
    }

    @Test
    void eachTransferKindGoesAtItsOwnClock() throws Exception {
        Panels.Variant v = variant("mi0283qt");
        Device dev = bind(v, "spi_speed_hz", 48_000_000);
        dev.setProperty("power", 0);
        dev.setProperty("power", 1); // the conditional reset reads the power mode
        Framebuffer a = Panels.framebuffer(320, 240, PixelFormat.XRGB8888, 1);
        dev.flush(a, a.bounds());
        assertShows(a, v, 0);
        int commands = 0, params = 0, reads = 0, pixels = 0;
        for (MockPi4jWire.Transfer t : wire.transfers()) {
            if (t.op().equals("transfer")) {
                assertEquals(2_000_000, t.hz(), "a read: " + t);
                reads++;
            } else if (!t.dcHigh()) {
                assertEquals(10_000_000, t.hz(), "a command byte: " + t);
                commands++;
            } else if (t.len() <= 64) {
                assertEquals(10_000_000, t.hz(), "parameters: " + t);
                params++;
            } else {
                assertEquals(48_000_000, t.hz(), "pixel data: " + t);
                pixels++;
            }
        }
        assertTrue(commands > 20 && params > 20 && reads >= 1 && pixels > 30,
                commands + " commands, " + params + " parameter writes, " + reads + " reads, " + pixels + " pixel writes");
        panel.assertNoViolations(); // the emulator judged every clock (ILI9341: 100 ns write, 150 ns read cycle)
    }

    @Test
    void configuredCommandAndReadClocksOverrideTheKernelsAndAreChecked() throws Exception {
        Panels.Variant v = variant("mi0283qt");
        Device dev = bind(v, "spi_cmd_speed_hz", 4_000_000, "spi_read_speed_hz", 1_000_000);
        dev.setProperty("power", 0);
        dev.setProperty("power", 1);
        assertTrue(wire.transfers().stream().anyMatch(t -> t.op().equals("transfer") && t.hz() == 1_000_000));
        assertTrue(wire.transfers().stream().filter(t -> !t.dcHigh() && t.op().equals("write"))
                .allMatch(t -> t.hz() == 4_000_000));
        org.paneld.drivers.core.ConfigException e = assertThrows(org.paneld.drivers.core.ConfigException.class,
                () -> v.driver().validate(new DeviceConfig("test", java.util.Map.of("driver", "mi0283qt", "dc_gpio", 25,
                        "spi_speed_hz", 8_000_000, "spi_cmd_speed_hz", 10_000_000))));
        assertTrue(e.getMessage().contains("spi_cmd_speed_hz") && e.getMessage().contains("8000000"), e.getMessage());
        e = assertThrows(org.paneld.drivers.core.ConfigException.class,
                () -> v.driver().validate(new DeviceConfig("test", java.util.Map.of("driver", "mi0283qt", "dc_gpio", 25,
                        "spi_read_speed_hz", 50))));
        assertTrue(e.getMessage().contains("spi_read_speed_hz"), e.getMessage());
        panel.assertNoViolations();
        // commands faster than the ILI9341's 100 ns write cycle are flagged by the emulator
        kit.bus().unbind("lcd0");
        kit.bus().remove("lcd0");
        wire.shutdown();
        bind(v, "spi_cmd_speed_hz", 16_000_000);
        assertTrue(panel.violations().stream().anyMatch(x -> x.contains("16.00 MHz") && x.contains("write cycle")),
                panel.violations().toString());
        panel.clearViolations();
    }

    @Test
    void aZeroOrShortPi4jWriteIsEioAndTheNextFlushWorks() throws Exception {
        Panels.Variant v = variant("mi0283qt");
        Device dev = bind(v);
        Framebuffer a = Panels.framebuffer(320, 240, PixelFormat.XRGB8888, 1);
        for (int value : new int[] {0, 1000}) {
            wire.shortWriteAt(9, value); // a pixel chunk: linuxfs returns 0 on EMSGSIZE
            DeviceException e = assertThrows(DeviceException.class, () -> dev.flush(a, a.bounds()));
            assertEquals(Errno.EIO, e.errno());
            assertTrue(e.getMessage().contains("spidev0.0") && e.getMessage().contains("write of 4096 bytes")
                    && e.getMessage().contains("sent " + value), e.getMessage());
            assertFalse(dev.isUnplugged());
            panel.clearViolations(); // the controller saw a memory write cut short
            Framebuffer b = Panels.framebuffer(320, 240, PixelFormat.RGB565, 2 + value);
            dev.flush(b, b.bounds());
            assertShows(b, v, 0);
            panel.assertNoViolations();
        }
    }

    private static String messages(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            sb.append(t.getMessage()).append(" / ");
        }
        return sb.toString();
    }

    @Test
    void spidevBufsizIsTheDefaultMaxTransferAndALargerConfiguredOneIsRefused() throws Exception {
        Panels.Variant v = variant("mi0283qt");
        bufsizText = "65536\n";
        Device dev = bind(v);
        Framebuffer a = Panels.framebuffer(320, 240, PixelFormat.XRGB8888, 1);
        int before = wire.transfers().size();
        dev.flush(a, a.bounds());
        assertShows(a, v, 0);
        List<MockPi4jWire.Transfer> flush = wire.transfers().subList(before, wire.transfers().size());
        assertEquals(65536, flush.stream().mapToInt(MockPi4jWire.Transfer::len).max().orElse(0), flush.toString());
        kit.bus().unbind("lcd0");
        kit.bus().remove("lcd0");
        wire.shutdown();
        wire = null;

        bufsizText = "4096\n";
        Exception e = assertThrows(Exception.class, () -> bind(v, "spi_max_transfer", 8192));
        String msg = messages(e);
        assertTrue(msg.contains("spi_max_transfer = 8192") && msg.contains("bufsiz = 4096"), msg);
        kit.bus().remove("lcd0");
        wire.shutdown();
        wire = null;

        bufsizText = "lots\n";
        msg = messages(assertThrows(Exception.class, () -> bind(v)));
        assertTrue(msg.contains("bufsiz") && msg.contains("'lots'"), msg);
    }
}
