package org.paneld.drivers.spi;

import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The arbitration of one physical SPI bus shared by several chips on their own chip selects (a
 * panel on CE0 and its touch controller on CE1): a fair lock that every transfer of every
 * {@link #share shared} port holds for exactly one transfer, so transfers of two chips never
 * interleave, and a waiting chip gets the bus after the transfer in progress — a touch sample is
 * taken between two pixel chunks of a frame, not after the frame. A chip that needs several
 * transfers in a row (a conversion and its result, a register read) runs them in
 * {@link #transaction}.
 *
 * <p>Lifetime: {@link #forBus(int)} gives one per Pi SPI bus for the daemon's life (a handful at
 * most); a virtual bus makes its own per binding. Threads: any; fair in arrival order.
 */
public final class SpiArbiter {
    private static final Map<Integer, SpiArbiter> BUSES = new ConcurrentHashMap<>();

    private final String name;
    private final ReentrantLock lock = new ReentrantLock(true);

    public SpiArbiter(String name) {
        this.name = Objects.requireNonNull(name);
    }

    /** The arbiter of /dev/spidevB.* (bus {@code bus}, 0–6). */
    public static SpiArbiter forBus(int bus) {
        if (bus < 0 || bus > 6) {
            throw new IllegalArgumentException("SPI bus " + bus + " is not 0..6");
        }
        return BUSES.computeIfAbsent(bus, b -> new SpiArbiter("spi" + b));
    }

    public String name() {
        return name;
    }

    /** A transaction of several transfers. */
    @FunctionalInterface
    public interface Transaction<T> {
        T run() throws IOException;
    }

    /** Runs {@code body} holding the bus: no other chip's transfer starts before it returns. */
    public <T> T transaction(Transaction<T> body) throws IOException {
        lock.lock();
        try {
            return body.run();
        } finally {
            lock.unlock();
        }
    }

    /** Whether the calling thread holds the bus. */
    public boolean heldByCurrentThread() {
        return lock.isHeldByCurrentThread();
    }

    /**
     * {@code port} with each transfer (each chunk of at most {@link SpiPort#maxTransfer()} bytes
     * of a write) run holding this bus.
     */
    public SpiPort share(SpiPort port) {
        Objects.requireNonNull(port);
        SpiArbiter arbiter = this;
        return new SpiPort() {
            @Override
            public void write(byte[] buf, int off, int len) throws IOException {
                write(buf, off, len, port.speedHz());
            }

            @Override
            public void write(byte[] buf, int off, int len, int clockHz) throws IOException {
                Objects.checkFromIndexSize(off, len, buf.length);
                int max = Math.max(1, port.maxTransfer());
                while (len > 0) {
                    int n = Math.min(len, max);
                    int o = off;
                    arbiter.transaction(() -> {
                        port.write(buf, o, n, clockHz);
                        return null;
                    });
                    off += n;
                    len -= n;
                }
            }

            @Override
            public void transfer(byte[] tx, byte[] rx, int len) throws IOException {
                transfer(tx, rx, len, port.speedHz());
            }

            @Override
            public void transfer(byte[] tx, byte[] rx, int len, int clockHz) throws IOException {
                arbiter.transaction(() -> {
                    port.transfer(tx, rx, len, clockHz);
                    return null;
                });
            }

            @Override
            public int[] clocks() {
                return port.clocks();
            }

            @Override
            public int maxTransfer() {
                return port.maxTransfer();
            }

            @Override
            public int speedHz() {
                return port.speedHz();
            }

            @Override
            public boolean anyClock() {
                return port.anyClock();
            }

            @Override
            public boolean canRead() {
                return port.canRead();
            }

            @Override
            public String describe() {
                return port.describe();
            }
        };
    }

    @Override
    public String toString() {
        return "SpiArbiter[" + name + "]";
    }
}
