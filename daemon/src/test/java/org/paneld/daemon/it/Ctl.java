package org.paneld.daemon.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs {@code java -jar panelctl.jar --socket S ARGS} as a user would. Test helper. */
public final class Ctl {
    /** The outcome of one panelctl run. */
    public record Result(int code, String out, String err) {
        public List<String> lines() {
            return out.isEmpty() ? List.of() : List.of(out.split("\\R"));
        }

        @Override
        public String toString() {
            return "exit " + code + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    private final Path socket;

    public Ctl(Path socket) {
        this.socket = socket;
    }

    public Result run(String... args) throws IOException, InterruptedException {
        return runWithin(90, args);
    }

    /** Like {@link #run} but gives up after {@code seconds}. */
    public Result runWithin(int seconds, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(DaemonProcess.javaBin());
        cmd.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "-jar",
                DaemonProcess.jar("panelctl.jar").toString()));
        if (socket != null) {
            cmd.add("--socket");
            cmd.add(socket.toString());
        }
        cmd.addAll(List.of(args));
        return exec(cmd, Map.of(), seconds);
    }

    public static Result exec(List<String> cmd, Map<String, String> env) throws IOException, InterruptedException {
        return exec(cmd, env, 90);
    }

    /** Runs {@code cmd}; kills it and fails after {@code seconds}. */
    public static Result exec(List<String> cmd, Map<String, String> env, int seconds) throws IOException, InterruptedException {
        java.io.File out = java.io.File.createTempFile("panelctl-", ".out");
        java.io.File err = java.io.File.createTempFile("panelctl-", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out).redirectError(err);
            pb.environment().putAll(env);
            Process p = pb.start();
            p.getOutputStream().close();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("panelctl " + cmd + " did not finish within " + seconds + " s; stderr: "
                        + java.nio.file.Files.readString(err.toPath()));
            }
            return new Result(p.exitValue(), java.nio.file.Files.readString(out.toPath(), StandardCharsets.UTF_8),
                    java.nio.file.Files.readString(err.toPath(), StandardCharsets.UTF_8));
        } finally {
            out.delete();
            err.delete();
        }
    }
}
