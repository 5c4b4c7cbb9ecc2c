package org.paneld.daemon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGINT stops like SIGTERM; under systemd every log line carries a syslog priority; --check. */
class SignalsAndLoggingIT {
    @TempDir
    Path dir;

    private Path config(String socketName) throws Exception {
        Path cfg = dir.resolve("paneld.toml");
        Files.writeString(cfg, String.join("\n", "[server]", "socket = \"" + dir.resolve(socketName) + "\"",
                "[usb]", "hotplug = false", "[log]", "level = \"debug\"",
                "[[panel]]", "name = \"s0\"", "driver = \"virtual-fb\"", "backend = \"virtual\"", ""));
        return cfg;
    }

    @Test
    void sigintStopsCleanlyAndJournalLinesCarryPriorities() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(SystemdFilesIT.onPath("kill"), "no kill command to send SIGINT");
        Path cfg = config("p.sock");
        try (DaemonProcess p = DaemonProcess.start(dir, Map.of("INVOCATION_ID", "0123456789abcdef"), "--config", cfg.toString())) {
            p.awaitReady();
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start();
            assertTrue(kill.waitFor(10, TimeUnit.SECONDS));
            assertEquals(0, p.waitFor(Duration.ofSeconds(30)), p.logText());
            List<String> log = p.lines();
            assertTrue(log.stream().anyMatch(l -> l.equals("<6>Paneld: received SIGINT: shutting down")), p.logText());
            assertTrue(log.stream().anyMatch(l -> l.startsWith("<7>")), "[log] level = debug shows debug lines:\n" + p.logText());
            for (String l : log) {
                assertTrue(l.matches("<[3467]>.*"), "not a journal line: " + l);
            }
        }
    }

    @Test
    void checkValidatesWithoutStarting() throws Exception {
        Path cfg = config("never.sock");
        try (DaemonProcess p = DaemonProcess.start(dir, Map.of(), "--config", cfg.toString(), "--check")) {
            assertEquals(0, p.waitFor(Duration.ofSeconds(30)), p.logText());
            assertTrue(p.logText().contains("config OK: " + cfg + ": 1 panel(s)"), p.logText());
        }
        assertTrue(!Files.exists(dir.resolve("never.sock")));
        Files.writeString(cfg, "[[panel]]\nname = \"x\"\n");
        try (DaemonProcess p = DaemonProcess.start(dir, Map.of(), "--config", cfg.toString(), "--check")) {
            assertEquals(3, p.waitFor(Duration.ofSeconds(30)), p.logText());
            assertTrue(p.logText().contains("bad config: " + cfg + ", [[panel]] #1 'x': missing key 'driver'"), p.logText());
        }
    }

    @Test
    void badArgumentsExit2() throws Exception {
        try (DaemonProcess p = DaemonProcess.start(dir, Map.of(), "--no-such-option")) {
            assertEquals(2, p.waitFor(Duration.ofSeconds(30)), p.logText());
            assertTrue(p.logText().contains("Unknown option: '--no-such-option'"), p.logText());
        }
    }
}
