package org.paneld.daemon.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import org.paneld.daemon.bench.SoakRig.Metrics;

/**
 * {@code bench/run soak [FLUSHES]}: the rig of {@code SoakIT} (paneld.jar under the flags of
 * systemd/paneld.service, two virtual mi0283qt panels) for a fixed number of pipelined FLUSHes on
 * lcd0 (default 3,000,000, in connections of 500,000; 1x1, every 16th the full frame) after a
 * warm-up of 20,000. Heap after a full GC is measured after the warm-up and at the end. Last line:
 * {@code soak: flushes=N flushes_per_s=X heap_growth_kb_per_m=Y rss_mb_end=Z threads_end=T}
 * (targets: heap growth ≤ 64 KB per million flushes, RSS ≤ 96 MB).
 */
public final class SoakBenchmark {
    public static void main(String[] args) throws Exception {
        long flushes = args.length > 0 ? Long.parseLong(args[0].replace("_", "")) : 3_000_000L;
        Path root = Path.of(System.getProperty("paneld.root", ".")).toAbsolutePath().normalize();
        Path jar = root.resolve("daemon/target/paneld.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " missing: run mvn package first");
        }
        try (SoakRig rig = SoakRig.start(jar, root.resolve("systemd/paneld.service"))) {
            System.out.println("JVM flags from systemd/paneld.service: " + String.join(" ", rig.jvmFlags()));
            rig.flushes("lcd0", 20_000, 16);
            Metrics base = rig.measure();
            System.out.println("baseline: " + base);
            long t0 = System.nanoTime();
            long chunk = 500_000;
            for (long done = 0; done < flushes; done += chunk) {
                rig.flushes("lcd0", Math.min(chunk, flushes - done), 16); // a new connection per chunk
                long now = Math.min(done + chunk, flushes);
                System.out.printf("%d flushes, %.0f per s%n", now, now / ((System.nanoTime() - t0) / 1e9));
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            Metrics end = rig.measure();
            System.out.println("end: " + end);
            if (rig.sent() != rig.answered()) {
                throw new IllegalStateException((rig.sent() - rig.answered()) + " request(s) unanswered");
            }
            double growthPerM = (end.heapAfterGcKb() - base.heapAfterGcKb()) / (flushes / 1e6);
            rig.stop();
            System.out.printf("soak: flushes=%d flushes_per_s=%.0f heap_growth_kb_per_m=%.1f rss_mb_end=%.1f threads_end=%d%n",
                    flushes, flushes / seconds, growthPerM, end.rssKb() / 1024.0, end.threads());
        }
    }
}
