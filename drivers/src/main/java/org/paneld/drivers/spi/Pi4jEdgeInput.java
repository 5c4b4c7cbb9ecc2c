package org.paneld.drivers.spi;

import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalState;
import java.io.IOException;
import org.paneld.drivers.core.UnplugGuard;

/**
 * Our edge input on a Pi4J {@link DigitalInput} ({@link Pi4jHardware#openEdgeInput}): its
 * listener keeps the last few edges of each direction with their time; {@link #awaitEdge} waits on
 * them (not inside the guard: it makes no hardware call, and unplug must not wait for a TE
 * timeout). Lifetime: the hardware binding (the Pi4J input is in the hardware scope). Threads: one
 * waiter (the device's flush); Pi4J's event thread (the mock's caller in tests) stamps the edges.
 */
final class Pi4jEdgeInput implements EdgeInput {
    private static final int KEEP = 8;
    /** An allowance for the listener's delay on a slow Pi (a Zero 2 W under load), not a measurement. */
    static final long STAMP_LATENCY_NS = 300_000;
    private final UnplugGuard guard;
    private final DigitalInput in;
    private final String what;
    private final long[][] edges = {new long[KEEP], new long[KEEP]}; // [0] falling, [1] rising
    private final int[] count = new int[2];

    Pi4jEdgeInput(UnplugGuard guard, DigitalInput in, String what) {
        this.guard = guard;
        this.in = in;
        this.what = what;
    }

    void changed(com.pi4j.io.gpio.digital.DigitalStateChangeEvent<?> e) {
        long t = System.nanoTime();
        int dir = e.state() == DigitalState.HIGH ? 1 : 0;
        synchronized (edges) {
            edges[dir][count[dir]++ % KEEP] = t;
            edges.notifyAll();
        }
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    /** gpiod's event thread and Pi4J's dispatch stand between the edge and the stamp. */
    @Override
    public long stampLatencyNanos() {
        return STAMP_LATENCY_NS;
    }

    @Override
    public long awaitEdge(boolean rising, long after, long timeoutNanos) throws IOException {
        guard.enter(); // fails fast after unplug
        guard.exit();
        int dir = rising ? 1 : 0;
        long deadline = System.nanoTime() + Math.max(0, timeoutNanos);
        synchronized (edges) {
            while (true) {
                long first = NO_EDGE;
                for (int i = Math.max(0, count[dir] - KEEP); i < count[dir]; i++) {
                    long t = edges[dir][i % KEEP];
                    if (t - after > 0 && (first == NO_EDGE || t - first < 0)) {
                        first = t;
                    }
                }
                if (first != NO_EDGE) {
                    return first;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return NO_EDGE;
                }
                try {
                    edges.wait(left / 1_000_000, (int) (left % 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException(what + ": interrupted while waiting for an edge");
                }
            }
        }
    }

    @Override
    public boolean isHigh() throws IOException {
        guard.enter();
        try {
            return in.state() == DigitalState.HIGH;
        } catch (RuntimeException e) {
            throw Pi4jHardware.ioError(what, "read", e);
        } finally {
            guard.exit();
        }
    }

    @Override
    public String describe() {
        return what;
    }
}
