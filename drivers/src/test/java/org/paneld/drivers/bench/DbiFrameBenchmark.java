package org.paneld.drivers.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * {@code bench/run dbi-frame}: the whole flush path of a full 320x240 XRGB8888 frame through the
 * mi0283qt driver into a bus that only counts bytes. Prints
 * {@code dbi-frame: frame_us=X bytes=N overhead_bytes=M}: bytes on the wire per frame and how
 * many of them are not pixels (CASET, RASET, RAMWR). Test scope.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class DbiFrameBenchmark {
    private BenchPanel panel;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        panel = new BenchPanel(new BenchWiring(0));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        panel.close();
    }

    @Benchmark
    public void fullFrame() throws Exception {
        panel.flush();
    }

    /** Bytes one full-frame flush puts on the wire, counted outside JMH. */
    static long bytesPerFrame() throws Exception {
        BenchWiring w = new BenchWiring(0);
        try (BenchPanel p = new BenchPanel(w)) {
            long before = w.bytes.get();
            p.flush();
            return w.bytes.get() - before;
        }
    }

    public static void main(String[] args) throws Exception {
        RunResult r = new Runner(new OptionsBuilder().include(DbiFrameBenchmark.class.getName() + ".fullFrame").build())
                .runSingle();
        long bytes = bytesPerFrame();
        long pixels = 320L * 240 * 2;
        System.out.printf(java.util.Locale.ROOT, "dbi-frame: frame_us=%.1f bytes=%d overhead_bytes=%d%n",
                r.getPrimaryResult().getScore(), bytes, bytes - pixels);
    }
}
