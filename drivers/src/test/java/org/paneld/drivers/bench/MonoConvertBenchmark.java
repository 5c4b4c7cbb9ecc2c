package org.paneld.drivers.bench;

import java.util.concurrent.TimeUnit;
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
import org.paneld.drivers.pixel.Framebuffer;
import org.paneld.drivers.pixel.PixelFormat;
import org.paneld.drivers.pixel.Rect;
import org.paneld.drivers.repaper.MonoConverter;
import org.paneld.drivers.st7586.St7586Pixels;

/**
 * {@code bench/run mono-convert}: full-frame XRGB8888 conversion for the two non-RGB panels,
 * each against {@code System.arraycopy} of the same source buffer in the same run:
 * st7586 (178x128 visible frame → packed 2-bit grey, 3 pixels per byte, 60x128 bytes) and
 * repaper 2.7" (264x176 → 1-bit Floyd–Steinberg, the default dither). Prints
 * {@code mono-convert: grey_ratio=X dither_ratio=Y} with ratio = copy time / convert time
 * (1.0 would be "as fast as copying the input").
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx256m"})
public class MonoConvertBenchmark {
    private Framebuffer grey;
    private Framebuffer epd;
    private byte[] greyCopy, epdCopy, packed, mono;
    private MonoConverter fs;
    private final Rect full = St7586Pixels.widen(Rect.of(178, 128));

    @Setup
    public void setup() {
        grey = fill(Framebuffer.allocate(178, 128, PixelFormat.XRGB8888));
        epd = fill(Framebuffer.allocate(264, 176, PixelFormat.XRGB8888));
        greyCopy = new byte[grey.pixels().capacity()];
        epdCopy = new byte[epd.pixels().capacity()];
        packed = new byte[60 * 128];
        mono = new byte[MonoConverter.stride(264) * 176];
        fs = new MonoConverter(MonoConverter.Mode.FLOYD_STEINBERG);
    }

    private static Framebuffer fill(Framebuffer fb) {
        java.util.Random r = new java.util.Random(7);
        for (int y = 0; y < fb.height(); y++) {
            for (int x = 0; x < fb.width(); x++) {
                fb.setRgb(x, y, (x * 255 / fb.width()) << 16 | (y * 255 / fb.height()) << 8 | r.nextInt(256));
            }
        }
        return fb;
    }

    @Benchmark
    public byte[] greyCopy() {
        System.arraycopy(grey.pixels().array(), 0, greyCopy, 0, greyCopy.length);
        return greyCopy;
    }

    @Benchmark
    public byte[] greyPack() {
        St7586Pixels.pack(grey, full, 0, packed);
        return packed;
    }

    @Benchmark
    public byte[] ditherCopy() {
        System.arraycopy(epd.pixels().array(), 0, epdCopy, 0, epdCopy.length);
        return epdCopy;
    }

    @Benchmark
    public byte[] ditherFloydSteinberg() {
        fs.convert(epd, mono);
        return mono;
    }

    public static void main(String[] args) throws Exception {
        Options opts = new OptionsBuilder().include(MonoConvertBenchmark.class.getName() + "\\.").build();
        double gc = 0, gp = 0, dc = 0, dd = 0;
        for (RunResult r : new Runner(opts).run()) {
            String m = r.getParams().getBenchmark();
            double v = r.getPrimaryResult().getScore();
            if (m.endsWith(".greyCopy")) {
                gc = v;
            } else if (m.endsWith(".greyPack")) {
                gp = v;
            } else if (m.endsWith(".ditherCopy")) {
                dc = v;
            } else {
                dd = v;
            }
        }
        System.out.printf("(st7586 178x128: pack %.2f us, copy %.2f us; repaper 264x176 Floyd-Steinberg: %.2f us, copy %.2f us)%n",
                gp, gc, dd, dc);
        System.out.printf("mono-convert: grey_ratio=%.3f dither_ratio=%.3f%n", gc / gp, dc / dd);
    }
}
