package org.paneld.drivers.spi;

import java.io.InterruptedIOException;
import java.util.concurrent.locks.LockSupport;

/**
 * The waits a panel needs (reset pulse, 120 ms after reset, 100 ms after SLPOUT …), injectable
 * so that tests record them instead of sleeping. {@link #SYSTEM} really waits. Stateless or
 * confined to one device; any thread.
 */
public interface Sleeper {

    /** Waits {@code micros} microseconds (at least). */
    void sleepMicros(long micros) throws InterruptedIOException;

    /** Waits {@code millis} milliseconds (at least). */
    default void sleepMillis(long millis) throws InterruptedIOException {
        sleepMicros(millis * 1000);
    }

    /**
     * Whether the waits really pass on the wall clock. A virtual panel is told about waits that
     * did not ({@code VirtualDbiPanel.elapse}) so its timing checks still hold. Lambdas (test
     * sleepers that record) answer false.
     */
    default boolean waitsForReal() {
        return false;
    }

    /** Real waits on the calling thread (parkNanos; an interrupt ends the wait with an error). */
    Sleeper SYSTEM = new Sleeper() {
        @Override
        public void sleepMicros(long micros) throws InterruptedIOException {
            long deadline = System.nanoTime() + micros * 1000;
            long left;
            while ((left = deadline - System.nanoTime()) > 0) {
                LockSupport.parkNanos(left);
                if (Thread.interrupted()) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting " + micros + " us");
                }
            }
        }

        @Override
        public boolean waitsForReal() {
            return true;
        }

        @Override
        public String toString() {
            return "Sleeper.SYSTEM";
        }
    };
}
