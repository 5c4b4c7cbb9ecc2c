package org.paneld.daemon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.paneld.daemon.config.ConfigLoader;

/**
 * The README's quick start as a normal user: {@code java -jar paneld.jar} with no arguments and
 * no config file serves the two built-in virtual panels on the per-user socket (a normal user
 * cannot write /run/paneld), says so in its log, and {@code panelctl} with no --socket finds it.
 * Runs the daemon as "nobody" through setpriv (so it needs root and setpriv).
 */
class QuickStartAsUserIT {
    @TempDir
    Path tmp;

    @Test
    void defaultsWorkForANormalUser() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")) && SystemdFilesIT.onPath("setpriv"),
                "needs root and setpriv to run as another user");
        assumeTrue(!Files.exists(ConfigLoader.DEFAULT_FILE), ConfigLoader.DEFAULT_FILE + " exists on this machine");
        Path xdg = Files.createDirectory(tmp.resolve("xdg"));
        UserPrincipalLookupService users = xdg.getFileSystem().getUserPrincipalLookupService();
        Files.setOwner(xdg, users.lookupPrincipalByName("nobody"));
        Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Map<String, String> env = Map.of("USER", "nobody", "HOME", xdg.toString(), "XDG_RUNTIME_DIR", xdg.toString());
        List<String> asNobody = List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups");
        // "nobody" may not be able to read the checkout (a clone under a private directory):
        // run copies of the jars from this world-readable directory, as an installed copy would be
        Path paneldJar = Files.copy(DaemonProcess.jar("paneld.jar"), tmp.resolve("paneld.jar"));
        Path panelctlJar = Files.copy(DaemonProcess.jar("panelctl.jar"), tmp.resolve("panelctl.jar"));
        for (Path jar : List.of(paneldJar, panelctlJar)) {
            Files.setPosixFilePermissions(jar, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        }

        List<String> daemonCmd = new ArrayList<>(asNobody);
        daemonCmd.add(DaemonProcess.javaBin());
        daemonCmd.addAll(DaemonProcess.TEST_JVM);
        daemonCmd.addAll(List.of("-jar", paneldJar.toString()));
        try (DaemonProcess p = DaemonProcess.startCommand(tmp, env, daemonCmd)) {
            p.awaitReady();
            Path sock = xdg.resolve("paneld.sock");
            assertTrue(p.logText().contains("using the per-user socket " + sock), p.logText());
            assertTrue(p.logText().contains("server: listening on " + sock), p.logText());

            List<String> ctlCmd = new ArrayList<>(asNobody);
            ctlCmd.add(DaemonProcess.javaBin());
            ctlCmd.addAll(List.of("-XX:TieredStopAtLevel=1", "-jar", panelctlJar.toString(), "list"));
            Ctl.Result list = Ctl.exec(ctlCmd, env, 60);
            assertEquals(0, list.code(), list.toString());
            assertEquals(2, list.lines().size(), list.toString());
            assertTrue(list.lines().get(0).startsWith("lcd0 ") && list.lines().get(0).contains(" 320x240 connected"), list.toString());
            assertTrue(list.lines().get(1).startsWith("lcd1 ") && list.lines().get(1).contains(" 240x240 connected"), list.toString());
            assertEquals(0, p.terminate(Duration.ofSeconds(30)), p.logText());
        }
    }
}
