package org.paneld.daemon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The C client library ({@code protocol/c}) against a real paneld process with two virtual
 * panels (lcd0: an mi0283qt through its emulator, lcd1: a 240x240 virtual-fb): {@code make test}
 * builds libpaneld, its examples, and the test program and the SDL2 example again under
 * AddressSanitizer + UBSan, and runs them (connect, list, open/close, shared-buffer mmap,
 * rectangles, flushes in flight, flip, properties, ownership, unplug/replug events,
 * ENODEV/EBUSY/EINVAL, TCP with its inline fallback, snapshots; touch: lcd0 carries an emulated
 * ADS7846 ({@code [panel.touch]}, TouchChipCtlIT's calibration) for {@code tests/touch_test.c}
 * (taps through ADMIN_TOUCH, SUB_TOUCH/SUB_TOUCH_OBSERVE, ADMIN_CALIBRATE, examples/touch_print);
 * the SDL example headless for 30 frames, then the panel must show its last frame). Then
 * {@code make install} into a temporary prefix and the README's C example, compiled as printed
 * with pkg-config, fills lcd0. Any sanitizer report, failed check or compiler error fails the
 * test with the whole output. Needs make, cc, pkg-config and libsdl2-dev (.ci/apt-packages).
 */
class CClientIT {
    @TempDir
    Path tmp;

    static Path cDir() {
        return Path.of(System.getProperty("paneld.systemd.dir", "../systemd")).toAbsolutePath().normalize()
                .resolveSibling("protocol").resolve("c");
    }

    record Run(int code, String output) {
    }

    /** Runs cmd in dir; its output goes to a file in the test's temporary directory. */
    Run run(Path dir, Map<String, String> env, long timeoutS, String... cmd) throws Exception {
        Path out = Files.createTempFile(tmp, "out-", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(timeoutS, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            return new Run(-1, "timed out after " + timeoutS + " s: " + String.join(" ", cmd) + "\n" + Files.readString(out));
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }

    @Test
    void libpaneldTestsAndExamplesPassUnderTheSanitizersAgainstARealPaneld() throws Exception {
        for (String tool : List.of("make", "cc", "pkg-config")) {
            assumeTrue(SystemdFilesIT.onPath(tool), tool + " is not on PATH (.ci/apt-packages installs it)");
        }
        Path c = cDir();
        assertTrue(Files.isRegularFile(c.resolve("Makefile")), "no Makefile in " + c);
        Path sock = tmp.resolve("run/paneld.sock");
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Path cfg = tmp.resolve("paneld.toml");
        Files.writeString(cfg, String.join("\n",
                "[server]",
                "socket = \"" + sock + "\"",
                "tcp = \"127.0.0.1:" + port + "\"",
                "[usb]",
                "hotplug = false",
                "[[panel]]",
                "name = \"lcd0\"",
                "driver = \"mi0283qt\"",
                "backend = \"virtual\"",
                "[panel.touch]", // the Watterott board's ADS7846 emulated on lcd0's SPI bus, noise on
                "driver = \"ads7846\"",
                "spi_cs = 1",
                "irq_gpio = 25",
                "noise = 8",
                "calibration = " + TouchChipCtlIT.CALIBRATION,
                "[[panel]]",
                "name = \"lcd1\"",
                "driver = \"virtual-fb\"",
                "backend = \"virtual\"",
                "width = 240",
                "height = 240",
                ""));
        Path build = Files.createDirectory(tmp.resolve("build"));
        try (DaemonProcess daemon = DaemonProcess.start(tmp, Map.of(), "--config", cfg.toString())) {
            daemon.awaitReady();
            Run test = run(c, Map.of(), 120, "make", "-s", "BUILD=" + build, "PANELD_SOCKET=" + sock,
                    "PANELD_TCP=tcp:127.0.0.1:" + port, "test");
            String all = test.output() + "\n--- paneld log:\n" + daemon.logText();
            assertEquals(0, test.code(), all);
            assertTrue(test.output().matches("(?s).*paneld_test: \\d+ checks, 0 failed.*"), all);
            assertTrue(test.output().contains("paneld_test: TCP tcp:127.0.0.1:" + port + " checked"), all);
            assertTrue(test.output().matches("(?s).*touch_test: \\d+ checks, 0 failed.*"), all);
            assertTrue(test.output().contains("touch_test: touch_print checked"), all);
            assertTrue(test.output().contains("sdl_paneld: 30 frames flushed"), all);
            assertTrue(test.output().contains("check-snapshot lcd0: ok"), all);
            assertFalse(test.output().contains("Sanitizer") || test.output().contains("runtime error"), all);
            assertFalse(test.output().contains("warning:"), "the library and examples compile without warnings:\n" + all);

            // make install, then the README's example as printed, through pkg-config
            Path prefix = tmp.resolve("prefix");
            Run install = run(c, Map.of(), 60, "make", "-s", "BUILD=" + build, "PREFIX=" + prefix, "install");
            assertEquals(0, install.code(), install.output());
            for (String f : List.of("include/paneld.h", "lib/libpaneld.a", "lib/libpaneld.so", "lib/pkgconfig/paneld.pc")) {
                assertTrue(Files.exists(prefix.resolve(f)), f + " not installed");
            }
            Path work = Files.createDirectory(tmp.resolve("readme"));
            Files.writeString(work.resolve("hello.c"), readmeBlock("c-example", "```c"));
            Map<String, String> env = new HashMap<>();
            env.put("PKG_CONFIG_PATH", prefix.resolve("lib/pkgconfig").toString());
            env.put("LD_LIBRARY_PATH", prefix.resolve("lib").toString());
            env.put("PANELD_SOCKET", sock.toString());
            String printed = readmeCommand();
            Run hello = run(work, env, 60, "bash", "-c", printed);
            assertEquals(0, hello.code(), printed + "\n" + hello.output());
            assertEquals("flush: OK", hello.output().strip(), hello.output());

            ByteBuffer orange = ByteBuffer.allocate(320 * 240 * 4).order(ByteOrder.LITTLE_ENDIAN);
            while (orange.hasRemaining()) {
                orange.putInt(0xFF8000);
            }
            Path raw = Files.write(work.resolve("orange.raw"), orange.array());
            Run check = run(work, Map.of(), 30, build.resolve("asan/paneld_test").toString(), "check-snapshot", sock.toString(),
                    "lcd0", raw.toString());
            assertEquals(0, check.code(), check.output());
        }
    }

    /** The fenced block between {@code <!-- NAME:begin -->} and {@code <!-- NAME:end -->} of the top README. */
    static String readmeBlock(String name, String fence) throws IOException {
        String readme = Files.readString(cDir().resolve("../../README.md").normalize());
        int b = readme.indexOf("<!-- " + name + ":begin -->");
        int e = readme.indexOf("<!-- " + name + ":end -->");
        assertTrue(b >= 0 && e > b, "README.md has no " + name + " block");
        String block = readme.substring(b, e);
        int start = block.indexOf(fence + "\n") + fence.length() + 1;
        int end = block.lastIndexOf("```");
        return block.substring(start, end);
    }

    /** The README's compile-and-run line for the C example (the sh block right after it). */
    static String readmeCommand() throws IOException {
        String readme = Files.readString(cDir().resolve("../../README.md").normalize());
        int e = readme.indexOf("<!-- c-example:end -->");
        int s = readme.indexOf("```sh\n", e) + 6;
        return readme.substring(s, readme.indexOf("\n```", s)).strip();
    }
}
