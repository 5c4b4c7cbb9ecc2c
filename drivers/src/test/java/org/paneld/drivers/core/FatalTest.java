package org.paneld.drivers.core;

import static org.junit.jupiter.api.Assertions.*;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What ends the process: a VirtualMachineError (not InternalError), itself or as a cause, on any thread. */
class FatalTest {
    @Test
    void whatIsFatal() {
        assertTrue(Fatal.isFatal(new OutOfMemoryError("Java heap space")));
        assertTrue(Fatal.isFatal(new StackOverflowError()));
        assertTrue(Fatal.isFatal(new RuntimeException(new OutOfMemoryError("Cannot reserve 20971520 bytes of direct buffer memory"))));
        assertFalse(Fatal.isFatal(new InternalError("a driver bug")));
        assertFalse(Fatal.isFatal(new IllegalStateException("x")));
        assertFalse(Fatal.isFatal(null));
    }

    @Test
    void anOutOfMemoryErrorEscapingAnyThreadHaltsWithTheExitCode() throws Exception {
        Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
        CompletableFuture<Integer> halted = new CompletableFuture<>();
        Fatal.Halter old = Fatal.halter(halted::complete);
        try {
            Fatal.installDefaultHandler();
            Thread t = new Thread(() -> {
                throw new OutOfMemoryError("Java heap space (test)");
            }, "some-library-thread");
            t.start();
            assertEquals(Fatal.EXIT_CODE, halted.get(10, TimeUnit.SECONDS));
            Runnable guarded = Fatal.guarded(() -> {
                throw new OutOfMemoryError("in an executor's task");
            }, "test executor");
            CompletableFuture<Integer> again = new CompletableFuture<>();
            Fatal.halter(again::complete);
            assertThrows(IllegalStateException.class, guarded::run); // a real halt never returns
            assertEquals(Fatal.EXIT_CODE, again.getNow(-1));
        } finally {
            Fatal.halter(old);
            Thread.setDefaultUncaughtExceptionHandler(before);
        }
    }
}
