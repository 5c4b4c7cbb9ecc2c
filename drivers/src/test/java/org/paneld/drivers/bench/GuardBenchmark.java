package org.paneld.drivers.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.paneld.drivers.core.NoDeviceException;
import org.paneld.drivers.core.UnplugGuard;

/**
 * {@code bench/run guard}: an uncontended unplug-guard enter+exit pair against an uncontended
 * ReentrantReadWriteLock read lock+unlock, in the same run. Prints
 * {@code guard: enter_exit_ns=X rwlock_ns=Y ratio=X/Y} (target ratio ≤ 0.5).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xmx256m"})
public class GuardBenchmark {
    private final UnplugGuard guard = new UnplugGuard("bench");
    private final ReentrantReadWriteLock rwlock = new ReentrantReadWriteLock();
    private int counter;

    @Benchmark
    public int guardEnterExit() throws NoDeviceException {
        guard.enter();
        try {
            return ++counter;
        } finally {
            guard.exit();
        }
    }

    @Benchmark
    public int rwlockReadLockUnlock() {
        ReentrantReadWriteLock.ReadLock l = rwlock.readLock();
        l.lock();
        try {
            return ++counter;
        } finally {
            l.unlock();
        }
    }

    @Benchmark
    public int baselineWork() {
        return ++counter;
    }

    public static void main(String[] args) throws Exception {
        Options opts = new OptionsBuilder().include(GuardBenchmark.class.getName() + "\\.").build();
        double guardNs = 0, rwNs = 0, baseNs = 0;
        for (RunResult r : new Runner(opts).run()) {
            String m = r.getParams().getBenchmark();
            double v = r.getPrimaryResult().getScore();
            if (m.endsWith("guardEnterExit")) {
                guardNs = v;
            } else if (m.endsWith("rwlockReadLockUnlock")) {
                rwNs = v;
            } else {
                baseNs = v;
            }
        }
        System.out.printf("(baseline work alone: %.2f ns per call, included in both figures)%n", baseNs);
        System.out.printf("guard: enter_exit_ns=%.2f rwlock_ns=%.2f ratio=%.2f%n", guardNs, rwNs, guardNs / rwNs);
    }
}
