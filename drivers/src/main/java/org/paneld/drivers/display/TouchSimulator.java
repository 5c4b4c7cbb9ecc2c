package org.paneld.drivers.display;

/**
 * The finger of an emulated touch controller (virtual panels only), in display coordinates of
 * the picture the client draws. Any thread. The emulated chip turns the position into raw samples
 * (its own uncalibrated range, rotation and noise) and raises its interrupt line; the driver then
 * samples it like real hardware.
 */
public interface TouchSimulator {

    /** Finger down at (x, y) (or moved there while down). */
    void press(int x, int y);

    /** Finger lifted. */
    void release();
}
