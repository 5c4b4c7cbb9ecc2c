package org.paneld.drivers.core;

/**
 * Hears what happens on a {@link Bus}. Called on the thread that caused the event; must not
 * block for long and must not call back into the bus's teardown. Default methods do nothing.
 */
public interface BusListener {
    /** A device appeared on the bus (not yet bound). */
    default void deviceAdded(BusDevice device) {
    }

    /** A driver bound a device; the display is enabled. */
    default void deviceBound(Binding binding) {
    }

    /** A binding ended (hardware released); {@code surprise} for removal without warning. */
    default void deviceUnbound(Binding binding, boolean surprise) {
    }

    /** A device left the bus. */
    default void deviceRemoved(BusDevice device) {
    }
}
