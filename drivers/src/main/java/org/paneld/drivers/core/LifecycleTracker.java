package org.paneld.drivers.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Leak tracking: every live device object, binding and session registers here while it lives
 * (Netty's ResourceLeakDetector, made exact). Tests assert that nothing is left; the daemon's
 * status lists what is alive and who holds it. One tracker per bus/daemon (tests get a fresh
 * one). Threads: any.
 */
public final class LifecycleTracker {
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, Tracked> live = new ConcurrentHashMap<>();

    /**
     * Registers a live object.
     *
     * @param kind    "device", "binding", "session" …
     * @param name    what it is, e.g. "panel0#3"
     * @param details a live description (e.g. its holders), asked only when listing
     */
    public Tracked track(String kind, String name, Supplier<String> details) {
        Tracked t = new Tracked(ids.incrementAndGet(), kind, name, details);
        live.put(t.id, t);
        return t;
    }

    /** Live objects of {@code kind}. */
    public int liveCount(String kind) {
        int n = 0;
        for (Tracked t : live.values()) {
            if (t.kind.equals(kind)) {
                n++;
            }
        }
        return n;
    }

    public int liveCount() {
        return live.size();
    }

    /** One line per live object, oldest first: {@code kind name: details}. */
    public List<String> listing() {
        List<Tracked> all = new ArrayList<>(live.values());
        all.sort((a, b) -> Long.compare(a.id, b.id));
        List<String> out = new ArrayList<>();
        for (Tracked t : all) {
            String d;
            try {
                d = t.details == null ? "" : t.details.get();
            } catch (RuntimeException e) {
                d = "(details failed: " + e + ")";
            }
            out.add(t.kind + " " + t.name + (d.isEmpty() ? "" : ": " + d));
        }
        return out;
    }

    /** Throws IllegalStateException listing what is still alive, if anything is. */
    public void assertNoneLive() {
        if (!live.isEmpty()) {
            throw new IllegalStateException("leaked " + live.size() + " object(s):\n  " + String.join("\n  ", listing()));
        }
    }

    /** A registration; {@link #close()} (idempotent) ends it. */
    public final class Tracked implements AutoCloseable {
        private final long id;
        private final String kind;
        private final String name;
        private final Supplier<String> details;
        private final AtomicBoolean closed = new AtomicBoolean();

        private Tracked(long id, String kind, String name, Supplier<String> details) {
            this.id = id;
            this.kind = kind;
            this.name = name;
            this.details = details;
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                live.remove(id);
            }
        }
    }
}
