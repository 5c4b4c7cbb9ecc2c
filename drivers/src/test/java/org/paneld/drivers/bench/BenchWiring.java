package org.paneld.drivers.bench;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.core.UnplugGuard;
import org.paneld.drivers.spi.DbiWiring;
import org.paneld.drivers.spi.GpioOutput;
import org.paneld.drivers.spi.SpiPort;

/**
 * Benchmark wires for a MIPI DBI driver: an SPI port that either only counts bytes or also takes
 * {@code bytes × 8 / clock} of wall time per transfer, like a real wire (parks, then spins for
 * the last stretch, so the timing is precise); D/C, reset and backlight lines that do nothing.
 * Every call runs inside the device's guard, like the real backends. Test scope (also the daemon's benchmarks, through the drivers' test-jar).
 */
public final class BenchWiring implements DbiWiring {
    final AtomicLong bytes = new AtomicLong();
    final AtomicLong transfers = new AtomicLong();
    final AtomicLong busyNanos = new AtomicLong();
    /** Wall time the wire calls really took (busy plus wake-up lateness of this bench bus). */
    final AtomicLong actualNanos = new AtomicLong();
    private final long clockHz;

    /** @param clockHz the wire clock, or 0 for a bus that only counts */
    public BenchWiring(long clockHz) {
        this.clockHz = clockHz;
    }

    @Override
    public Lines open(Device device, int maxTransfer, boolean option1) {
        UnplugGuard guard = device.guard();
        SpiPort spi = new SpiPort() {
            @Override
            public void write(byte[] buf, int off, int len) throws java.io.IOException {
                for (int o = off; o < off + len; o += maxTransfer) {
                    int n = Math.min(maxTransfer, off + len - o);
                    guard.enter();
                    try {
                        wire(n);
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
                return "bench spi";
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
        bytes.addAndGet(n);
        transfers.incrementAndGet();
        if (clockHz <= 0) {
            return;
        }
        long start = System.nanoTime();
        long nanos = n * 8L * 1_000_000_000L / clockHz;
        long deadline = start + nanos;
        long left = nanos - 200_000;
        if (left > 0) {
            LockSupport.parkNanos(left);
        }
        while (System.nanoTime() - deadline < 0) {
            Thread.onSpinWait();
        }
        busyNanos.addAndGet(nanos);
        actualNanos.addAndGet(System.nanoTime() - start);
    }
}
