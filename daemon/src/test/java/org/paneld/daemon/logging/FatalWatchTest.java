package org.paneld.daemon.logging;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;
import org.paneld.drivers.core.Fatal;

/** A fatal error that a library caught and only logged still ends the process; anything else is just logged. */
class FatalWatchTest {
    @Test
    void aLoggedOutOfMemoryErrorHaltsAndOtherErrorsDoNot() {
        List<Integer> halts = new ArrayList<>();
        Fatal.Halter old = Fatal.halter(halts::add);
        try {
            Logs.FatalWatch w = new Logs.FatalWatch();
            LogRecord io = new LogRecord(Level.WARNING, "A task raised an exception.");
            io.setThrown(new java.io.IOException("Broken pipe"));
            w.publish(io);
            LogRecord internal = new LogRecord(Level.WARNING, "flush failed");
            internal.setThrown(new InternalError("a driver bug, not a dying JVM"));
            w.publish(internal);
            assertEquals(List.of(), halts);
            LogRecord oom = new LogRecord(Level.WARNING, "A task raised an exception.");
            oom.setThrown(new RuntimeException("wrapped", new OutOfMemoryError("Cannot reserve 20971520 bytes of direct buffer memory")));
            assertThrows(IllegalStateException.class, () -> w.publish(oom)); // a real halt never returns
            assertEquals(List.of(Fatal.EXIT_CODE), halts);
        } finally {
            Fatal.halter(old);
        }
    }
}
