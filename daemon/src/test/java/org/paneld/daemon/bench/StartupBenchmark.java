package org.paneld.daemon.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.paneld.daemon.Drivers;
import org.paneld.daemon.config.Defaults;
import org.paneld.daemon.config.PanelConfig;
import org.paneld.daemon.systemd.NotifyListener;

/**
 * {@code bench/run startup}: start paneld (the shaded jar, with the JVM flags of
 * systemd/paneld.service's ExecStart) with the two built-in virtual panels, and measure the time
 * from process start to READY=1 on NOTIFY_SOCKET (median of 5 starts) and the idle resident set
 * (VmRSS) 10 s after READY. Not JMH: what is measured is a whole process. Prints last:
 * {@code startup: ready_ms=X rss_mb=Y}.
 */
public final class StartupBenchmark {
    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        Path jar = root.resolve("daemon/target/paneld.jar");
        Path service = root.resolve("systemd/paneld.service");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " missing: run mvn package first");
        }
        List<String> flags = jvmFlags(service);
        System.out.println("JVM flags from " + service + ": " + String.join(" ", flags));
        Path dir = Files.createTempDirectory("paneld-bench");
        Path cfg = dir.resolve("paneld.toml");
        Files.writeString(cfg, defaultsAsToml(dir.resolve("paneld.sock")));

        int runs = Integer.getInteger("runs", 5);
        long[] ready = new long[runs];
        double rssMb = 0;
        for (int i = 0; i < runs; i++) {
            boolean last = i == runs - 1;
            Path notify = dir.resolve("notify-" + i + ".sock");
            try (NotifyListener l = new NotifyListener(notify.toString())) {
                List<String> cmd = new ArrayList<>();
                cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
                cmd.addAll(flags);
                cmd.addAll(List.of("-jar", jar.toString(), "--config", cfg.toString()));
                ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                        .redirectOutput(dir.resolve("run-" + i + ".log").toFile());
                pb.environment().put("NOTIFY_SOCKET", notify.toString());
                long t0 = System.nanoTime();
                Process p = pb.start();
                String msg = l.pollFor("READY=1", 60, TimeUnit.SECONDS);
                long t1 = System.nanoTime();
                if (msg == null) {
                    p.destroyForcibly();
                    throw new IllegalStateException("no READY=1 within 60 s; log: " + Files.readString(dir.resolve("run-" + i + ".log")));
                }
                ready[i] = (t1 - t0) / 1_000_000;
                System.out.println("run " + i + ": READY=1 after " + ready[i] + " ms");
                if (last) {
                    Thread.sleep(10_000);
                    rssMb = vmRssKb(p.pid()) / 1024.0;
                    System.out.printf("idle RSS after 10 s: %.1f MB%n", rssMb);
                }
                p.destroy();
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException("paneld did not stop within 30 s");
                }
                if (p.exitValue() != 0) {
                    throw new IllegalStateException("paneld exited " + p.exitValue());
                }
            }
        }
        long[] sorted = ready.clone();
        Arrays.sort(sorted);
        long median = sorted[runs / 2];
        System.out.printf("startup: ready_ms=%d rss_mb=%.1f%n", median, rssMb);
    }

    /** The JVM options of the service's ExecStart: everything between the java binary and -jar. */
    static List<String> jvmFlags(Path service) throws Exception {
        for (String line : Files.readAllLines(service)) {
            if (line.startsWith("ExecStart=")) {
                List<String> words = List.of(line.substring("ExecStart=".length()).trim().split("\\s+"));
                int jarAt = words.indexOf("-jar");
                return new ArrayList<>(words.subList(1, jarAt));
            }
        }
        throw new IllegalStateException(service + " has no ExecStart=");
    }

    static String defaultsAsToml(Path socket) throws Exception {
        StringBuilder sb = new StringBuilder("[server]\nsocket = \"" + socket + "\"\n");
        for (PanelConfig p : Defaults.config(Drivers::find).panels()) {
            sb.append("\n[[panel]]\n");
            for (Map.Entry<String, Object> e : p.device().asMap().entrySet()) {
                Object v = e.getValue();
                sb.append(e.getKey()).append(" = ").append(v instanceof String ? "\"" + v + "\"" : v).append('\n');
            }
        }
        return sb.toString();
    }

    static long vmRssKb(long pid) throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (l.startsWith("VmRSS:")) {
                return Long.parseLong(l.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS for " + pid);
    }
}
