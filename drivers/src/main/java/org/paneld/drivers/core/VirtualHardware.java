package org.paneld.drivers.core;

import org.paneld.drivers.pixel.RgbImage;

/**
 * Emulated hardware behind a virtual device (a virtual MIPI DBI panel, a virtual GUD device …),
 * attached to its {@link BusDevice}. It plays the physical panel: it outlives bindings, and
 * {@link #snapshot()} shows what a person would see on it, decoded from what the driver sent
 * over the (virtual) wire — never a copy of the client's buffer. Threads: any.
 */
public interface VirtualHardware {

    /** What the panel shows now, orientation applied (black when off or never drawn). */
    RgbImage snapshot();

    /** A one-line state summary for status listings, e.g. "on, 320x240, 18 frames". */
    default String describe() {
        return getClass().getSimpleName();
    }
}
