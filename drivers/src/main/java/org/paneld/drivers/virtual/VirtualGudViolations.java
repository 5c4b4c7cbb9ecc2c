package org.paneld.drivers.virtual;

import java.util.ArrayList;
import java.util.List;

/**
 * The emulated GUD device's record of wrong host streams (what the real device would stall,
 * ignore or show corrupted): the first {@value #KEPT} kept as text, the rest only counted, so the
 * record stays bounded however long the device lives. Guarded by the device's lock.
 */
final class VirtualGudViolations {
    static final int KEPT = 64;

    private final List<String> kept = new ArrayList<>();
    private long count;
    private String last;

    void add(String what) {
        count++;
        last = what;
        if (kept.size() < KEPT) {
            kept.add(what);
        }
    }

    /** The kept ones, plus "... and N more" when some were only counted. */
    List<String> list() {
        List<String> out = new ArrayList<>(kept);
        if (count > kept.size()) {
            out.add("... and " + (count - kept.size()) + " more");
        }
        return out;
    }

    long count() {
        return count;
    }

    String last() {
        return last;
    }

    void clear() {
        kept.clear();
        count = 0;
        last = null;
    }
}
