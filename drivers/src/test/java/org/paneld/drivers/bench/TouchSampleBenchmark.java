package org.paneld.drivers.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.core.Driver;
import org.paneld.drivers.display.TouchEvent;
import org.paneld.drivers.display.TouchInput;
import org.paneld.drivers.display.TouchSimulator;
import org.paneld.drivers.mipidbi.MipiDbiDrivers;
import org.paneld.drivers.pixel.Framebuffer;
import org.paneld.drivers.pixel.PixelFormat;
import org.paneld.drivers.spi.DbiWiring;
import org.paneld.drivers.spi.Sleeper;
import org.paneld.drivers.testkit.LifecycleKit;

/**
 * {@code bench/run touch-sample}: the drivers' share of touch latency — from the emulated
 * XPT2046's pen-down (the virtual finger pressed, PENIRQ falling) to the DOWN event delivered by
 * the panel's TouchController, pen-down debounce included — while the same panel streams full
 * 320x240 frames on the same SPI bus over a wire timed at 62.5 MHz (each 4096-byte pixel chunk
 * holds the bus for 524 µs), against the same taps with the bus idle, in the same run. The
 * daemon's {@code touch-latency} adds the socket. Prints
 * {@code touch-sample: p50_ms=… p99_ms=… idle_p50_ms=… idle_p99_ms=… ratio_p99=… frames=… taps=…}.
 */
public final class TouchSampleBenchmark {
    static final int TAPS = 150;

    public static void main(String[] args) throws Exception {
        LifecycleKit kit = new LifecycleKit(MipiDbiDrivers.all().toArray(new Driver[0]));
        kit.start();
        BenchWiring wire = new BenchWiring(62_500_000);
        kit.addVirtual("lcd0", "mi0283qt", "touch.driver", "xpt2046", "touch.irq_gpio", 25, "touch.noise", 12,
                "spi_speed_hz", 62_500_000, "spi_max_transfer", 4096)
                .attach(DbiWiring.class, wire).attach(Sleeper.class, us -> { });
        kit.bind("lcd0");
        Device dev = kit.device("lcd0");
        dev.enable();
        TouchInput input = dev.display().touch().orElseThrow();
        TouchSimulator sim = input.simulator().orElseThrow();
        LinkedBlockingQueue<long[]> events = new LinkedBlockingQueue<>();
        input.addListener(e -> events.add(new long[] {e.kind().ordinal(), System.nanoTime()}));
        taps(sim, events, 40); // warm-up (JIT), not counted
        double[] idle = taps(sim, events, TAPS / 2);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger frames = new AtomicInteger();
        Framebuffer fb = Framebuffer.allocate(320, 240, PixelFormat.XRGB8888);
        Thread streamer = new Thread(() -> {
            try {
                java.nio.ByteBuffer px = fb.pixels();
                while (!stop.get()) {
                    // every pixel changes every frame: automatic damage sends whole frames, the bus stays busy
                    for (int i = 0; i + 8 <= px.capacity(); i += 8) {
                        px.putLong(i, ~px.getLong(i));
                    }
                    dev.flush(fb, fb.bounds());
                    frames.incrementAndGet();
                }
            } catch (Exception e) {
                e.printStackTrace();
            }
        }, "frames");
        streamer.start();
        double[] busy = taps(sim, events, TAPS);
        stop.set(true);
        streamer.join();
        kit.finish();
        System.out.printf(Locale.ROOT, "touch-sample: p50_ms=%.2f p99_ms=%.2f idle_p50_ms=%.2f idle_p99_ms=%.2f"
                        + " ratio_p99=%.2f frames=%d taps=%d%n", pct(busy, 50), pct(busy, 99), pct(idle, 50), pct(idle, 99),
                pct(busy, 99) / pct(idle, 99), frames.get(), busy.length + idle.length);
    }

    /** Pen-down to DOWN delivered, per tap, in ms; the finger lifts and the UP is awaited between taps. */
    private static double[] taps(TouchSimulator sim, LinkedBlockingQueue<long[]> events, int n) throws Exception {
        double[] ms = new double[n];
        java.util.Random r = new java.util.Random(1);
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            sim.press(10 + r.nextInt(300), 10 + r.nextInt(220));
            long[] e = await(events, TouchEvent.Kind.DOWN);
            ms[i] = (e[1] - t0) / 1e6;
            sim.release();
            await(events, TouchEvent.Kind.UP);
            Thread.sleep(r.nextInt(8)); // the next press lands at any phase of the sampling and of the frame
        }
        return ms;
    }

    private static long[] await(LinkedBlockingQueue<long[]> events, TouchEvent.Kind kind) throws Exception {
        while (true) {
            long[] e = events.poll(10, TimeUnit.SECONDS);
            if (e == null) {
                throw new IllegalStateException("no " + kind + " within 10 s");
            }
            if (e[0] == kind.ordinal()) {
                return e;
            }
        }
    }

    private static double pct(double[] v, int p) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, (int) Math.ceil(p / 100.0 * s.length) - 1)];
    }
}
