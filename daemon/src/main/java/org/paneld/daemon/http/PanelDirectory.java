package org.paneld.daemon.http;

import java.util.List;
import org.paneld.drivers.pixel.RgbImage;

/**
 * What the live view may know of the daemon's panels: the list (bound, unbound, unplugged) and
 * each one's picture. The one narrow place where the picture is read, so that it can be
 * re-pointed (today: the emulator's image for a virtual panel, the device's copy of the picture
 * it last sent for a real one). Lifetime: the daemon's. Threads: the live view's thread; never an
 * event loop or a device worker.
 */
public interface PanelDirectory {

    /**
     * One panel as the page lists it.
     *
     * @param state  "bound", "unbound" or "unplugged"
     * @param owner  the owning session, or null
     * @param width  0 when unknown (not bound)
     */
    record Row(String name, String driver, String backend, int width, int height, String state, String owner) {
    }

    /** Every panel, in bus order, then the unplugged ones. */
    List<Row> panels();

    /** What {@code name} shows now, or null when nothing is known (no such panel, never drawn). */
    RgbImage picture(String name);
}
