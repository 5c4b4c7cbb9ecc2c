package org.paneld.daemon.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.paneld.client.Buffer;
import org.paneld.client.EventListener;
import org.paneld.client.PaneldClient;
import org.paneld.client.Session;
import org.paneld.daemon.server.AdminService;
import org.paneld.daemon.server.PaneldServer;
import org.paneld.daemon.server.ServerOptions;
import org.paneld.drivers.core.Binding;
import org.paneld.drivers.core.Bus;
import org.paneld.drivers.core.BusDevice;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.core.DeviceConfig;
import org.paneld.drivers.core.Driver;
import org.paneld.drivers.core.LifecycleTracker;
import org.paneld.drivers.display.Display;
import org.paneld.drivers.display.DisplayInfo;
import org.paneld.drivers.display.TouchInput;
import org.paneld.drivers.display.TouchSimulator;
import org.paneld.drivers.mipidbi.Mi0283qtDriver;
import org.paneld.drivers.pixel.Framebuffer;
import org.paneld.drivers.pixel.Rect;
import org.paneld.drivers.spi.DbiWiring;
import org.paneld.drivers.spi.Sleeper;
import org.paneld.drivers.virtual.VirtualFbTouch;
import org.paneld.protocol.Message;

/**
 * {@code bench/run touch-latency}: from the emulated pen-down ({@link TouchSimulator#press}) to the
 * TOUCH DOWN event read by a client over the Unix socket, while the same client streams full
 * 320x240 frames (a new picture each, shared buffer, FLUSH) to an mi0283qt whose SPI wire takes
 * {@code bytes x 8 / 62.5 MHz} of wall time per transfer; then the same with the panel idle.
 * The panel's touch is the Watterott board's XPT2046 on the same SPI bus (the drivers' touch
 * controller sampling the chip's emulator between pixel chunks; its DOWN needs one read after
 * PENIRQ falls). Written against the TouchSimulator of whatever {@link TouchInput} the display
 * has; a display without one gets a virtual-fb touch (events straight from the simulator), so the figure is then
 * the daemon's path alone: listener, per-connection queue, event loop, socket, client decoder and
 * event thread. Last line: {@code touch-latency: p50_ms=… p99_ms=… idle_p50_ms=…}.
 */
