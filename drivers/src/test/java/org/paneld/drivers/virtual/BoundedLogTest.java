package org.paneld.drivers.virtual;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class BoundedLogTest {

    @Test
    void latestKeepsTheMostRecentEntriesInOrder() {
        BoundedLog<Integer> log = BoundedLog.latest(3);
        for (int i = 1; i <= 7; i++) {
            log.add(i);
        }
        assertEquals(List.of(5, 6, 7), log);
        assertEquals(4, log.dropped());
        assertEquals(List.of(5, 6, 7), List.copyOf(log), "iteration sees the same order");
        log.clear();
        assertEquals(List.of(), log);
        log.add(8);
        assertEquals(List.of(8), log);
        assertEquals(4, log.dropped());
    }

    @Test
    void firstKeepsTheFirstEntriesAndCountsTheRest() {
        BoundedLog<String> log = BoundedLog.first(2);
        log.add("cause");
        log.add("second");
        log.add("cascade");
        assertEquals(List.of("cause", "second"), log);
        assertEquals(1, log.dropped());
    }

    @Test
    void badUseIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> BoundedLog.latest(0));
        assertThrows(NullPointerException.class, () -> BoundedLog.latest(1).add(null));
        assertThrows(IndexOutOfBoundsException.class, () -> BoundedLog.latest(2).get(0));
    }
}
