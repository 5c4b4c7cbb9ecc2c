package org.paneld.drivers.bench;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.paneld.drivers.core.Binding;
import org.paneld.drivers.core.Bus;
import org.paneld.drivers.core.BusDevice;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.core.DeviceConfig;
import org.paneld.drivers.core.LifecycleTracker;
import org.paneld.drivers.mipidbi.Mi0283qtDriver;
import org.paneld.drivers.mipidbi.MipiDbiDisplay;
import org.paneld.drivers.pixel.Framebuffer;
import org.paneld.drivers.pixel.PixelFormat;
import org.paneld.drivers.pixel.Rect;
import org.paneld.drivers.spi.DbiWiring;
import org.paneld.drivers.spi.Sleeper;

/**
 * {@code bench/run interlace}: a video source (every pixel changes every frame) at twice the rate a
 * 62.5 MHz wire takes full 320x240 frames, into an mi0283qt with {@code interlace = "off"} and then
 * {@code "auto"}, in the same run. A worker thread does what the daemon's device worker does under
 * frame pacing: it takes the newest frame (the ones it skipped count as merged), flushes it paced,
 * and when rows are left pending and no newer frame waits, sends them. After a warm-up (the device
 * needs a second of overload to decide) it counts for {@value #MEASURE_MS} ms: displayed updates
 * per second ({@code off_fps}, {@code auto_fps}; an interlaced update shows half the rows new),
 * full-frame equivalents of rows sent per second ({@code *_rows_fps}: rows on the wire / 240) and
 * the share of updates that were interlaced.
 */
public final class InterlaceBenchmark {
    static final long CLOCK_HZ = 62_500_000;
    static final long WARMUP_MS = 1_500, MEASURE_MS = 4_000;

    public static void main(String[] args) throws Exception {
        double fullFrameNanos = 153_600 * 8e9 / CLOCK_HZ;
        long interval = (long) (fullFrameNanos / 2); // twice the wire's full-frame rate
        double[] off = run("off", interval);
        double[] auto = run("auto", interval);
        System.out.println(String.format(Locale.ROOT, "interlace: off_fps=%.1f auto_fps=%.1f ratio=%.2f off_rows_fps=%.1f"
                        + " auto_rows_fps=%.1f interlaced_share=%.2f source_fps=%.1f off_merged_share=%.2f auto_merged_share=%.2f",
                off[0], auto[0], auto[0] / off[0], off[1], auto[1], auto[2], 1e9 / interval, off[3], auto[3]));
    }

    /** @return displayed updates/s, full-frame equivalents/s, interlaced share, merged share */
    static double[] run(String interlace, long interval) throws Exception {
        Bus bus = new Bus("bench", new LifecycleTracker());
        try {
            bus.registerDriver(new Mi0283qtDriver());
            BusDevice bd = new BusDevice("lcd0", "mi0283qt", DeviceConfig.of("bench", "driver", "mi0283qt",
                    "backend", "spi", "dc_gpio", 25, "reset_gpio", 24, "backlight_gpio", 18, "spi_max_transfer", 65536,
                    "interlace", interlace));
            bd.attach(DbiWiring.class, new BenchWiring(CLOCK_HZ));
            bd.attach(Sleeper.class, us -> { });
            Binding binding = bus.addAndBind(bd);
            Device dev = binding.device();
            MipiDbiDisplay display = (MipiDbiDisplay) dev.display();
            Framebuffer[] frames = new Framebuffer[4];
            for (int k = 0; k < frames.length; k++) {
                frames[k] = Framebuffer.allocate(320, 240, PixelFormat.XRGB8888);
                for (int y = 0; y < 240; y++) {
                    for (int x = 0; x < 320; x++) {
                        frames[k].setRgb(x, y, ((x + k * 37) & 0xFF) << 16 | ((y * 3 + k * 53) & 0xFF) << 8 | (k * 64 + (x ^ y)) & 0xFF);
                    }
                }
            }
            List<Rect> all = List.of(frames[0].bounds());
            AtomicLong produced = new AtomicLong();
            AtomicReference<Framebuffer> latest = new AtomicReference<>(frames[0]);
            long start = System.nanoTime();
            long measureFrom = start + WARMUP_MS * 1_000_000, end = measureFrom + MEASURE_MS * 1_000_000;
            Thread source = new Thread(() -> {
                long next = System.nanoTime();
                for (long k = 1; System.nanoTime() < end; k++) {
                    latest.set(frames[(int) (k % frames.length)]);
                    produced.set(k);
                    next += interval;
                    LockSupport.parkNanos(next - System.nanoTime()); // the source's frame rate
                }
            }, "video source");
            source.start();
            long taken = 0, shown0 = -1, rows0 = 0, inter0 = 0, merged0 = 0, produced0 = 0;
            long rowsSent = 0;
            while (System.nanoTime() < end) {
                long p = produced.get();
                if (p == taken) {
                    LockSupport.parkNanos(20_000); // nothing new: the worker waits
                    continue;
                }
                if (p - taken > 1) {
                    dev.frameStats().merged((int) (p - taken - 1)); // latest wins
                }
                taken = p;
                long planned0 = display.bytesPlanned();
                boolean pending = dev.flushPaced(latest.get(), all);
                if (pending && produced.get() == taken) {
                    dev.sendPendingRows(); // no newer frame waits: the rest of this one
                }
                rowsSent += (display.bytesPlanned() - planned0) / 640;
                if (shown0 < 0 && System.nanoTime() >= measureFrom) {
                    shown0 = dev.frameStats().shown();
                    rows0 = rowsSent;
                    inter0 = display.interlacedUpdates();
                    merged0 = dev.frameStats().merged();
                    produced0 = p;
                }
            }
            source.join();
            double secs = MEASURE_MS / 1000.0;
            long shown = dev.frameStats().shown() - shown0;
            return new double[] {shown / secs, (rowsSent - rows0) / 240.0 / secs,
                    (double) (display.interlacedUpdates() - inter0) / shown,
                    (double) (dev.frameStats().merged() - merged0) / Math.max(1, produced.get() - produced0)};
        } finally {
            bus.close();
        }
    }
}
