package org.paneld.daemon.server;

import java.util.Map;

/**
 * Who gets a connection slot and how long a connection may stay without saying HELLO: the
 * lock-out defences of the server. The global cap is {@link Limits#maxConnections()}; on top of
 * it each peer (one Unix uid, or all TCP peers together) may hold at most
 * {@code maxConnectionsPerUid} slots, and root and the daemon's own uid on the Unix socket are
 * exempt from the per-uid cap and may use {@code adminReserve} slots beyond the global cap, so an
 * administrator can always connect. Immutable; any thread.
 *
 * @param helloTimeoutMs       a connection that has not completed HELLO this long after it was
 *                             accepted gets an ERROR ETIMEDOUT (id 0) and is closed
 * @param maxConnectionsPerUid slots one Unix uid (or the TCP peer class) may hold at once
 * @param adminReserve         slots beyond {@code max_connections} only admin peers may use
 */
public record Admission(long helloTimeoutMs, int maxConnectionsPerUid, int adminReserve) {
    /** The {@code [server.limits]} keys read by {@link #take(Map)}. */
    public static final String KEYS = "hello_timeout_ms, max_connections_per_uid, admin_reserved_connections";
    static final long MIN_HELLO_TIMEOUT_MS = 100;
    static final long MAX_HELLO_TIMEOUT_MS = 600_000;
    static final int MAX_ADMIN_RESERVE = 1024;

    public Admission {
        if (helloTimeoutMs < MIN_HELLO_TIMEOUT_MS || helloTimeoutMs > MAX_HELLO_TIMEOUT_MS) {
            throw new IllegalArgumentException("key 'hello_timeout_ms': must be from " + MIN_HELLO_TIMEOUT_MS + " to "
                    + MAX_HELLO_TIMEOUT_MS + " (milliseconds), got " + helloTimeoutMs);
        }
        if (maxConnectionsPerUid < 1) {
            throw new IllegalArgumentException("key 'max_connections_per_uid': must be at least 1, got " + maxConnectionsPerUid);
        }
        if (adminReserve < 1 || adminReserve > MAX_ADMIN_RESERVE) {
            throw new IllegalArgumentException("key 'admin_reserved_connections': must be from 1 to " + MAX_ADMIN_RESERVE
                    + ", got " + adminReserve);
        }
    }

    /** HELLO within 5 s, 32 connections per uid, 8 slots reserved for admin. */
    public static Admission defaults() {
        return new Admission(5000, 32, 8);
    }

    /**
     * Reads (and removes) this record's keys from a {@code [server.limits]} table, defaults for
     * the missing ones. Throws IllegalArgumentException naming the key on a bad value.
     */
    public static Admission take(Map<String, Long> limits) {
        Admission d = defaults();
        long hello = value(limits, "hello_timeout_ms", d.helloTimeoutMs());
        long perUid = value(limits, "max_connections_per_uid", d.maxConnectionsPerUid());
        long reserve = value(limits, "admin_reserved_connections", d.adminReserve());
        if (perUid > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("key 'max_connections_per_uid': must be at most " + Integer.MAX_VALUE + ", got " + perUid);
        }
        return new Admission(hello, (int) perUid, (int) Math.min(reserve, Integer.MAX_VALUE));
    }

    private static long value(Map<String, Long> l, String key, long dflt) {
        Long v = l.remove(key);
        return v == null ? dflt : v;
    }
}
