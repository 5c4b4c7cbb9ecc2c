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
 * @param memoryBudgetBytes         the daemon-wide memory budget every other limit fits in ({@link MemoryBudget})
 * @param maxPendingBytesPerConnection one connection's share of the budget for work queued on device workers
 *                                  and output it has not read yet (over it: reading pauses, or ERROR ENOMEM and close)
 */
public record Limits(int maxFrameBytes, int maxSessionsPerConnection, int maxBuffersPerConnection,
                     long maxBufferBytesPerConnection, long maxBufferBytes, int maxRectsPerFlush, int maxConnections,
                     long memoryBudgetBytes, long maxPendingBytesPerConnection) {

    public Limits {
        if (maxFrameBytes < 64 || maxSessionsPerConnection < 1 || maxBuffersPerConnection < 1
                || maxBufferBytesPerConnection < 1 || maxBufferBytes < 1 || maxRectsPerFlush < 1 || maxConnections < 1
                || memoryBudgetBytes < 1 || maxPendingBytesPerConnection < 1) {
            throw new IllegalArgumentException("limits must be positive (frame >= 64 bytes): " + asString(maxFrameBytes,
                    maxSessionsPerConnection, maxBuffersPerConnection, maxBufferBytesPerConnection, maxBufferBytes,
                    maxRectsPerFlush, maxConnections, memoryBudgetBytes, maxPendingBytesPerConnection));
        }
        MemoryBudget.check(maxBufferBytesPerConnection, maxBufferBytes, maxRectsPerFlush, maxConnections, memoryBudgetBytes,
                maxPendingBytesPerConnection);
    }

    /** With the derived memory budget ({@link MemoryBudget#derivedTotal()}) and its default pending share. */
    public Limits(int maxFrameBytes, int maxSessionsPerConnection, int maxBuffersPerConnection,
                  long maxBufferBytesPerConnection, long maxBufferBytes, int maxRectsPerFlush, int maxConnections) {
        this(maxFrameBytes, maxSessionsPerConnection, maxBuffersPerConnection, maxBufferBytesPerConnection, maxBufferBytes,
                maxRectsPerFlush, maxConnections, MemoryBudget.derivedTotal(),
                MemoryBudget.defaultPending(MemoryBudget.available(MemoryBudget.derivedTotal(), maxConnections)));
    }

    /**
     * 16 MiB frames, 16 sessions, 64 buffers, 256 rectangles, 256 connections, and the memory
     * limits derived from the JVM's ({@link #defaults(long, int)} of {@link MemoryBudget#derivedTotal()}).
     */
    public static Limits defaults() {
        return defaults(MemoryBudget.derivedTotal(), 256);
    }

    /**
     * The default limits for a memory budget of {@code budget} bytes and {@code maxConnections}:
     * of what is available after the per-connection set-aside, all of it (at most 256 MiB) for
     * one connection's buffers, all of it (at most 64 MiB) for one buffer, an eighth (256 KiB .. 8 MiB)
     * for one connection's pending share.
     */
    public static Limits defaults(long budget, int maxConnections) {
        long avail = MemoryBudget.available(budget, maxConnections);
        return new Limits(16 << 20, 16, 64, Math.max(1, Math.min(256L << 20, avail)), Math.max(1, Math.min(64L << 20, avail)),
                256, maxConnections, budget, MemoryBudget.defaultPending(avail));
    }

    private static String asString(Object... v) {
        return java.util.Arrays.toString(v);
    }
}
