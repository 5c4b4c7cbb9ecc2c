package org.paneld.drivers.bench;

import java.util.Collection;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.paneld.drivers.pixel.RgbImage;
import org.paneld.drivers.virtual.DbiModel;
import org.paneld.drivers.virtual.VirtualDbiPanel;

/**
 * {@code bench/run emulator}: what the MIPI DBI emulator costs the tests it judges. A full
 * 320x240 RGB565 frame absorbed by an awake mi0283qt emulator (RAMWR, then 153,600 pixel bytes in
 * 4096-byte transfers, as the driver sends them) and a {@code snapshot()} rendered, against a
 * {@code System.arraycopy} of the same 153,600 bytes in the same fork. Prints
 * {@code emulator: absorb_us=X snapshot_us=Y copy_us=Z}. Test scope.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx256m")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class EmulatorBenchmark {
    static final int W = 320, H = 240, CHUNK = 4096;
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private VirtualDbiPanel panel;
    private byte[] frame;
    private byte[] copy;

    @Setup(Level.Trial)
    public void setUp() {
        panel = new VirtualDbiPanel(DbiModel.mi0283qt());
        panel.setReset(true);
        panel.setReset(false);
        panel.elapse(120 * MS);
        command(0x3A, 0x55);
        command(0x36, 0xE8);
        command(0x11);
        panel.elapse(120 * MS);
        command(0x29);
        command(0x2A, 0, 0, (W - 1) >> 8, (W - 1) & 0xFF);
        command(0x2B, 0, 0, (H - 1) >> 8, (H - 1) & 0xFF);
        frame = new byte[W * H * 2];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int v = (x * 31 / (W - 1)) << 11 | (y * 63 / (H - 1)) << 5 | ((x ^ y) & 31);
                frame[2 * (y * W + x)] = (byte) (v >> 8);
                frame[2 * (y * W + x) + 1] = (byte) v;
            }
        }
        copy = new byte[frame.length];
        absorb();
        panel.assertNoViolations();
    }

    private void command(int c, int... params) {
        panel.write(false, new byte[] {(byte) c}, 0, 1);
        if (params.length > 0) {
            byte[] p = new byte[params.length];
            for (int i = 0; i < p.length; i++) {
                p[i] = (byte) params[i];
            }
            panel.write(true, p, 0, p.length);
        }
    }

    @Benchmark
    public long absorb() {
        panel.write(false, new byte[] {0x2C}, 0, 1);
        for (int off = 0; off < frame.length; off += CHUNK) {
            panel.write(true, frame, off, Math.min(CHUNK, frame.length - off));
        }
        return panel.bytesReceived();
    }

    @Benchmark
    public RgbImage snapshot() {
        return panel.snapshot();
    }

    @Benchmark
    public void copy(Blackhole bh) {
        System.arraycopy(frame, 0, copy, 0, frame.length);
        bh.consume(copy);
    }

    public static void main(String[] args) throws Exception {
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(EmulatorBenchmark.class.getName() + "\\.(absorb|snapshot|copy)$").build()).run();
        double absorb = 0, snapshot = 0, copy = 0;
        for (RunResult r : results) {
            String label = r.getParams().getBenchmark();
            double score = r.getPrimaryResult().getScore();
            if (label.endsWith(".absorb")) {
                absorb = score;
            } else if (label.endsWith(".snapshot")) {
                snapshot = score;
            } else if (label.endsWith(".copy")) {
                copy = score;
            }
        }
        System.out.printf(java.util.Locale.ROOT, "emulator: absorb_us=%.1f snapshot_us=%.1f copy_us=%.2f%n",
                absorb, snapshot, copy);
    }
}
