package org.paneld.daemon.server;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Counts the connection slots in use, in total and per peer, and decides who gets one (see
 * {@link Admission}): a non-admin peer is refused when the global cap or its per-uid cap is
 * reached; an admin peer (root or the daemon's uid on the Unix socket) only when the global cap
 * plus the admin reserve is reached; connections that have not said HELLO yet make room for a
 * new one (see {@link #acquire}). The per-peer table holds an entry only while that peer has a
 * connection, the waiting set only connections before their HELLO (no growth with churn). Lifetime: the server's. Threads: any (synchronized).
 */
final class ConnectionSlots {
    /** The peer key of all TCP connections (they share one per-uid cap). */
    static final int TCP = -1;
    /** The peer key of Unix connections whose credentials could not be read. */
    static final int UNKNOWN = -2;

    private final int max;
    private final Admission admission;
    private final Map<Integer, Integer> perPeer = new HashMap<>();
    /** Slots whose connection has not said HELLO yet, oldest first: the ones evicted to make room. */
    private final Set<Slot> waiting = new LinkedHashSet<>();
    private int total;

    ConnectionSlots(int maxConnections, Admission admission) {
        this.max = maxConnections;
        this.admission = admission;
    }

    /** A slot held by one connection; {@link #release()} is idempotent. */
    final class Slot {
        private final int peer;
        private final boolean admin;
        private final Runnable evict;
        private boolean released;

        private Slot(int peer, boolean admin, Runnable evict) {
            this.peer = peer;
            this.admin = admin;
            this.evict = evict;
        }

        /** The connection said HELLO: it is no longer evicted to make room. */
        void helloDone() {
            synchronized (ConnectionSlots.this) {
                waiting.remove(this);
            }
        }

        void release() {
            synchronized (ConnectionSlots.this) {
                free(this);
            }
        }
    }

    private void free(Slot s) {
        if (s.released) {
            return;
        }
        s.released = true;
        total--;
        waiting.remove(s);
        if (!s.admin) {
            perPeer.computeIfPresent(s.peer, (k, n) -> n == 1 ? null : n - 1);
        }
    }

    /** The outcome of {@link #acquire}: a slot, or the reason for the refusal (EBUSY). */
    record Outcome(Slot slot, String refusal) {
    }

    /**
     * Takes a slot for {@code peer} (a uid, {@link #TCP} or {@link #UNKNOWN}), or says why not.
     * When the cap that refuses it is held partly by connections that have not said HELLO yet, the
     * oldest of those are evicted to make room (their slots are freed now and their {@code evict}
     * actions run, on this thread, after the decision): a connection that says HELLO at once is
     * not kept out by silent ones, whoever opened them. At most {@code admin_reserved_connections
     * + 1} are evicted per call.
     */
    Outcome acquire(int peer, boolean admin, Runnable evict) {
        List<Slot> evicted = new ArrayList<>();
        Outcome out;
        synchronized (this) {
            while (true) {
                boolean perPeerCap = !admin && total < max && perPeer.getOrDefault(peer, 0) >= admission.maxConnectionsPerUid();
                String refusal = refusal(peer, admin);
                if (refusal == null) {
                    if (!admin) {
                        perPeer.merge(peer, 1, Integer::sum);
                    }
                    total++;
                    Slot s = new Slot(peer, admin, evict);
                    waiting.add(s);
                    out = new Outcome(s, null);
                    break;
                }
                // evict only when enough connections without HELLO exist to make the room
                int need = perPeerCap ? 1 : total - (admin ? max + admission.adminReserve() : max) + 1;
                Slot victim = null;
                int candidates = 0;
                for (Slot w : waiting) {
                    if (!perPeerCap || !w.admin && w.peer == peer) {
                        victim = victim == null ? w : victim;
                        candidates++;
                    }
                }
                if (victim == null || candidates < need || evicted.size() > admission.adminReserve()) {
                    out = new Outcome(null, refusal);
                    break;
                }
                free(victim);
                evicted.add(victim);
            }
        }
        for (Slot v : evicted) {
            v.evict.run();
        }
        return out;
    }

    private String refusal(int peer, boolean admin) {
        if (admin) {
            if (total >= max + admission.adminReserve()) {
                return "too many connections (" + total + " open: max_connections " + max
                        + " plus admin_reserved_connections " + admission.adminReserve() + ")";
            }
            return null;
        }
        if (total >= max) {
            return "too many connections (max_connections " + max + " reached; the "
                    + admission.adminReserve() + " reserved slots are for root and the daemon's uid)";
        }
        int mine = perPeer.getOrDefault(peer, 0);
        if (mine >= admission.maxConnectionsPerUid()) {
            return "too many connections from " + describe(peer) + " (" + mine
                    + " open, max_connections_per_uid " + admission.maxConnectionsPerUid() + ")";
        }
        return null;
    }

    /** Connections that have not said HELLO (tests). */
    synchronized int waiting() {
        return waiting.size();
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
