package org.paneld.drivers.display;

/**
 * One touch report of a display's touch controller, already filtered, calibrated and rotated:
 * {@code x}, {@code y} are display pixels of the picture the client draws ((0,0) top-left at
 * every rotation, clamped to the display). {@code rawX}/{@code rawY} are the controller's
 * filtered samples before calibration (what {@code panelctl calibrate} fits against).
 * {@code pressure} is 0..255 (255 when the controller has no pressure). {@code slot} is the
 * contact (0 for single-touch controllers). {@code timestampMicros} is CLOCK_MONOTONIC-like
 * ({@link System#nanoTime()} / 1000) at the sample that produced the report. Immutable.
 */
public record TouchEvent(Kind kind, int slot, int x, int y, int rawX, int rawY, int pressure, long timestampMicros) {

    /** Down starts a contact, move continues it, up ends it (reported once, never invented after unplug). */
    public enum Kind {
        DOWN, MOVE, UP
    }

    public TouchEvent {
        if (kind == null) {
            throw new IllegalArgumentException("touch event without kind");
        }
        if (slot < 0 || pressure < 0 || pressure > 255) {
            throw new IllegalArgumentException("touch event slot " + slot + " pressure " + pressure);
        }
    }
}
