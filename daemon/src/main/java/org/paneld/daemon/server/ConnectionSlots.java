package org.paneld.daemon.server;

import java.util.HashMap;
import java.util.Map;

/**
 * Counts the connection slots in use, in total and per peer, and decides who gets one (see
 * {@link Admission}): a non-admin peer is refused when the global cap or its per-uid cap is
 * reached; an admin peer (root or the daemon's uid on the Unix socket) only when the global cap
 * plus the admin reserve is reached. The per-peer table holds an entry only while that peer has
 * a connection (no growth with churn). Lifetime: the server's. Threads: any (synchronized).
 */
final class ConnectionSlots {
    /** The peer key of all TCP connections (they share one per-uid cap). */
    static final int TCP = -1;
    /** The peer key of Unix connections whose credentials could not be read. */
    static final int UNKNOWN = -2;

    private final int max;
    private final Admission admission;
    private final Map<Integer, Integer> perPeer = new HashMap<>();
    private int total;

    ConnectionSlots(int maxConnections, Admission admission) {
        this.max = maxConnections;
        this.admission = admission;
    }

    /** A slot held by one connection; {@link #release()} is idempotent. */
    final class Slot {
        private final int peer;
        private final boolean admin;
        private boolean released;

        private Slot(int peer, boolean admin) {
            this.peer = peer;
            this.admin = admin;
        }

        void release() {
            synchronized (ConnectionSlots.this) {
                if (released) {
                    return;
                }
                released = true;
                total--;
                if (!admin) {
                    perPeer.computeIfPresent(peer, (k, n) -> n == 1 ? null : n - 1);
                }
            }
        }
    }

    /** The outcome of {@link #acquire}: a slot, or the reason for the refusal (EBUSY). */
    record Outcome(Slot slot, String refusal) {
    }

    /** Takes a slot for {@code peer} (a uid, {@link #TCP} or {@link #UNKNOWN}), or says why not. */
    synchronized Outcome acquire(int peer, boolean admin) {
        if (admin) {
            if (total >= max + admission.adminReserve()) {
                return new Outcome(null, "too many connections (" + total + " open: max_connections " + max
                        + " plus admin_reserved_connections " + admission.adminReserve() + ")");
            }
        } else {
            if (total >= max) {
                return new Outcome(null, "too many connections (max_connections " + max + " reached; the "
                        + admission.adminReserve() + " reserved slots are for root and the daemon's uid)");
            }
            int mine = perPeer.getOrDefault(peer, 0);
            if (mine >= admission.maxConnectionsPerUid()) {
                return new Outcome(null, "too many connections from " + describe(peer) + " (" + mine
                        + " open, max_connections_per_uid " + admission.maxConnectionsPerUid() + ")");
            }
            perPeer.put(peer, mine + 1);
        }
        total++;
        return new Outcome(new Slot(peer, admin), null);
    }

    /** Refused connections that may wait at once for their client to close (see Connection#refuse); more close at once. */
    static final int MAX_LINGERING = 64;
    private final java.util.concurrent.atomic.AtomicInteger lingering = new java.util.concurrent.atomic.AtomicInteger();

    /** True (counted) when one more refused connection may linger; each true is paired with one {@link #endLinger()}. */
    boolean startLinger() {
        if (lingering.incrementAndGet() > MAX_LINGERING) {
            lingering.decrementAndGet();
            return false;
        }
        return true;
    }

    void endLinger() {
        lingering.decrementAndGet();
    }

    int lingering() {
        return lingering.get();
    }

    synchronized int total() {
        return total;
    }

    /** Peers with a non-admin slot (for tests: the table must not grow with churn). */
    synchronized int peers() {
        return perPeer.size();
    }

    static String describe(int peer) {
        return peer == TCP ? "tcp peers (all TCP connections share one per-uid cap)" : peer == UNKNOWN ? "peers of unknown uid" : "uid " + peer;
    }
}
