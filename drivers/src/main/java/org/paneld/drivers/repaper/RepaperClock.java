package org.paneld.drivers.repaper;

import org.paneld.drivers.spi.Sleeper;

/**
 * The time a repaper refresh runs on: stages repeat frames until their (temperature-factored)
 * stage time has passed. {@link #SYSTEM} is the wall clock; a virtual panel supplies a logical
 * clock (waits and SPI transfers advance it, nothing really sleeps) so tests are fast.
 * Lifetime: the hardware binding. Threads: the refresh worker.
 */
public interface RepaperClock {

    /** Monotonic time in nanoseconds. */
    long nanoTime();

    /** The waits of the power sequences. */
    Sleeper sleeper();

    /** Wall-clock time and real waits. */
    RepaperClock SYSTEM = new RepaperClock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public Sleeper sleeper() {
            return Sleeper.SYSTEM;
        }
    };
}
