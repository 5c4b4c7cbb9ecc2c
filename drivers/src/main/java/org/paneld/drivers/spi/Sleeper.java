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

    /** Real waits on the calling thread (parkNanos; an interrupt ends the wait with an error). */
    Sleeper SYSTEM = micros -> {
        long deadline = System.nanoTime() + micros * 1000;
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting " + micros + " us");
            }
        }
    };
}
