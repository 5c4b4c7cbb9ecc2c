package org.paneld.drivers.display;

/**
 * Receives a display's touch reports. Called on the touch controller's sampling thread, one event
 * at a time and in order per contact; must not block (hand the event to another thread or queue).
 * An exception thrown here is logged by the caller and does not stop sampling.
 */
@FunctionalInterface
public interface TouchListener {
    void onTouch(TouchEvent event);
}
