package org.paneld.daemon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.paneld.daemon.bench.SoakRig;
import org.paneld.daemon.bench.SoakRig.Metrics;

/**
 * Issue 10: paneld runs for weeks. The real paneld.jar under the JVM flags of
 * systemd/paneld.service (-Xmx48m, MaxDirectMemorySize=32m, …) serving three virtual mi0283qt
 * panels takes 300,000 pipelined FLUSHes (1x1, every 16th the full frame) on lcd0, while
 * 5,000 connect/own/create-buffer/flush/disconnect cycles and 50 unplug/replug cycles run on
 * lcd1, and a video at twice its wire's rate on lcd2 (timed wire, {@code interlace = "auto"}:
 * merged FLUSHes, interlaced updates, held replies). Every request is answered. After a full GC the daemon is back to its post-warm-up
 * baseline within stated bounds: heap after GC +2 MB, threads +4, fds +8, the live-object table
 * identical.
 */
class SoakIT {
    static final long HEAP_BOUND_KB = 2 * 1024;
    static final int THREAD_BOUND = 4;
    static final int FD_BOUND = 8;

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void daemonReturnsToItsBaselineAfterASoak() throws Exception {
        Path jar = DaemonProcess.jar("paneld.jar");
        Path service = Path.of(System.getProperty("paneld.systemd.dir", "../systemd"), "paneld.service");
        try (SoakRig rig = SoakRig.start(jar, service)) {
            // warm-up: every code path, thread pool and buffer the soak uses
            rig.flushes("lcd0", 20_000, 16);
            rig.connectCycles("lcd1", 200);
            rig.unplugCycles("lcd1", 3);
            long warmVideoEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            rig.video("lcd2", SoakRig.VIDEO_FRAME_NANOS / 2, () -> System.nanoTime() > warmVideoEnd);
            Metrics base = rig.measure();
            System.out.println("soak baseline (flags " + String.join(" ", rig.jvmFlags()) + "): " + base);

            Thread cycles = new Thread(() -> {
                try {
                    for (int round = 0; round < 50; round++) {
                        rig.connectCycles("lcd1", 100);
                        rig.unplugCycles("lcd1", 1);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "soak-cycles");
            Throwable[] cyclesFailed = new Throwable[1];
            cycles.setUncaughtExceptionHandler((t, e) -> cyclesFailed[0] = e);
            // a video at twice lcd2's wire rate for as long as the rest runs: interlaced updates
            java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
            Thread video = new Thread(() -> {
                try {
                    rig.video("lcd2", SoakRig.VIDEO_FRAME_NANOS / 2, done::get);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "soak-video");
            video.setUncaughtExceptionHandler((t, e) -> cyclesFailed[0] = e);
            long t0 = System.nanoTime();
            cycles.start();
            video.start();
            rig.flushes("lcd0", 300_000, 16);
            cycles.join();
            done.set(true);
            video.join();
            long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
            if (cyclesFailed[0] != null) {
                throw new AssertionError("connect/unplug cycles failed; log tail:\n" + rig.logTail(40), cyclesFailed[0]);
            }
            assertNull(rig.firstUnanswered(), "every request answered");
            assertEquals(rig.sent(), rig.answered(), "every request answered");

            Metrics end = rig.measure();
            System.out.println("soak end after " + seconds + " s, " + rig.answered() + " requests: " + end);
            System.out.println("soak lcd0: " + rig.stats("lcd0") + "; lcd2 (video): " + rig.stats("lcd2"));
            assertTrue(rig.isAlive(), "paneld alive");
            assertTrue(end.heapAfterGcKb() - base.heapAfterGcKb() <= HEAP_BOUND_KB,
                    "heap after GC grew from " + base.heapAfterGcKb() + " KB to " + end.heapAfterGcKb() + " KB");
            assertTrue(end.threads() <= base.threads() + THREAD_BOUND,
                    "threads grew from " + base.threads() + " to " + end.threads());
            assertTrue(end.fds() <= base.fds() + FD_BOUND, "fds grew from " + base.fds() + " to " + end.fds());
            assertEquals(base.live(), end.live(), "live objects");
            assertEquals(java.util.List.of(), rig.logLines("ERROR", "OutOfMemoryError", "task failed"),
                    "errors in paneld's log");
            assertEquals(0, rig.stop(), "orderly stop after the soak; log tail:\n" + rig.logTail(20));
        }
    }
}
