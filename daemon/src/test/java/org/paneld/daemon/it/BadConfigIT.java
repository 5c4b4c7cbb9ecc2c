package org.paneld.daemon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.paneld.daemon.Drivers;

/**
 * A table of broken config files: each makes the real daemon exit with status 3 before any
 * hardware step ran, with one error line naming the file, the panel and the key. Cases whose
 * driver is not registered yet are skipped (they run as soon as the driver is in {@link Drivers}).
 */
class BadConfigIT {
    @TempDir
    static Path dir;

    static Stream<Arguments> cases() {
        String server = "[server]\nsocket = \"/tmp/paneld-badconfig-never.sock\"\n[usb]\nhotplug = false\n";
        String vfb = "driver = \"virtual-fb\"\nbackend = \"virtual\"\n";
        return Stream.of(
                Arguments.of("unknown driver", "virtual-fb", server + "[[panel]]\nname = \"lcd0\"\ndriver = \"ili9999\"\nbackend = \"spi\"\n",
                        "[[panel]] #1 'lcd0': key 'driver': unknown driver 'ili9999' (known drivers: "),
                Arguments.of("missing key", "virtual-fb", server + "[[panel]]\nname = \"lcd0\"\ndriver = \"virtual-fb\"\n",
                        "[[panel]] #1 'lcd0': missing key 'backend'"),
                Arguments.of("bad GPIO number", "mi0283qt", server
                                + "[[panel]]\nname = \"lcd0\"\ndriver = \"mi0283qt\"\nbackend = \"spi\"\ndc_gpio = 99\n",
                        "[[panel]] #1 'lcd0': key 'dc_gpio': must be from 0 to 53, got 99"),
                Arguments.of("bad rotation (virtual-fb)", "virtual-fb", server + "[[panel]]\nname = \"lcd0\"\n" + vfb + "rotation = 45\n",
                        "[[panel]] #1 'lcd0': key 'rotation': must be one of 0, got 45"),
                Arguments.of("bad rotation", "mi0283qt", server
                                + "[[panel]]\nname = \"lcd0\"\ndriver = \"mi0283qt\"\nbackend = \"virtual\"\nrotation = 45\n",
                        "[[panel]] #1 'lcd0': key 'rotation': must be one of 0, 90, 180, 270, got 45"),
                Arguments.of("unreadable init file", "panel-mipi-dbi", server
                                + "[[panel]]\nname = \"lcd0\"\ndriver = \"panel-mipi-dbi\"\nbackend = \"virtual\"\nwidth = 240\nheight = 320\n"
                                + "init_file = \"/nonexistent/panel.bin\"\n",
                        "[[panel]] #1 'lcd0': key 'init_file'"),
                Arguments.of("duplicate names", "virtual-fb", server + "[[panel]]\nname = \"lcd0\"\n" + vfb + "[[panel]]\nname = \"lcd0\"\n" + vfb,
                        "[[panel]] #2: key 'name': duplicate name 'lcd0' (already used by [[panel]] #1)"),
                Arguments.of("unknown limit", "virtual-fb", server + "[server.limits]\nmax_sessions = 3\n",
                        ": [server.limits]: unknown key [max_sessions] (known: max_frame_bytes,"),
                Arguments.of("limits beyond the memory budget", "virtual-fb", server
                                + "[server.limits]\nmemory_budget_bytes = 8388608\nmax_buffer_bytes = 16777216\n",
                        ": [server.limits]: max_buffer_bytes = 16777216 does not fit memory_budget_bytes = 8388608"),
                Arguments.of("TOML syntax", "virtual-fb", server + "[[panel]]\nname = \"lcd0\n",
                        "TOML syntax error at line 6, column"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void brokenConfigStopsTheDaemonBeforeHardware(String what, String needsDriver, String text, String expected) throws Exception {
        assertTrue(Drivers.find(needsDriver).isPresent(), "driver " + needsDriver + " is registered");
        Path cfg = dir.resolve(what.replaceAll("[^a-z]+", "-") + ".toml");
        Files.writeString(cfg, text);
        try (DaemonProcess p = DaemonProcess.start(dir, Map.of(), "--config", cfg.toString())) {
            int code = p.waitFor(Duration.ofSeconds(30));
            String log = p.logText();
            assertEquals(3, code, log);
            String line = p.lines().stream().filter(l -> l.contains("start-up failed at step 'config'")).findFirst()
                    .orElseThrow(() -> new AssertionError("no failure line:\n" + log));
            assertTrue(line.contains(cfg.toString()), "names the file: " + line);
            assertTrue(line.contains(expected), "expected '" + expected + "' in: " + line);
            assertFalse(log.contains("start-up step 'config' done"), log);
            assertFalse(log.contains("Pi4J"), "no hardware touched:\n" + log);
            assertFalse(log.contains("\tat "), "no stack trace:\n" + log);
        }
    }

    @ParameterizedTest(name = "missing file")
    @MethodSource("none")
    void missingConfigFile(String ignored) throws Exception {
        Path cfg = dir.resolve("does-not-exist.toml");
        try (DaemonProcess p = DaemonProcess.start(dir, Map.of(), "--config", cfg.toString())) {
            assertEquals(3, p.waitFor(Duration.ofSeconds(30)), p.logText());
            assertTrue(p.logText().contains("start-up failed at step 'config': " + cfg + ": no such file"), p.logText());
        }
    }

    static Stream<String> none() {
        return Stream.of("x");
    }
}
