package org.paneld.drivers.spi;

import java.io.IOException;

/**
 * One input line (an e-paper BUSY line …). Implementations read inside the owning device's
 * unplug guard. Lifetime: the hardware binding. Threads: one caller at a time.
 */
public interface GpioInput {

    /** The line's level now. */
    boolean isHigh() throws IOException;

    /** A name for messages, e.g. "gpio 17 (busy)". */
    String describe();
}
