package org.paneld.drivers.st7586;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pi4j.context.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.paneld.drivers.testkit.Waits;
import org.paneld.drivers.core.NoDeviceException;

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
        CountDownLatch unplugReturned = new CountDownLatch(1);
        AtomicInteger callsAtUnplug = new AtomicInteger(-1);
        b.device().addUnplugListener(d -> {
            callsAtUnplug.set(wire.callCount());
            unplugReturned.countDown();
        });
        CountDownLatch inWrite = new CountDownLatch(1), go = new CountDownLatch(1);
        AtomicInteger writes = new AtomicInteger();
        wire.beforeWrite(() -> {
            if (writes.incrementAndGet() == 5) { // inside the pixel data (7680 bytes in 1024-byte writes): held on the wire
                inWrite.countDown();
                try {
                    Waits.awaitLatch(go, "the test to let the held SPI write go");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        Waits.Task<Void> flush = Waits.task("test-flush", () -> b.device().flush(fb, fb.bounds())).start();
        Waits.awaitLatch(inWrite, "the flush's fifth SPI write");
        Waits.Task<Void> yank = Waits.task("test-yank", b::yank).start();
        try {
            Waits.assertUnplugWaits(yank.thread(), b.device().guard(), unplugReturned, () -> wire.spiClosed() != 0,
                    "surprise removal during a Pi4J write");
            assertEquals(0, wire.spiClosed(), "the SPI device stays open while a write is on it");
        } finally {
            go.countDown();
        }
        Throwable failure = flush.failure();
        assertInstanceOf(NoDeviceException.class, failure, "the flush ends at its next write with ENODEV: " + failure);
        yank.get();
        assertTrue(b.device().guard().isDrained());
        assertTrue(b.isUnbound());
        List<String> after = new ArrayList<>(wire.calls().subList(callsAtUnplug.get(), wire.callCount()));
        assertEquals(List.of("spi close"), after, "after unplug returned only the release (closing the SPI) touches Pi4J");
        assertTrue(wire.calls().stream().noneMatch(c -> c.contains("FAILED") || c.startsWith("UNGUARDED")), wire.calls().toString());
        assertInstanceOf(NoDeviceException.class, assertThrows(Exception.class, () -> b.device().flush(fb, fb.bounds())));
        assertEquals(callsAtUnplug.get() + 1, wire.callCount(), "no Pi4J call after unplug");
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
        assertThrows(NoDeviceException.class, () -> b.device().flush(fb, fb.bounds()), "a flush after unplug is ENODEV");
        assertEquals(calls, wire.callCount(), "no Pi4J call after unplug");
        assertTrue(!wire.context().registry().exists("paneld.lcd.spi") && !wire.context().registry().exists("paneld.lcd.dc"),
                "the Pi4J objects left the registry with the hardware scope");
    }
}
