package org.paneld.drivers.spi;

import static org.junit.jupiter.api.Assertions.*;

import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.paneld.drivers.core.BusDevice;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.core.DeviceConfig;
import org.paneld.drivers.core.Driver;
import org.paneld.drivers.core.LifecycleTracker;
import org.paneld.drivers.core.NoDeviceException;

/**
 * The TE line on Pi4J's mock digital input: the Pi4J listener stamps every edge, a wait returns
 * the first edge after the given time (also one that came before the wait began), a wait with no
 * edge ends at its timeout, a waiter on another thread is woken by the edge, and after unplug the
 * wait fails with ENODEV; the input leaves Pi4J's registry at release.
 */
class Pi4jEdgeInputTest {
    private final MockPi4jWire wire = new MockPi4jWire(new MockPi4jWire.Target() {
        @Override
        public void write(boolean dcHigh, byte[] bytes) {
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

    private static Device device() {
        Driver none = new Driver() {
            @Override
            public String name() {
                return "none";
            }

            @Override
            public org.paneld.drivers.display.Display probe(Device d) {
                return null;
            }
        };
        return new Device(new BusDevice("lcd0", "none", DeviceConfig.of("test")), none, new LifecycleTracker(), "test");
    }

    @Test
    void edgesAreStampedAwaitedAndBoundedByTheTimeout() throws Exception {
        Device d = device();
        EdgeInput te = new Pi4jHardware(d, wire.context()).openEdgeInput("te", 27);
        MockDigitalInput in = wire.context().registry().get("paneld.lcd0.te");
        long before = te.nanoTime();
        in.mockState(DigitalState.HIGH);
        in.mockState(DigitalState.LOW);
        in.mockState(DigitalState.HIGH);
        long r1 = te.awaitEdge(true, before, 0);
        long f = te.awaitEdge(false, r1, 0);
        long r2 = te.awaitEdge(true, f, 0);
        assertTrue(before < r1 && r1 <= f && f <= r2 && r2 != r1, before + " " + r1 + " " + f + " " + r2);
        assertTrue(te.isHigh());

        long t0 = System.nanoTime();
        assertEquals(EdgeInput.NO_EDGE, te.awaitEdge(true, r2, TimeUnit.MILLISECONDS.toNanos(30)));
        long spent = System.nanoTime() - t0;
        assertTrue(spent >= TimeUnit.MILLISECONDS.toNanos(30) && spent < TimeUnit.SECONDS.toNanos(5), "waited " + spent);

        CompletableFuture<Long> waiter = CompletableFuture.supplyAsync(() -> {
            try {
                return te.awaitEdge(false, r2, TimeUnit.SECONDS.toNanos(20));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        in.mockState(DigitalState.LOW); // before or after the waiter started: the edge is remembered
        long f2 = waiter.get(10, TimeUnit.SECONDS);
        assertTrue(f2 > r2);

        d.guard().unplug();
        assertThrows(NoDeviceException.class, () -> te.awaitEdge(true, f2, 0));
        assertThrows(NoDeviceException.class, te::isHigh);
        d.hardware().release();
        assertTrue(wire.context().registry().all().isEmpty());
    }
}
