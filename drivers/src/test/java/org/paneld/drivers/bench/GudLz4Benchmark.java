package org.paneld.drivers.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.paneld.drivers.pixel.PixelFormat;

/**
 * {@code bench/run gud-lz4}: LZ4 (lz4-java, the compressor the GUD driver uses) on a sequence
 * of typical UI frames and photo-like frames at 320x240 RGB565 and 800x480 XRGB8888, against a
 * plain copy of the same bytes in the same run. Prints
 * {@code gud-lz4: mb_per_s=X ratio_ui=Y ratio_photo=Z copy_mb_per_s=W} (MB = 10^6 bytes of
 * uncompressed input; ratio = input / compressed).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class GudLz4Benchmark {
    static final int UI_FRAMES = 4;

    byte[][] ui;
    byte[][] photo;
    byte[] out;
    LZ4Compressor lz4;

    static List<byte[]> uiFrames() {
        List<byte[]> f = new ArrayList<>();
        for (int n = 0; n < UI_FRAMES; n++) {
            f.add(GudFrames.bytes(GudFrames.ui(320, 240, PixelFormat.RGB565, n)));
            f.add(GudFrames.bytes(GudFrames.ui(800, 480, PixelFormat.XRGB8888, n)));
        }
        return f;
    }

    static List<byte[]> photoFrames() {
        return List.of(GudFrames.bytes(GudFrames.photo(320, 240, PixelFormat.RGB565, 1)),
                GudFrames.bytes(GudFrames.photo(800, 480, PixelFormat.XRGB8888, 2)));
    }

    @Setup
    public void setup() {
        ui = uiFrames().toArray(new byte[0][]);
        photo = photoFrames().toArray(new byte[0][]);
        lz4 = LZ4Factory.fastestInstance().fastCompressor();
        out = new byte[lz4.maxCompressedLength(800 * 480 * 4)];
    }

    @Benchmark
    public int compressUi() {
        int n = 0;
        for (byte[] f : ui) {
            n += lz4.compress(f, 0, f.length, out, 0, out.length);
        }
        return n;
    }

    @Benchmark
    public int compressPhoto() {
        int n = 0;
        for (byte[] f : photo) {
            n += lz4.compress(f, 0, f.length, out, 0, out.length);
        }
        return n;
    }

    @Benchmark
    public int copyUi() {
        int n = 0;
        for (byte[] f : ui) {
            System.arraycopy(f, 0, out, 0, f.length);
            n += out[f.length - 1];
        }
        return n;
    }

    static long total(List<byte[]> frames) {
        long t = 0;
        for (byte[] f : frames) {
            t += f.length;
        }
        return t;
    }

    static double ratio(List<byte[]> frames) {
        LZ4Compressor c = LZ4Factory.fastestInstance().fastCompressor();
        byte[] o = new byte[c.maxCompressedLength(800 * 480 * 4)];
        long in = 0, comp = 0;
        for (byte[] f : frames) {
            in += f.length;
            comp += c.compress(f, 0, f.length, o, 0, o.length);
        }
        return in / (double) comp;
    }

    public static void main(String[] args) throws Exception {
        Options opts = new OptionsBuilder().include(GudLz4Benchmark.class.getName() + "\\.").build();
        double uiMs = 0, photoMs = 0, copyMs = 0;
        for (RunResult r : new Runner(opts).run()) {
            String label = r.getParams().getBenchmark();
            double ms = r.getPrimaryResult().getScore();
            if (label.endsWith("compressUi")) {
                uiMs = ms;
            } else if (label.endsWith("compressPhoto")) {
                photoMs = ms;
            } else if (label.endsWith("copyUi")) {
                copyMs = ms;
            }
        }
        List<byte[]> ui = uiFrames();
        List<byte[]> photo = photoFrames();
        double uiMb = total(ui) / 1e6, photoMb = total(photo) / 1e6;
        System.out.println(String.format(Locale.ROOT,
                "gud-lz4: mb_per_s=%.0f ratio_ui=%.2f ratio_photo=%.2f copy_mb_per_s=%.0f photo_mb_per_s=%.0f lz4_vs_copy=%.3f",
                uiMb / (uiMs / 1000), ratio(ui), ratio(photo), uiMb / (copyMs / 1000), photoMb / (photoMs / 1000),
                copyMs / uiMs));
    }
}
