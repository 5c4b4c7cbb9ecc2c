package org.paneld.daemon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Python client package ({@code protocol/python}, package {@code paneld}) tested by its own
 * {@code unittest} suite, run with {@code /usr/bin/python3} against a real paneld that the suite
 * starts from this build's {@code paneld.jar} (with this run's JVM and leak-detection flags) on a
 * temporary socket and a loopback TCP port. Fails with the suite's output. When Pillow and numpy
 * are installed for that python (Debian python3-pil, python3-numpy; .ci/apt-packages) no test may
 * be skipped. Test lifetime; one thread.
 */
class PythonClientIT {
    static final Path PYTHON = Path.of("/usr/bin/python3");

    @Test
    void pythonClientSuitePassesAgainstTheRealDaemon() throws Exception {
        assertTrue(Files.isExecutable(PYTHON), PYTHON + " is missing: install python3 (.ci/apt-packages lists it)");
        Path repo = Path.of(System.getProperty("paneld.repo.dir", "..")).toAbsolutePath().normalize();
        Path tests = repo.resolve("protocol/python/tests");
        assertTrue(Files.isDirectory(tests), tests + " is missing");
        List<String> jvm = new ArrayList<>(DaemonProcess.TEST_JVM);
        jvm.addAll(DaemonProcess.leakDetection());
        ProcessBuilder pb = new ProcessBuilder(PYTHON.toString(), "-m", "unittest", "discover", "-s", "protocol/python/tests", "-v")
                .directory(repo.toFile()).redirectErrorStream(true);
        pb.environment().put("PANELD_JAR", DaemonProcess.jar("paneld.jar").toString());
        pb.environment().put("PANELD_JAVA", DaemonProcess.javaBin());
        pb.environment().put("PANELD_JAVA_OPTS", String.join(" ", jvm));
        pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        pb.environment().remove("PANELD_SOCKET");
        File out = File.createTempFile("python-client-", ".log");
        pb.redirectOutput(out);
        Process p = pb.start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("the Python client suite did not finish within 90 s; output:\n" + read(out));
        }
        String text = read(out);
        assertEquals(0, p.exitValue(), "python3 -m unittest discover -s protocol/python/tests failed:\n" + text);
        assertTrue(text.matches("(?s).*\\nRan [1-9][0-9]* tests? in .*"), "no tests ran:\n" + text);
        if (has("PIL") && has("numpy")) {
            assertFalse(text.contains("skipped"), "Pillow and numpy are installed, yet tests were skipped:\n" + text);
        }
        Files.deleteIfExists(out.toPath());
    }

    static boolean has(String module) throws Exception {
        Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import " + module).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    static String read(File f) throws Exception {
        return Files.readString(f.toPath(), StandardCharsets.UTF_8);
    }
}
