package org.paneld.protocol;

/**
 * Limits the decoder enforces while it reads a frame: the frame length, the rectangles in one
 * FLUSH, the size of one buffer (CREATE_BUFFER) and of one WRITE. Immutable; any thread.
 */
public record DecodeLimits(int maxFrame, int maxRects, long maxBufferBytes) {
    /** What a client accepts from a server: 64 MiB frames (snapshots), no rectangle or buffer limits of its own. */
    public static DecodeLimits client() {
        return new DecodeLimits(64 << 20, Integer.MAX_VALUE, Long.MAX_VALUE);
    }
}
