package org.paneld.drivers.core;

/**
 * A device's frame counters: updates shown (flushes that reached the panel), updates merged
 * (superseded by a newer one before they started: latest wins under overload) and the wire's busy
 * fraction (time inside flushes over wall time, over the last completed period of at least one
 * second, or the current one before the first completes). Fixed size. Lifetime: the device object.
 * Threads: {@link #shown} under the device's operation lock; {@link #merged} and the readers any.
 */
public final class FrameStats {
    private static final long PERIOD_NANOS = 1_000_000_000L;

    private volatile long shown;
    private final java.util.concurrent.atomic.AtomicLong merged = new java.util.concurrent.atomic.AtomicLong();
    private long periodStart = System.nanoTime();
    private long periodBusy;
    private volatile double lastBusy = -1;
    private volatile double currentBusy;

    /** One update reached the panel; the flush took {@code nanos} from {@code start}. */
    synchronized void shown(long start, long nanos) {
        shown++;
        long now = start + nanos;
        if (periodStart > start) {
            periodStart = start;
        }
        periodBusy += nanos;
        long elapsed = now - periodStart;
        currentBusy = elapsed > 0 ? Math.min(1.0, (double) periodBusy / elapsed) : 0;
        if (elapsed >= PERIOD_NANOS) {
            lastBusy = currentBusy;
            periodStart = now;
            periodBusy = 0;
        }
    }

    /** {@code n} updates were superseded by a newer one before they started. */
    public void merged(int n) {
        merged.addAndGet(n);
    }

    public long shown() {
        return shown;
    }

    public long merged() {
        return merged.get();
    }

    /**
     * The wire's busy fraction, 0 to 1: of the last completed period of at least a second (the
     * current one when none completed; 0 when idle for longer than a period).
     */
    public synchronized double busy() {
        long idle = System.nanoTime() - periodStart;
        if (idle > 2 * PERIOD_NANOS && periodBusy == 0) {
            return 0;
        }
        return lastBusy >= 0 ? lastBusy : currentBusy;
    }
}
