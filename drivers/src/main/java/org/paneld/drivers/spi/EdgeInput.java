package org.paneld.drivers.spi;

import java.io.IOException;

/**
 * An input line whose edges carry a time stamp on the line's own clock: a display controller's
 * tearing-effect (TE) output. {@link #nanoTime()} is that clock (the wall clock on real hardware,
 * an emulator's logical clock on a virtual panel, so that the waits of the wires' {@link Sleeper}
 * and this clock agree). Implementations read inside the owning device's unplug guard.
 * Lifetime: the hardware binding. Threads: one caller at a time (the device's serialised flush).
 */
public interface EdgeInput extends GpioInput {

    /** What {@link #awaitEdge} answers when no edge came within the timeout. */
    long NO_EDGE = Long.MIN_VALUE;

    /** Monotonic time in nanoseconds on this line's clock. */
    long nanoTime();

    /**
     * Waits for the first edge ({@code rising}: low to high, else high to low) later than
     * {@code after} (a time on {@link #nanoTime()}'s clock; an edge already seen counts), at most
     * {@code timeoutNanos} from now.
     *
     * @return the edge's time, or {@link #NO_EDGE} when none came in time (the wait never exceeds
     *         the timeout by more than the platform's scheduling delay)
     */
    long awaitEdge(boolean rising, long after, long timeoutNanos) throws IOException;

    /**
     * How late a stamp may be after the real edge (event delivery): the edge happened at most this
     * long before the time {@link #awaitEdge} answers. 0 for a line that knows its exact times.
     */
    default long stampLatencyNanos() {
        return 0;
    }
}
