package org.paneld.daemon.session;

import org.paneld.drivers.core.Device;

/**
 * Hears every client FLUSH and FLIP after the device ran it (the live view and the metrics of
 * {@code [http]}). Must be quick and must not block: it runs on the device's worker, between two
 * frames. Lifetime: set on the {@link SessionManager} for the server's life. Threads: device workers.
 */
public interface FlushObserver {

    /**
     * One client request's frames were sent to {@code device} (or failed).
     *
     * @param rects     the rectangles sent (1 for a flip)
     * @param pixels    the pixels they cover
     * @param wireBytes bytes the driver put on the wire for them, or -1 when its driver does not count
     * @param nanos     wall time spent in the driver
     * @param error     the failure, or null
     */
    void flushed(Device device, int rects, long pixels, long wireBytes, long nanos, Exception error);
}
