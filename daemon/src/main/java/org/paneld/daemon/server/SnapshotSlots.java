package org.paneld.daemon.server;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the ADMIN_SNAPSHOT requests in flight (queued for or running on the admin thread, until
 * the reply is handed to the connection): at most {@link #PER_CONNECTION} per connection and
 * {@link #DAEMON_WIDE} in the whole daemon; one more is refused with EBUSY at once instead of
 * queueing (a snapshot of a large panel is up to 64 MiB). Lifetime: the server's. Threads: any.
 */
final class SnapshotSlots {
    static final int PER_CONNECTION = 2;
    static final int DAEMON_WIDE = 4;

    private final AtomicInteger inFlight = new AtomicInteger();

    /** Takes a slot for a connection whose in-flight count is {@code mine}; null when taken, else why not. */
    String tryAcquire(AtomicInteger mine) {
        if (mine.incrementAndGet() > PER_CONNECTION) {
            mine.decrementAndGet();
            return PER_CONNECTION + " ADMIN_SNAPSHOTs of this connection are already in flight (limit " + PER_CONNECTION
                    + " per connection); send the next one when one is answered";
        }
        if (inFlight.incrementAndGet() > DAEMON_WIDE) {
            inFlight.decrementAndGet();
            mine.decrementAndGet();
            return DAEMON_WIDE + " ADMIN_SNAPSHOTs are already in flight in the daemon (limit " + DAEMON_WIDE
                    + "); retry when one is answered";
        }
        return null;
    }

    /** Gives back the slot taken with {@link #tryAcquire}. */
    void release(AtomicInteger mine) {
        mine.decrementAndGet();
        inFlight.decrementAndGet();
    }

    /** Snapshots in flight daemon-wide (for tests and status). */
    int inFlight() {
        return inFlight.get();
    }
}
