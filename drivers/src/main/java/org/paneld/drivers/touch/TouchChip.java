package org.paneld.drivers.touch;

import java.io.IOException;

/**
 * One touch controller as {@link TouchController} samples it: a wait for something to read
 * (outside the unplug guard) and a read of the contacts now (inside it). Lifetime: the hardware
 * binding. Threads: the controller's sampling thread only (and probe, for {@link #init()}).
 */
interface TouchChip {

    /** One contact of a read: raw coordinates after the chip's filter, pressure 0–255. */
    final class Contact {
        int slot;
        int rawX;
        int rawY;
        int pressure;

        void set(int slot, int rawX, int rawY, int pressure) {
            this.slot = slot;
            this.rawX = rawX;
            this.rawY = rawY;
            this.pressure = pressure;
        }
    }

    /** The driver name, e.g. "xpt2046". */
    String name();

    int maxContacts();

    /** The raw range's largest value (for the default calibration). */
    int rawMax();

    /** The calibration when the config gives none: the full raw range over the panel. */
    default org.paneld.drivers.display.TouchCalibration defaultCalibration(TouchTransform t) {
        return t.defaultCalibration(rawMax());
    }

    /** Consecutive touched reads before a contact goes down (1: the chip debounces itself). */
    default int downDebounce() {
        return 1;
    }

    /** Consecutive untouched reads before a contact goes up. */
    default int upDebounce() {
        return 1;
    }

    /** Checks the chip and sets it up for sampling (at probe, before the thread starts). */
    default void init() throws IOException {
    }

    /**
     * Waits, outside the guard, until a read may find something: {@code touched} says whether a
     * contact is down or being debounced (then the chip is sampled at its rate), else the chip is
     * idle (its interrupt line is awaited). Returns false when the read can be skipped.
     */
    boolean await(boolean touched) throws IOException, InterruptedException;

    /** Reads the contacts now into {@code out}, inside the guard; returns how many are touched. */
    int read(Contact[] out) throws IOException;

    /** Stops a blocked {@link #await} (closing a file); called at unplug, any thread. */
    default void wake() {
    }
}
