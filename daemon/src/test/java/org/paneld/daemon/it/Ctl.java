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
        List<String> cmd = new ArrayList<>();
        cmd.add(DaemonProcess.javaBin());
        cmd.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "-jar",
                DaemonProcess.jar("panelctl.jar").toString()));
        if (socket != null) {
            cmd.add("--socket");
            cmd.add(socket.toString());
        }
        cmd.addAll(List.of(args));
        return exec(cmd, Map.of());
    }

    public static Result exec(List<String> cmd, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        // small outputs: read both after exit would risk a full pipe only for huge output
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("panelctl " + cmd + " did not finish");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }
}
