package org.paneld.drivers.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InitTableTest {
    private static final List<String> STEPS = List.of("config", "hardware", "drivers", "server", "ready");

    private InitTable table(List<String> log, String failAt, String doneAt) {
        InitTable t = new InitTable("test");
        for (String s : STEPS) {
            t.step(s, () -> {
                if (s.equals(failAt)) {
                    throw new IllegalStateException("injected at " + s);
                }
                log.add("init " + s);
                return s.equals(doneAt) ? InitTable.Outcome.DONE : InitTable.Outcome.CONTINUE;
            }, s.equals("config") ? null : () -> log.add("exit " + s));
        }
        return t;
    }

    @Test
    void aFailureAtEveryStepUnwindsExactlyTheStepsBefore() {
        for (int i = 0; i < STEPS.size(); i++) {
            List<String> log = new ArrayList<>();
            InitTable t = table(log, STEPS.get(i), null);
            InitTable.StepFailedException e = assertThrows(InitTable.StepFailedException.class, t::start);
            assertEquals(STEPS.get(i), e.step());
            assertTrue(e.getMessage().contains("'" + STEPS.get(i) + "'"), e.getMessage());
            List<String> expected = new ArrayList<>();
            for (int j = 0; j < i; j++) {
                expected.add("init " + STEPS.get(j));
            }
            for (int j = i - 1; j >= 1; j--) { // config has no exit
                expected.add("exit " + STEPS.get(j));
            }
            assertEquals(expected, log, "failure at " + STEPS.get(i));
            assertEquals(List.of(), t.progress());
        }
    }

    @Test
    void stopUnwindsExactlyWhatStartedInReverse() throws Exception {
        List<String> log = new ArrayList<>();
        InitTable t = table(log, null, null);
        assertNull(t.start());
        assertEquals(STEPS, t.progress());
        t.stop();
        assertEquals(List.of("init config", "init hardware", "init drivers", "init server", "init ready",
                "exit ready", "exit server", "exit drivers", "exit hardware"), log);
        t.stop(); // nothing more
        assertEquals(9, log.size());
    }

    @Test
    void aStepMayEndStartUpEarlyAndStopTearsDownOnlyWhatRan() throws Exception {
        List<String> log = new ArrayList<>();
        InitTable t = table(log, null, "hardware");
        assertEquals("hardware", t.start());
        assertEquals(List.of("config", "hardware"), t.progress());
        t.stop();
        assertEquals(List.of("init config", "init hardware", "exit hardware"), log);
    }

    @Test
    void everyExitRunsEvenWhenOneFails() throws Exception {
        List<String> log = new ArrayList<>();
        InitTable t = new InitTable("t")
                .step("a", () -> InitTable.Outcome.CONTINUE, () -> log.add("exit a"))
                .step("b", () -> InitTable.Outcome.CONTINUE, () -> {
                    throw new IllegalStateException("b exit broke");
                })
                .step("c", () -> InitTable.Outcome.CONTINUE, () -> log.add("exit c"));
        t.start();
        Exception e = assertThrows(Exception.class, t::stop);
        assertTrue(e.getMessage().contains("'b'"), e.getMessage());
        assertEquals(List.of("exit c", "exit a"), log);
    }
}
