package org.paneld.drivers.virtual;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;


/**
 * What the DBI emulator writes down, bounded so a panel that runs for weeks holds a fixed amount:
 * the protocol violations (the first {@value #MAX_VIOLATIONS} as text, then only a count) and
 * the command log (a ring of the last {@link #logCapacity()} commands, at most
 * {@value #MAX_LOG_PARAM_BYTES} parameter bytes in all, then only a count of what fell out).
 * Lifetime: its panel. Threads: the panel's lock.
 */
final class DbiRecorder {
    static final int MAX_VIOLATIONS = 200;
    /** Default ring size: several init sequences with their first frames. */
    static final int DEFAULT_LOG_CAPACITY = 512;
    /** Parameter bytes the ring may hold in all (a single entry may exceed it). */
    static final int MAX_LOG_PARAM_BYTES = 64 * 1024;

    private final List<String> violations = new ArrayList<>();
    private long violationCount;

    private DbiCommand[] ring = new DbiCommand[DEFAULT_LOG_CAPACITY];
    private int head;          // index of the oldest entry
    private int size;
    private long paramBytes;   // parameter bytes held in the ring
    private long dropped;      // entries that fell out of the ring

    // ------------------------------------------------------------------ violations

    void violation(long pos, String what) {
        violationCount++;
        if (violations.size() < MAX_VIOLATIONS) {
            violations.add("byte " + pos + ": " + what);
        }
    }

    long violationCount() {
        return violationCount;
    }

    /** The kept violations, then "... and N more" when some were only counted. */
    List<String> violations() {
        List<String> out = new ArrayList<>(violations);
        if (violationCount > violations.size()) {
            out.add("... and " + (violationCount - violations.size()) + " more");
        }
        return Collections.unmodifiableList(out);
    }

    /** The first {@code n} kept violations. */
    List<String> firstViolations(int n) {
        return new ArrayList<>(violations.subList(0, Math.min(n, violations.size())));
    }

    void clearViolations() {
        violations.clear();
        violationCount = 0;
    }

    // ------------------------------------------------------------------ command log

    void log(DbiCommand c) {
        if (size == ring.length) {
            evictOldest();
        }
        ring[(head + size) % ring.length] = c;
        size++;
        paramBytes += c.paramCount();
        while (paramBytes > MAX_LOG_PARAM_BYTES && size > 1) {
            evictOldest();
        }
    }

    private void evictOldest() {
        paramBytes -= ring[head].paramCount();
        ring[head] = null;
        head = (head + 1) % ring.length;
        size--;
        dropped++;
    }

    /** The ring's entries, oldest first. */
    List<DbiCommand> log() {
        List<DbiCommand> out = new ArrayList<>(size + 1);
        for (int i = 0; i < size; i++) {
            out.add(ring[(head + i) % ring.length]);
        }
        return out;
    }

    void clearLog() {
        java.util.Arrays.fill(ring, null);
        head = 0;
        size = 0;
        paramBytes = 0;
        dropped = 0;
    }

    /** Commands that fell out of the ring since it was last cleared. */
    long dropped() {
        return dropped;
    }

    int logCapacity() {
        return ring.length;
    }

    /** Changes the ring size (keeping the newest entries that fit). */
    void setLogCapacity(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("command log capacity must be at least 1, got " + capacity);
        }
        List<DbiCommand> keep = log();
        long droppedBefore = dropped;
        ring = new DbiCommand[capacity];
        head = 0;
        size = 0;
        paramBytes = 0;
        for (DbiCommand c : keep) {
            log(c);
        }
        dropped += droppedBefore;
    }
}
