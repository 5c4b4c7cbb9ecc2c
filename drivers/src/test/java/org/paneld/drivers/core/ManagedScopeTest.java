package org.paneld.drivers.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManagedScopeTest {

    @Test
    void releasesLastRegisteredFirstExactlyOnce() throws Exception {
        ManagedScope s = new ManagedScope("hw");
        List<String> order = new ArrayList<>();
        s.add("spi", () -> order.add("spi"));
        s.add("gpio", () -> order.add("gpio"));
        s.add("thread", () -> order.add("thread"));
        s.release();
        s.release();
        assertEquals(List.of("thread", "gpio", "spi"), order);
        assertEquals(3, s.ranCount());
        assertTrue(s.isReleased());
    }

    @Test
    void aFailingActionDoesNotStopTheOthersAndAllFailuresAreReported() {
        ManagedScope s = new ManagedScope("hw");
        List<String> order = new ArrayList<>();
        s.add("a", () -> order.add("a"));
        s.add("b", () -> {
            throw new IllegalStateException("b broke");
        });
        s.add("c", () -> {
            throw new java.io.IOException("c broke");
        });
        s.add("d", () -> order.add("d"));
        ScopeReleaseException e = assertThrows(ScopeReleaseException.class, s::release);
        assertEquals(List.of("d", "a"), order);
        assertTrue(e.getMessage().contains("'c'"), e.getMessage());
        assertEquals(1, e.getSuppressed().length);
        assertTrue(e.getSuppressed()[0].getMessage().contains("b broke"));
    }

    @Test
    void addOrResetRunsTheActionAtOnceWhenTheScopeIsGone() throws Exception {
        ManagedScope s = new ManagedScope("hw");
        s.release();
        List<String> ran = new ArrayList<>();
        assertThrows(IllegalStateException.class, () -> s.addOrReset("late", () -> ran.add("late")));
        assertEquals(List.of("late"), ran, "the resource must not leak");
        assertThrows(IllegalStateException.class, () -> s.add("late2", () -> ran.add("late2")));
        assertEquals(List.of("late"), ran, "plain add refuses without running");
    }

    @Test
    void releaseEarlyRunsOnceAndRemoveForgets() throws Exception {
        ManagedScope s = new ManagedScope("hw");
        List<String> ran = new ArrayList<>();
        ManagedScope.Registration a = s.add("a", () -> ran.add("a"));
        ManagedScope.Registration b = s.add("b", () -> ran.add("b"));
        a.releaseEarly();
        a.releaseEarly();
        b.remove();
        assertEquals(0, s.pending());
        s.release();
        assertEquals(List.of("a"), ran);
    }

    @Test
    void manageClosesTheResource() throws Exception {
        ManagedScope s = new ManagedScope("hw");
        List<String> ran = new ArrayList<>();
        AutoCloseable res = s.manage("res", () -> ran.add("closed"));
        s.release();
        assertEquals(List.of("closed"), ran);
        assertThrows(IllegalStateException.class, () -> s.manage("res2", res));
        assertEquals(List.of("closed", "closed"), ran);
    }
}
