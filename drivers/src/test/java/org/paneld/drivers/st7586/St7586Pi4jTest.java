package org.paneld.drivers.st7586;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pi4j.context.Context;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.paneld.drivers.core.Binding;
import org.paneld.drivers.core.BusDevice;
import org.paneld.drivers.core.DeviceConfig;
import org.paneld.drivers.pixel.Framebuffer;
import org.paneld.drivers.pixel.PixelFormat;
import org.paneld.drivers.pixel.Rect;
import org.paneld.drivers.spi.MockPi4jWire;
import org.paneld.drivers.testkit.LifecycleKit;

/** backend = "spi": the st7586 through Pi4J (its mock plugin): the bytes on the wire, and nothing after unplug. */
class St7586Pi4jTest {
    @RegisterExtension
    final LifecycleKit kit = new LifecycleKit(new St7586Driver());

    private final List<String> log = new ArrayList<>();
    private final MockPi4jWire wire = new MockPi4jWire(new MockPi4jWire.Target() {
        @Override
        public synchronized void write(boolean dcHigh, byte[] bytes) {
            for (byte b : bytes) {
                String h = String.format("%02x", b & 0xFF);
                if (!dcHigh) {
                    log.add(h);
                } else if (!log.isEmpty() && !log.get(log.size() - 1).startsWith("2c")) {
                    log.set(log.size() - 1, log.get(log.size() - 1) + " " + h);
                }
            }
        }

        @Override
        public void writeOption1(byte[] packed) {
        }

        @Override
        public void reset(boolean high) {
        }

        @Override
        public void backlight(int percent) {
        }

        @Override
        public byte[] read(int cmd, int len) {
            return new byte[len];
        }
    });

    @AfterEach
    void shutdown() {
        wire.shutdown();
    }

    @Test
    void unplugInTheMiddleOfAFlushEndsItWithEnodevAndNoPi4jCallFollows() throws Exception {
        BusDevice bd = new BusDevice("lcd", "st7586", DeviceConfig.of("test", "dc_gpio", 24, "reset_gpio", 25,
                "spi_max_transfer", 1024));
        bd.attach(Context.class, wire.context());
        kit.add(bd);
        Binding b = kit.bind("lcd");
        Framebuffer fb = Framebuffer.allocate(178, 128, PixelFormat.XRGB8888);
        java.util.concurrent.CountDownLatch inWrite = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger writes = new java.util.concurrent.atomic.AtomicInteger();
        Thread[] yank = new Thread[1];
        wire.beforeWrite(() -> {
            if (writes.incrementAndGet() == 5) { // inside the pixel data (7680 bytes in 1024-byte writes)
                yank[0] = new Thread(b::yank, "yank");
                yank[0].start();
                org.awaitility.Awaitility.await().until(() -> b.device().isUnplugged());
                inWrite.countDown();
            }
        });
        org.junit.jupiter.api.Assertions.assertThrows(org.paneld.drivers.core.NoDeviceException.class,
                () -> b.device().flush(fb, fb.bounds()));
        assertTrue(inWrite.getCount() == 0);
        yank[0].join(5000);
        int calls = wire.callCount();
        assertTrue(b.device().guard().isDrained());
        Thread.sleep(20);
        assertEquals(calls, wire.callCount(), "no Pi4J call after unplug returned");
        assertTrue(wire.calls().stream().noneMatch(c -> c.contains("FAILED")));
    }

    @Test
    void initAndFlushGoThroughPi4jAndStopAtUnplug() throws Exception {
        BusDevice bd = new BusDevice("lcd", "st7586", DeviceConfig.of("test", "dc_gpio", 24, "reset_gpio", 25));
        bd.attach(Context.class, wire.context());
        kit.add(bd);
        Binding b = kit.bind("lcd");
        assertEquals(List.of("01", "d7 9f", "e0 00", "e3", "e1", "11", "28", "c7 00", "c0 e3 00", "c3 02", "c4 04", "d0 1d",
                "b5 00", "38", "3a 02", "36 00", "b0 7f", "b4 a0", "30 00 00 00 77", "20", "2a 00 00 00 3b", "2b 00 00 00 7f",
                "2c", "29"), log);
        log.clear();
        Framebuffer fb = Framebuffer.allocate(178, 128, PixelFormat.XRGB8888);
        b.device().flush(fb, new Rect(4, 3, 1, 2)); // widened to columns 3..5 = byte 1
        assertEquals(List.of("2a 00 01 00 01", "2b 00 03 00 04", "2c"), log);
        b.yank();
        int calls = wire.callCount();
        try {
            b.device().flush(fb, fb.bounds());
        } catch (org.paneld.drivers.core.NoDeviceException expected) {
            // ENODEV
        }
        assertEquals(calls, wire.callCount(), "no Pi4J call after unplug");
        assertTrue(!wire.context().registry().exists("paneld.lcd.spi") && !wire.context().registry().exists("paneld.lcd.dc"),
                "the Pi4J objects left the registry with the hardware scope");
    }
}
