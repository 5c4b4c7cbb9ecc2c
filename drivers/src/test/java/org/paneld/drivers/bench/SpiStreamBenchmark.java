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
 * {@code bench/run spi-stream}: full 320x240 XRGB8888 frames through the mi0283qt driver (the
 * whole Device.flush path: guard, CASET/RASET/RAMWR, conversion, the transfer thread) into an SPI
 * bus that takes {@code bytes × 8 / 62.5 MHz} of wall time per transfer. Prints
 * {@code spi-stream: fps=X limit_fps=Y utilisation=X/Y}, where the limit is the pixel bytes of a
 * frame at 62.5 MHz (50.9 fps), and {@code wire_only_fps}: the same pixel bytes, already converted,
 * pushed through the same timed wire in the same run (what the bench wire itself achieves on
 * this machine). The same run does it twice: with 4096-byte transfers (spidev's default bufsiz) and
 * with 65536-byte ones (bufsiz raised with {@code spidev.bufsiz=65536}, which paneld then takes as
 * its default spi_max_transfer), and counts the SPI transfers (one SPI_IOC_MESSAGE ioctl each) a
 * frame takes with each: {@code utilisation_4096=X utilisation_65536=Y ioctls_per_frame_4096=A
 * ioctls_per_frame_65536=B}. Test scope.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SpiStreamBenchmark {
    static final long CLOCK_HZ = 62_500_000L;
    static final int FRAME_BYTES = 320 * 240 * 2;

    @org.openjdk.jmh.annotations.Param({"4096", "65536"})
    public int maxTransfer;

    private BenchPanel panel;
    private BenchWiring bare;
    private org.paneld.drivers.spi.SpiPort barePort;
    private final byte[] chunk = new byte[4096];

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        panel = new BenchPanel(new BenchWiring(CLOCK_HZ), maxTransfer);
        bare = new BenchWiring(CLOCK_HZ);
        barePort = bare.open(panel.binding.device(), 4096, false).spi();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        panel.close();
    }

    @Benchmark
    public void fullFrame() throws Exception {
        panel.flush();
    }

    /** Baseline: only the frame's pixel bytes, pre-converted, pushed through the same timed wire. */
    @Benchmark
    public void wireOnly() throws Exception {
        for (int left = FRAME_BYTES; left > 0; left -= chunk.length) {
            barePort.write(chunk, 0, Math.min(chunk.length, left));
        }
    }

    public static void main(String[] args) throws Exception {
        java.util.Collection<RunResult> rs = new Runner(new OptionsBuilder()
                .include(SpiStreamBenchmark.class.getName() + ".(fullFrame|wireOnly)").build()).run();
        double frameUs = 0, frameUs64 = 0, wireUs = 0;
        for (RunResult r : rs) {
            boolean big = "65536".equals(r.getParams().getParam("maxTransfer"));
            if (r.getParams().getBenchmark().endsWith("fullFrame")) {
                if (big) {
                    frameUs64 = r.getPrimaryResult().getScore();
                } else {
                    frameUs = r.getPrimaryResult().getScore();
                }
            } else if (!big) {
                wireUs = r.getPrimaryResult().getScore();
            }
        }
        double fps = 1e6 / frameUs;
        double fps64 = 1e6 / frameUs64;
        double limit = CLOCK_HZ / (FRAME_BYTES * 8.0);
        System.out.printf(java.util.Locale.ROOT, "spi-stream: fps=%.2f limit_fps=%.2f utilisation=%.3f wire_only_fps=%.2f"
                + " fps_65536=%.2f utilisation_4096=%.3f utilisation_65536=%.3f ioctls_per_frame_4096=%d"
                + " ioctls_per_frame_65536=%d%n", fps, limit, fps / limit, 1e6 / wireUs, fps64, fps / limit, fps64 / limit,
                transfersPerFrame(4096), transfersPerFrame(65536));
    }

    /** SPI transfers (SPI_IOC_MESSAGE ioctls) of one full frame with {@code maxTransfer}-byte transfers. */
    static long transfersPerFrame(int maxTransfer) throws Exception {
        BenchWiring counting = new BenchWiring(0);
        try (BenchPanel p = new BenchPanel(counting, maxTransfer)) {
            p.flush();
            long before = counting.transfers.get();
            p.flush();
            return counting.transfers.get() - before;
        }
    }
}
