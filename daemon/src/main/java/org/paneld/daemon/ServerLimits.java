package org.paneld.daemon;

import java.util.LinkedHashMap;
import java.util.Map;
import org.paneld.daemon.config.ServerConfig;
import org.paneld.daemon.server.Admission;
import org.paneld.daemon.server.Limits;
import org.paneld.drivers.core.ConfigException;

/**
 * Reads the config's {@code [server.limits]} table into the server's {@link Limits} and
 * {@link Admission}. Stateless; any thread (the daemon's config and server steps).
 */
final class ServerLimits {
    private ServerLimits() {
    }

    /** The {@code [server.limits]} table as the server's {@link Limits}; unknown keys and out-of-range values are a ConfigException naming them. */
    static Limits limits(ServerConfig s) throws ConfigException {
        Map<String, Long> l = new LinkedHashMap<>(s.limits());
        try {
            Admission.take(l); // its keys share the table; read by admission()
            long budget = take(l, "memory_budget_bytes", org.paneld.daemon.server.MemoryBudget.derivedTotal(), Long.MAX_VALUE);
            Limits d = Limits.defaults(budget, (int) Math.min(Integer.MAX_VALUE, l.getOrDefault("max_connections", 256L)));
            Limits out = new Limits(
                    (int) take(l, "max_frame_bytes", d.maxFrameBytes(), Integer.MAX_VALUE),
                    (int) take(l, "max_sessions_per_connection", d.maxSessionsPerConnection(), Integer.MAX_VALUE),
                    (int) take(l, "max_buffers_per_connection", d.maxBuffersPerConnection(), Integer.MAX_VALUE),
                    take(l, "max_buffer_bytes_per_connection", d.maxBufferBytesPerConnection(), Long.MAX_VALUE),
                    take(l, "max_buffer_bytes", d.maxBufferBytes(), Long.MAX_VALUE),
                    (int) take(l, "max_rects_per_flush", d.maxRectsPerFlush(), Integer.MAX_VALUE),
                    (int) take(l, "max_connections", d.maxConnections(), Integer.MAX_VALUE),
                    budget,
                    take(l, "max_pending_bytes_per_connection", d.maxPendingBytesPerConnection(), Long.MAX_VALUE));
            if (!l.isEmpty()) {
                throw new ConfigException("[server.limits]: unknown key" + (l.size() > 1 ? "s " : " ") + l.keySet()
                        + " (known: max_frame_bytes, max_sessions_per_connection, max_buffers_per_connection,"
                        + " max_buffer_bytes_per_connection, max_buffer_bytes, max_rects_per_flush, max_connections,"
                        + " memory_budget_bytes, max_pending_bytes_per_connection, " + Admission.KEYS + ")");
            }
            return out;
        } catch (IllegalArgumentException e) {
            throw new ConfigException("[server.limits]: " + e.getMessage());
        }
    }

    /** The {@code [server.limits]} keys of the lock-out defences (HELLO deadline, per-uid slots, admin reserve). */
    static Admission admission(ServerConfig s) throws ConfigException {
        try {
            return Admission.take(new LinkedHashMap<>(s.limits()));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("[server.limits]: " + e.getMessage());
        }
    }

    private static long take(Map<String, Long> l, String key, long dflt, long max) {
        Long v = l.remove(key);
        if (v == null) {
            return dflt;
        }
        if (v > max) {
            throw new IllegalArgumentException("key '" + key + "': must be at most " + max + ", got " + v);
        }
        return v;
    }
}
