package org.paneld.daemon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A failure injected at each step of the start-up table (PANELD_FAIL_AT): the daemon exits with
 * 3 + the step's index, the log names the step, and exactly the steps before it are unwound, in
 * reverse order, and nothing after it ran.
 */
class StartupFailureIT {
    static final List<String> STEPS = List.of("config", "hardware", "buses", "usb", "server", "ready");
    /** Steps that have an exit (config has none). */
    static final List<String> WITH_EXIT = List.of("hardware", "buses", "usb", "server", "ready");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "fail at {0}")
    @ValueSource(strings = {"config", "hardware", "buses", "usb", "server", "ready"})
    void onlyStartedStepsAreUnwound(String step) throws Exception {
        Path cfg = dir.resolve("paneld.toml");
        Files.writeString(cfg, String.join("\n",
                "[server]",
                "socket = \"" + dir.resolve("p.sock") + "\"",
                "[usb]",
                "hotplug = false",
                "[[panel]]",
                "name = \"a\"",
                "driver = \"virtual-fb\"",
                "backend = \"virtual\"",
                ""));
        try (DaemonProcess p = DaemonProcess.start(dir, Map.of("PANELD_FAIL_AT", step), "--config", cfg.toString())) {
            int code = p.waitFor(Duration.ofSeconds(30));
            List<String> log = p.lines();
            String text = String.join("\n", log);
            int idx = STEPS.indexOf(step);
            assertEquals(3 + idx, code, text);
            assertTrue(text.contains("start-up failed at step '" + step + "': failure injected before step '" + step + "'"), text);
            int last = -1;
            for (int i = idx - 1; i >= 0; i--) {
                String s = STEPS.get(i);
                assertTrue(DaemonProcess.indexOf(log, "start-up step '" + s + "' done") >= 0, s + " should have started:\n" + text);
                if (WITH_EXIT.contains(s)) {
                    int at = DaemonProcess.indexOf(log, "unwinding step '" + s + "'");
                    assertTrue(at > last, s + " should be unwound after the later steps:\n" + text);
                    last = at;
                }
            }
            for (int i = idx; i < STEPS.size(); i++) {
                String s = STEPS.get(i);
                assertEquals(-1, DaemonProcess.indexOf(log, "start-up step '" + s + "' done"), s + " must not have run:\n" + text);
                assertEquals(-1, DaemonProcess.indexOf(log, "unwinding step '" + s + "'"), s + " must not be unwound:\n" + text);
            }
            if (idx > STEPS.indexOf("buses")) {
                // the bound panel was switched off and unbound in order while unwinding
                int bl = DaemonProcess.indexOf(log, "a: backlight off");
                int off = DaemonProcess.indexOf(log, "a: display off");
                int unplugged = DaemonProcess.indexOf(log, ": unplugged (unbind)");
                int unbound = DaemonProcess.indexOf(log, "a: unbound (hardware released)");
                assertTrue(bl >= 0 && bl < off && off < unplugged && unplugged < unbound, text);
                assertTrue(text.contains("nothing left alive"), text);
            }
            assertTrue(!Files.exists(dir.resolve("p.sock")) || idx > STEPS.indexOf("server"), "socket left behind:\n" + text);
        }
    }
}
