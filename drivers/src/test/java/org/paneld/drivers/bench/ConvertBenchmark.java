package org.paneld.drivers.bench;

import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.paneld.drivers.pixel.Convert;
import org.paneld.drivers.pixel.Framebuffer;
import org.paneld.drivers.pixel.PixelFormat;
import org.paneld.drivers.pixel.Rect;

/**
 * {@code bench/run convert}: a full 320x240 XRGB8888 frame converted to big-endian RGB565 (what a
 * MIPI DBI panel takes) against {@code System.arraycopy} of the same source buffer, in the same
 * run. The conversion runs twice, each in its own fork: as the daemon runs it (the SIMD path when
 * the JVM has {@code jdk.incubator.vector}, which the forks are given) and forced scalar.
 * Last line: {@code convert: convert_us=X copy_us=Y ratio=Y/X scalar_us=Z scalar_ratio=Y/Z}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ConvertBenchmark {
    static final int W = 320, H = 240;

    /** "default": what Convert picks in a JVM with the Vector API; "scalar": -Dpaneld.convert.scalar. */
    @Param({"default", "scalar"})
    public String path;

    private byte[] source;
    private byte[] copy;
    private byte[] out;
    private Framebuffer fb;
    private Rect full;

    @Setup(Level.Trial)
    public void setUp() {
        // set before Convert is first touched in this fork: the choice is made once per JVM
        System.setProperty("paneld.convert.scalar", Boolean.toString("scalar".equals(path)));
        source = new byte[W * H * 4];
        new Random(42).nextBytes(source);
        copy = new byte[source.length];
        fb = new Framebuffer(W, H, W * 4, PixelFormat.XRGB8888, ByteBuffer.wrap(source));
        full = fb.bounds();
        out = new byte[W * H * 2];
    }

    @Benchmark
    public byte[] convert() {
        Convert.convert(fb, full, PixelFormat.RGB565_BE, out, 0);
        return out;
    }

    @Benchmark
    public byte[] copy() {
        System.arraycopy(source, 0, copy, 0, source.length);
        return copy;
    }

    public static void main(String[] args) throws Exception {
        Options opt = new OptionsBuilder()
                .include(ConvertBenchmark.class.getName() + "\\.")
                .forks(1).warmupIterations(3).warmupTime(org.openjdk.jmh.runner.options.TimeValue.seconds(1))
                .measurementIterations(5).measurementTime(org.openjdk.jmh.runner.options.TimeValue.seconds(1))
                .jvmArgsAppend("--add-modules", "jdk.incubator.vector")
                .build();
        Collection<RunResult> results = new Runner(opt).run();
        // each path's conversion is paired with the copy measured in the same fork
        double convert = Double.NaN, scalar = Double.NaN, copyUs = Double.NaN, copyScalar = Double.NaN;
        for (RunResult r : results) {
            String method = r.getParams().getBenchmark();
            String p = r.getParams().getParam("path");
            double score = r.getPrimaryResult().getScore();
            if (method.endsWith(".copy")) {
                if ("scalar".equals(p)) {
                    copyScalar = score;
                } else {
                    copyUs = score;
                }
            } else if ("scalar".equals(p)) {
                scalar = score;
            } else {
                convert = score;
            }
        }
        System.out.printf(java.util.Locale.ROOT,
                "convert: convert_us=%.2f copy_us=%.2f ratio=%.3f scalar_us=%.2f scalar_ratio=%.3f%n",
                convert, copyUs, copyUs / convert, scalar, copyScalar / scalar);
    }
}
