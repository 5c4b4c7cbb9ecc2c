package org.paneld.daemon.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A paneld started as a real process from the shaded jar ({@code -Dpaneld.jar}, set by
 * failsafe), its stderr (the log) captured to a file. Test lifetime.
 */
public final class DaemonProcess implements AutoCloseable {
    /** JVM flags for test launches: quick start, little memory. */
    public static final List<String> TEST_JVM = List.of("-Xmx64m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
            "--enable-native-access=ALL-UNNAMED");

    private final Process process;
    private final Path log;

    private DaemonProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    public static Path jar(String property) {
        String p = System.getProperty(property);
        if (p == null) {
            throw new IllegalStateException("system property " + property + " is not set (run through failsafe: mvn verify)");
        }
        return Path.of(p);
    }

    /** Starts {@code java TEST_JVM -jar paneld.jar args} with extra environment. */
    public static DaemonProcess start(Path workDir, Map<String, String> env, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBin());
        cmd.addAll(TEST_JVM);
        cmd.addAll(leakDetection());
        cmd.add("-jar");
        cmd.add(jar("paneld.jar").toString());
        cmd.addAll(List.of(args));
        return startCommand(workDir, env, cmd);
    }

    /**
     * The test run's Netty leak detection settings ({@code io.netty.leakDetection.level}, paranoid
     * under failsafe, and {@code .acquireAndReleaseOnly}) passed on to a paneld started by {@link #start}; {@link #close()} then fails
     * when paneld logged a "LEAK:". Not added by {@link #startCommand} (the soak runs with the
     * service's own flags).
     */
    public static List<String> leakDetection() {
        List<String> flags = new ArrayList<>();
        for (String p : List.of("io.netty.leakDetection.level", "io.netty.leakDetection.acquireAndReleaseOnly")) {
            String v = System.getProperty(p);
            if (v != null) {
                flags.add("-D" + p + "=" + v);
            }
        }
        return flags;
    }

    /** Starts any command line (e.g. behind systemd-socket-activate). */
    public static DaemonProcess startCommand(Path workDir, Map<String, String> env, List<String> cmd) throws IOException {
        Path log = Files.createTempFile(workDir, "paneld-", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
        pb.environment().remove("NOTIFY_SOCKET");
        pb.environment().remove("LISTEN_FDS");
        pb.environment().remove("LISTEN_PID");
        pb.environment().remove("JOURNAL_STREAM");
        pb.environment().remove("INVOCATION_ID");
        pb.environment().putAll(env);
        return new DaemonProcess(pb.start(), log);
    }

    public static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public Process process() {
        return process;
    }

    public long pid() {
        return process.pid();
    }

    /** The log so far. */
    public List<String> lines() {
        try {
            return Files.readAllLines(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String logText() {
        return String.join("\n", lines());
    }

    /** Waits until a log line matches, or fails naming the log; fails early when the process exits. */
    public String awaitLine(Predicate<String> p, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            for (String l : lines()) {
                if (p.test(l)) {
                    return l;
                }
            }
            if (!process.isAlive()) {
                for (String l : lines()) {
                    if (p.test(l)) {
                        return l;
                    }
                }
                throw new AssertionError("paneld exited (" + process.exitValue() + ") before the expected line; log:\n" + logText());
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no expected line within " + timeout + "; log:\n" + logText());
    }

    /** Waits for the "ready:" line. */
    public void awaitReady() throws InterruptedException {
        awaitLine(l -> l.contains("Daemon: ready: serving"), Duration.ofSeconds(30));
    }

    /** Sends SIGTERM and waits for the exit status. */
    public int terminate(Duration timeout) throws InterruptedException {
        process.destroy(); // SIGTERM
        return waitFor(timeout);
    }

    public int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("paneld did not exit within " + timeout + "; log:\n" + logText());
        }
        return process.exitValue();
    }

    /** Kills paneld if still running; fails when its log reports a Netty leak ("LEAK:"). */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (indexOf(lines(), "LEAK:") >= 0) {
            throw new AssertionError("paneld reported a Netty leak; log:\n" + logText());
        }
    }

    /** Index of the first line containing {@code s}, or -1. */
    public static int indexOf(List<String> lines, String s) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(s)) {
                return i;
            }
        }
        return -1;
    }
}
