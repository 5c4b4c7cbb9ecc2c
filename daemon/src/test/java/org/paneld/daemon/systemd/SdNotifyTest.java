package org.paneld.daemon.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SdNotifyTest {

    @Test
    void sendsToAPathSocket(@TempDir Path dir) throws Exception {
        Path sock = dir.resolve("notify.sock");
        try (NotifyListener l = new NotifyListener(sock.toString());
             SdNotify n = SdNotify.fromEnv(Map.of("NOTIFY_SOCKET", sock.toString()))) {
            assertTrue(n.enabled());
            n.ready("serving 2 panel(s)");
            n.stopping("bye");
            String first = l.poll(5, TimeUnit.SECONDS);
            assertNotNull(first);
            assertTrue(first.startsWith("READY=1\nSTATUS=serving 2 panel(s)\nMAINPID="), first);
            assertEquals("STOPPING=1\nSTATUS=bye", l.poll(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void sendsToAnAbstractSocket() throws Exception {
        String name = "@paneld-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        try (NotifyListener l = new NotifyListener(name);
             SdNotify n = SdNotify.fromEnv(Map.of("NOTIFY_SOCKET", name))) {
            n.status("hello");
            assertEquals("STATUS=hello", l.poll(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void watchdogPingsAtHalfTheInterval(@TempDir Path dir) throws Exception {
        Path sock = dir.resolve("wd.sock");
        try (NotifyListener l = new NotifyListener(sock.toString());
             SdNotify n = SdNotify.fromEnv(Map.of("NOTIFY_SOCKET", sock.toString()))) {
            long period = n.startWatchdog(Map.of("WATCHDOG_USEC", "100000"));
            assertEquals(50, period);
            assertEquals("WATCHDOG=1", l.poll(5, TimeUnit.SECONDS));
            assertEquals("WATCHDOG=1", l.poll(5, TimeUnit.SECONDS));
            n.stopWatchdog();
        }
    }

    @Test
    void withoutNotifySocketNothingHappens() {
        try (SdNotify n = SdNotify.fromEnv(Map.of())) {
            assertFalse(n.enabled());
            n.ready("x");
            assertEquals(0, n.startWatchdog(Map.of("WATCHDOG_USEC", "1000000")));
        }
    }
}
