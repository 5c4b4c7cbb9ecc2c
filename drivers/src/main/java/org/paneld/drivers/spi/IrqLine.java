package org.paneld.drivers.spi;

import java.io.IOException;

/**
 * An interrupt line of a chip (a touch controller's PENIRQ or INT, active low on every board we
 * know): its level, and a wait for it to become active. {@link #isActive()} reads the line
 * inside the owning device's unplug guard; {@link #awaitActive} waits outside it (an edge, or the
 * timeout), so an unplug never waits for an idle finger. Lifetime: the hardware binding.
 * Threads: one sampling thread calls both; the edge may be signalled from any thread.
 */
public interface IrqLine {

    /** Whether the line is asserted now (the chip asks to be read). */
    boolean isActive() throws IOException;

    /**
     * Waits until the line has become active since the last call, or {@code timeoutNanos} passed.
     * Returns true when an edge to active was seen. Touches no hardware.
     */
    boolean awaitActive(long timeoutNanos) throws InterruptedException;

    /** A name for messages, e.g. "gpio 25 (touch irq)". */
    String describe();
}
