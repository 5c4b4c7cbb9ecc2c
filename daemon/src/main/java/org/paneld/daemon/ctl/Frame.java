package org.paneld.daemon.ctl;

/**
 * One source frame of {@code panelctl stream}: its size, pixel layout and bytes (line y at
 * {@code y * stride}). The byte array is reused from frame to frame by whoever owns the frame.
 * Lifetime: one frame's trip from reader to scaler. Threads: one owner at a time (handed over
 * through {@link LatestFrame}).
 */
final class Frame {
    int width;
    int height;
    int stride;
    StreamFormat format;
    byte[] data = new byte[0];
    /** 1-based number of the frame in the input. */
    long number;

    /** Makes room for {@code bytes} bytes (keeps the array when it is big enough). */
    byte[] ensure(int bytes) {
        if (data.length < bytes) {
            data = new byte[bytes];
        }
        return data;
    }
}
