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
        busy(start, nanos);
    }

    /** The wire was busy for {@code nanos} from {@code start} (an update, or rows it left pending). */
    synchronized void busy(long start, long nanos) {
        overload(start, nanos);
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

    // ---------------------------------------------------------------- sustained overload

    /** How long the overload detector measures before it decides. */
    static final long WINDOW_NANOS = 1_000_000_000L;
    /** The wire's busy fraction over a window that, with merged updates, means sustained overload. */
    static final double ENTER_BUSY = 0.9;
    /** A wire idle for this long is out of overload. */
    static final long IDLE_NANOS = 50_000_000L;
    private long winStart = -1;
    private long winBusy;
    private long winMerged;
    private long lastEnd = -1;
    private boolean overloaded;

    private void overload(long start, long nanos) {
        if (winStart < 0 || start - lastEnd >= IDLE_NANOS) {
            overloaded = false; // idle: a fresh measurement
            newWindow(start);
        }
        winBusy += nanos;
        lastEnd = Math.max(lastEnd, start + nanos);
        long elapsed = lastEnd - winStart;
        if (elapsed >= WINDOW_NANOS) {
            double busyFraction = (double) winBusy / elapsed;
            if (busyFraction >= ENTER_BUSY && merged.get() > winMerged) {
                overloaded = true;
            } else if (busyFraction < 0.5) {
                overloaded = false;
            }
            newWindow(lastEnd);
        }
    }

    private void newWindow(long at) {
        winStart = at;
        winBusy = 0;
        winMerged = merged.get();
    }

    /**
     * Sustained overload at {@code now}: over the last measured second (at least) the wire was
     * busy at least 90 % of the time and updates were merged (frames came faster than the wire
     * took them); it ends when the wire is idle for {@value #IDLE_NANOS} ns, or a second with the
     * wire busy less than half the time. Threads: any (the device calls it under its operation lock).
     */
    public synchronized boolean overloaded(long now) {
        if (overloaded && lastEnd >= 0 && now - lastEnd >= IDLE_NANOS) {
            overloaded = false;
        }
        return overloaded;
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
