package org.paneld.daemon.server;

/**
 * Per-connection and per-frame limits the server enforces. Exceeding a per-connection count
 * (sessions, buffers) answers EBUSY, exceeding the byte budget ENOMEM; a frame over
 * {@code maxFrameBytes} closes the connection after an EMSGSIZE error frame. Immutable; any thread.
 *
 * @param maxFrameBytes             largest frame accepted (length field value), either direction
 * @param maxSessionsPerConnection  open sessions per connection
 * @param maxBuffersPerConnection   live buffers per connection
 * @param maxBufferBytesPerConnection total bytes of live buffers per connection
 * @param maxBufferBytes            largest single buffer (stride x height)
 * @param maxRectsPerFlush          damage rectangles in one FLUSH
 * @param maxConnections            connections at once (further ones are refused with EBUSY)
 */
public record Limits(int maxFrameBytes, int maxSessionsPerConnection, int maxBuffersPerConnection,
                     long maxBufferBytesPerConnection, long maxBufferBytes, int maxRectsPerFlush, int maxConnections) {

    public Limits {
        if (maxFrameBytes < 64 || maxSessionsPerConnection < 1 || maxBuffersPerConnection < 1
                || maxBufferBytesPerConnection < 1 || maxBufferBytes < 1 || maxRectsPerFlush < 1 || maxConnections < 1) {
            throw new IllegalArgumentException("limits must be positive (frame >= 64 bytes): " + asString(maxFrameBytes,
                    maxSessionsPerConnection, maxBuffersPerConnection, maxBufferBytesPerConnection, maxBufferBytes,
                    maxRectsPerFlush, maxConnections));
        }
    }

    /** 16 MiB frames, 16 sessions, 64 buffers, 256 MiB of buffers, 64 MiB per buffer, 256 rectangles, 256 connections. */
    public static Limits defaults() {
        return new Limits(16 << 20, 16, 64, 256L << 20, 64L << 20, 256, 256);
    }

    private static String asString(Object... v) {
        return java.util.Arrays.toString(v);
    }
}
