package org.paneld.daemon.bench;

import java.util.concurrent.locks.LockSupport;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.core.UnplugGuard;
import org.paneld.drivers.spi.DbiWiring;
import org.paneld.drivers.spi.GpioOutput;
import org.paneld.drivers.spi.SpiPort;

/**
 * A MIPI DBI wire that takes {@code bytes × 8 / clock} of wall time per transfer, like a real
 * SPI bus (parks, then spins the last 200 µs); D/C, reset and backlight lines that do nothing.
 * Every call inside the device's guard, like the real backends. Test scope (the daemon's
 * benchmarks; the drivers' BenchWiring is the same idea, out of reach in another module's tests).
 */
final class PacedWiring implements DbiWiring {
    private final long clockHz;

    PacedWiring(long clockHz) {
        this.clockHz = clockHz;
    }

    @Override
    public Lines open(Device device, int maxTransfer, boolean option1) {
        UnplugGuard guard = device.guard();
        SpiPort spi = new SpiPort() {
            @Override
            public void write(byte[] buf, int off, int len) throws java.io.IOException {
                for (int o = off; o < off + len; o += maxTransfer) {
                    guard.enter();
                    try {
                        wire(Math.min(maxTransfer, off + len - o));
                    } finally {
                        guard.exit();
                    }
                }
            }

            @Override
            public void transfer(byte[] tx, byte[] rx, int len) throws java.io.IOException {
                guard.enter();
                try {
                    wire(len);
                } finally {
                    guard.exit();
                }
            }

            @Override
            public int maxTransfer() {
                return maxTransfer;
            }

            @Override
            public int speedHz() {
                return (int) clockHz;
            }

            @Override
            public String describe() {
                return "paced spi at " + clockHz + " Hz";
            }
        };
        GpioOutput line = new GpioOutput() {
            @Override
            public void set(boolean high) throws java.io.IOException {
                guard.enter();
                guard.exit();
            }

            @Override
            public String describe() {
                return "bench line";
            }
        };
        return new Lines(spi, option1 ? null : line, line, line);
    }

    private void wire(int n) {
        long nanos = n * 8L * 1_000_000_000L / clockHz;
        long deadline = System.nanoTime() + nanos;
        if (nanos > 200_000) {
            LockSupport.parkNanos(nanos - 200_000);
        }
        while (System.nanoTime() - deadline < 0) {
            Thread.onSpinWait();
        }
    }
}
