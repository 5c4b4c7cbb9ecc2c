package org.paneld.drivers.display;

import java.util.Optional;

/**
 * The touch controller that belongs to a display, as the rest of paneld sees it.
 *
 * <p>Lifetime: created with the display at probe; sampling runs while the display's binding is
 * bound and stops at unplug/unbind together with the panel (no event, in particular no
 * {@code UP}, is reported after unplug). Listeners may be added and removed from any thread at
 * any time; after {@link #removeListener} returns the listener is not called again.
 */
public interface TouchInput {

    /** How many contacts can be down at once (1 for resistive controllers, 2 for the FT6236). */
    int maxContacts();

    /** The touch controller's driver name, e.g. "xpt2046", "stmpe610", "ft6236", "evdev". */
    String driver();

    void addListener(TouchListener listener);

    void removeListener(TouchListener listener);

    /** The calibration now applied to raw samples. */
    TouchCalibration calibration();

    /** Replaces the calibration at once (admin: {@code panelctl calibrate}); no hardware access. */
    void setCalibration(TouchCalibration calibration);

    /**
     * Present only for emulated controllers: presses and moves the virtual finger, in display
     * coordinates; the emulated chip then reports it on its own wire, so sampling, filtering,
     * calibration and rotation all run as with a real chip.
     */
    default Optional<TouchSimulator> simulator() {
        return Optional.empty();
    }
}
