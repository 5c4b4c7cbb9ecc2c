package org.paneld.daemon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.paneld.daemon.systemd.NotifyListener;

/**
 * Socket activation for real: a launcher binds and listens on the socket, passes it to paneld as
 * fd 3 with LISTEN_FDS/LISTEN_PID and execs it (same pid), as systemd does for paneld.socket.
 * Two launchers: a small Perl script doing what systemd does with NonBlocking=yes, and
 * systemd's own systemd-socket-activate (when installed; it starts the daemon at the first
 * connection). The daemon must serve on that fd, not create a socket of its own.
 */
class SocketActivationIT {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"perl", "systemd-socket-activate"})
    void servesOnTheInheritedSocket(String launcher) throws Exception {
        Path socket = dir.resolve("activated.sock");
        Path notConfigured = dir.resolve("not-this.sock");
        Path cfg = dir.resolve("paneld.toml");
        Files.writeString(cfg, String.join("\n",
                "[server]",
                "socket = \"" + notConfigured + "\"",
                "[usb]",
                "hotplug = false",
                "[[panel]]",
                "name = \"act0\"",
                "driver = \"virtual-fb\"",
                "backend = \"virtual\"",
                ""));
        List<String> cmd = new ArrayList<>();
        if (launcher.equals("perl")) {
            assumeTrue(SystemdFilesIT.onPath("perl"), "perl is not installed");
            Path script = dir.resolve("listen-fd-launcher.pl");
            try (var in = SocketActivationIT.class.getResourceAsStream("/listen-fd-launcher.pl")) {
                Files.copy(in, script);
            }
            cmd.addAll(List.of("perl", script.toString(), socket.toString()));
        } else {
            assumeTrue(SystemdFilesIT.onPath("systemd-socket-activate"), "systemd-socket-activate is not installed");
            cmd.addAll(List.of("systemd-socket-activate", "-l", socket.toString(), "-E", "NOTIFY_SOCKET"));
        }
        cmd.add(DaemonProcess.javaBin());
        cmd.addAll(DaemonProcess.TEST_JVM);
        cmd.addAll(List.of("-jar", DaemonProcess.jar("paneld.jar").toString(), "--config", cfg.toString()));
        Path notifySock = dir.resolve("notify.sock");
        try (NotifyListener notify = new NotifyListener(notifySock.toString());
             DaemonProcess p = DaemonProcess.startCommand(dir, Map.of("NOTIFY_SOCKET", notifySock.toString()), cmd)) {
            awaitSocket(socket, p);
            // systemd-socket-activate starts paneld at this first connection; the connection waits in the backlog
            Ctl.Result list = new Ctl(socket).runWithin(20, "--timeout", "15", "list");
            assertEquals(0, list.code(), list + "\nlog:\n" + p.logText());
            assertEquals(List.of("act0 virtual-fb 320x240 connected"), list.lines());
            String ready = notify.pollFor("READY=1", 30, TimeUnit.SECONDS);
            assertNotNull(ready, p.logText());
            assertTrue(ready.contains("on the socket systemd passed"), ready);
            assertTrue(p.logText().contains("server: listening on the socket systemd passed (fd 3)"), p.logText());
            assertTrue(!Files.exists(notConfigured), "the configured socket must not be created under socket activation");
            assertEquals(0, p.terminate(Duration.ofSeconds(30)), p.logText());
        }
    }

    private static void awaitSocket(Path socket, DaemonProcess p) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!Files.exists(socket)) {
            if (System.nanoTime() > end || !p.process().isAlive()) {
                throw new AssertionError("the launcher did not create " + socket + "; log:\n" + p.logText());
            }
            Thread.sleep(20);
        }
    }
}
