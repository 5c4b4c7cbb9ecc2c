package org.paneld.drivers.spi;

import java.io.IOException;

/**
 * One output line (D/C, reset, backlight, e-paper power …), optionally with PWM brightness.
 * Ours, small, so the backend can be swapped. Implementations run every call inside the owning
 * device's unplug guard. Lifetime: the hardware binding. Threads: one caller at a time.
 */
public interface GpioOutput {

    /** Drives the line high ({@code true}) or low. For a PWM line: 100 % or 0 % duty. */
    void set(boolean high) throws IOException;

    /** Whether {@link #duty(int)} gives intermediate levels (a PWM line). */
    default boolean hasDuty() {
        return false;
    }

    /**
     * Sets the duty cycle 0–100 %; a plain line is on for any {@code percent > 0}.
     */
    default void duty(int percent) throws IOException {
        set(percent > 0);
    }

    /** A name for messages, e.g. "gpio 25 (dc)". */
    String describe();
}
