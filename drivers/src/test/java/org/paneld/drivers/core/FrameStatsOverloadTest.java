package org.paneld.drivers.core;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/**
 * The sustained-overload detector of {@link FrameStats}, on a synthetic clock: a second of updates
 * back to back with merges is overload; the same without merges, or with the wire half idle, is
 * not; an idle wire ends it, and so does a second with the wire busy less than half the time.
 */
class FrameStatsOverloadTest {
    static final long MS = 1_000_000L;

    /** {@code n} updates of {@code busy} ms, one every {@code every} ms from {@code t}, each after {@code merges} merged; returns the end. */
    static long updates(FrameStats s, long t, int n, long busy, long every, int merges) {
        for (int i = 0; i < n; i++) {
            s.merged(merges);
            s.shown(t, busy * MS);
            t += every * MS;
        }
        return t;
    }

    @Test
    void aSecondBusyWithMergesIsOverloadUntilTheWireIsIdle() {
        FrameStats s = new FrameStats();
        long t = 1_000 * MS;
        t = updates(s, t, 50, 20, 20, 0);
        assertFalse(s.overloaded(t), "a second busy without merges: the client keeps pace");
        t = updates(s, t, 49, 20, 20, 1);
        assertFalse(s.overloaded(t), "not before a whole second was measured");
        t = updates(s, t, 1, 20, 20, 1);
        assertTrue(s.overloaded(t), "a second busy with merges");
        t = updates(s, t, 10, 20, 21, 0);
        assertTrue(s.overloaded(t), "small gaps keep it");
        assertFalse(s.overloaded(t + 60 * MS), "50 ms idle ends it");
        // a fresh second is needed to enter again
        t += 100 * MS;
        t = updates(s, t, 10, 20, 20, 1);
        assertFalse(s.overloaded(t));
    }

    @Test
    void aSecondWithTheWireMostlyIdleEndsItAndHalfBusyNeverStartsIt() {
        FrameStats s = new FrameStats();
        long t = 1_000 * MS;
        t = updates(s, t, 60, 20, 20, 1);
        assertTrue(s.overloaded(t));
        t = updates(s, t, 120, 8, 20, 0); // 40 % busy, gaps of 12 ms (not idle)
        assertFalse(s.overloaded(t), "a second at 40 % busy");
        t = updates(s, t, 120, 10, 20, 1); // merges, but the wire half idle
        assertFalse(s.overloaded(t));
    }
}