public final class TouchLatencyBenchmark {
    static final long CLOCK_HZ = 62_500_000L;

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        BenchRig.quietLogs();
        Bus bus = new Bus("bench", new LifecycleTracker());
        bus.registerDriver(new WithTouch(new Mi0283qtDriver()));
        // the Watterott board: an XPT2046 on CE1 of the panel's bus (its emulator, found through the
        // registry like a virtual panel's), sampled between the panel's 4096-byte chunks (524 µs each)
        DeviceConfig config = DeviceConfig.of("bench", "driver", "mi0283qt", "backend", "spi",
                "dc_gpio", 25, "reset_gpio", 24, "backlight_gpio", 18, "spi_max_transfer", 4096,
                "touch.driver", "xpt2046", "touch.spi_cs", 1, "touch.irq_gpio", 17);
        BusDevice bd = new BusDevice("lcd0", "mi0283qt", config);
        bd.attach(DbiWiring.class, new org.paneld.drivers.bench.BenchWiring(CLOCK_HZ));
        bd.attach(org.paneld.drivers.core.VirtualHardware.class,
                org.paneld.drivers.core.VirtualHardwareRegistry.standard().create(new Mi0283qtDriver(), config));
        bd.attach(Sleeper.class, us -> { });
        Binding binding = bus.addAndBind(bd);
        TouchInput input = binding.device().display().touch().orElseThrow();
        TouchSimulator finger = input.simulator().orElseThrow(() -> new IllegalStateException("lcd0's touch is not emulated"));
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "paneld-touch-bench-");
        Path socket = dir.resolve("paneld.sock");
        PaneldServer server = new PaneldServer(ServerOptions.defaults().withSocketPath(socket), bus, AdminService.unsupported());
        server.start();
        String result;
        try (PaneldClient c = PaneldClient.connect(socket)) {
            LinkedBlockingQueue<long[]> arrivals = new LinkedBlockingQueue<>();
            c.addListener(new EventListener() {
                @Override
                public void touch(Session s, Message.Touch t) {
                    arrivals.add(new long[] {System.nanoTime(), t.kind()});
                }
            });
            Session s = c.open("lcd0", true);
            c.subscribe(Message.SUB_TOUCH);
            Buffer b = s.createBuffer(Message.FOURCC_XRGB8888, true);
            AtomicBoolean streaming = new AtomicBoolean(true);
            AtomicLong frames = new AtomicLong();
            Thread streamer = new Thread(() -> {
                int[] px = new int[s.width() * s.height()];
                try {
                    for (int i = 0; streaming.get(); i++) {
                        Arrays.fill(px, (i & 1) == 0 ? 0x2040A0 : 0xA04020); // every pixel changes: a full frame on the wire
                        b.writeRgb(px);
                        b.flushAll();
                        frames.incrementAndGet();
                    }
                } catch (Exception e) {
                    if (streaming.get()) {
                        e.printStackTrace();
                    }
                }
            }, "streamer");
            streamer.start();
            taps(finger, arrivals, 40); // warm-up
            long f0 = frames.get();
            long t0 = System.nanoTime();
            long[] busy = taps(finger, arrivals, n);
            double fps = (frames.get() - f0) / ((System.nanoTime() - t0) / 1e9);
            streaming.set(false);
            streamer.join(10_000);
            long[] idle = taps(finger, arrivals, n / 2);
            System.out.printf("taps=%d idle_taps=%d fps_while_streaming=%.1f (wire limit %.1f) touch=%s max_ms=%.2f%n", n, n / 2, fps,
                    CLOCK_HZ / (320 * 240 * 2 * 8.0), input.driver(), busy[busy.length - 1] / 1e6);
            result = String.format("touch-latency: p50_ms=%.2f p99_ms=%.2f idle_p50_ms=%.2f", BenchRig.percentile(busy, 0.5) / 1e6,
                    BenchRig.percentile(busy, 0.99) / 1e6, BenchRig.percentile(idle, 0.5) / 1e6);
        } finally {
            server.close();
            bus.close();
            Files.deleteIfExists(socket);
            Files.deleteIfExists(dir);
        }
        System.out.println(result);
    }

    /** {@code count} taps at random places and random moments: pen-down to DOWN read, sorted (ns). */
    private static long[] taps(TouchSimulator finger, LinkedBlockingQueue<long[]> arrivals, int count) throws Exception {
        Random rnd = new Random(62);
        long[] lat = new long[count];
        for (int i = 0; i < count; i++) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2 + rnd.nextInt(15))); // pacing between taps, out of step with frames
            long t0 = System.nanoTime();
            finger.press(rnd.nextInt(320), rnd.nextInt(240));
            lat[i] = await(arrivals, Message.TOUCH_DOWN) - t0;
            finger.release();
            await(arrivals, Message.TOUCH_UP);
        }
        Arrays.sort(lat);
        return lat;
    }

    private static long await(LinkedBlockingQueue<long[]> arrivals, int kind) throws Exception {
        while (true) {
            long[] a = arrivals.poll(10, TimeUnit.SECONDS);
            if (a == null) {
                throw new IllegalStateException("no " + (kind == Message.TOUCH_DOWN ? "DOWN" : "UP") + " within 10 s");
            }
            if (a[1] == kind) {
                return a[0];
            }
        }
    }

    /** The panel's own driver, with a virtual-fb touch added when its display has no touch (bench only). */
    static final class WithTouch implements Driver {
        private final Driver inner;

        WithTouch(Driver inner) {
            this.inner = inner;
        }

        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public java.util.Set<String> aliases() {
            return inner.aliases();
        }

        @Override
        public void validate(DeviceConfig config) throws org.paneld.drivers.core.ConfigException {
            inner.validate(config);
        }

        @Override
        public Display probe(Device device) throws Exception {
            Display d = inner.probe(device);
            if (d.touch().isPresent()) {
                return d;
            }
            DisplayInfo i = d.info();
            VirtualFbTouch touch = new VirtualFbTouch(i.width(), i.height(), VirtualFbTouch.DEFAULT_CALIBRATION);
            device.hardware().add("stop bench touch", touch::stop);
            return new Display() {
                @Override
                public DisplayInfo info() {
                    return d.info();
                }

                @Override
                public void enable() throws java.io.IOException {
                    d.enable();
                }

                @Override
                public void disable() throws java.io.IOException {
                    d.disable();
                }

                @Override
                public void flush(Framebuffer source, Rect damage) throws java.io.IOException {
                    d.flush(source, damage);
                }

                @Override
                public void setProperty(String name, long value) throws java.io.IOException {
                    d.setProperty(name, value);
                }

                @Override
                public boolean keepsPictureWhenSwitchedOff() {
                    return d.keepsPictureWhenSwitchedOff();
                }

                @Override
                public java.util.Optional<TouchInput> touch() {
                    return java.util.Optional.of(touch);
                }

                @Override
                public void release() {
                    d.release();
                }
            };
        }
    }
}
