package org.paneld.drivers.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.paneld.drivers.core.Bus;
import org.paneld.drivers.core.BusDevice;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.core.DeviceConfig;
import org.paneld.drivers.core.LifecycleTracker;
import org.paneld.drivers.core.VirtualHardware;
import org.paneld.drivers.gud.GudDriver;
import org.paneld.drivers.virtual.VirtualGudFormat;
import org.paneld.drivers.gud.GudOptions;
import org.paneld.drivers.pixel.Framebuffer;
import org.paneld.drivers.pixel.PixelFormat;
import org.paneld.drivers.virtual.VirtualGudDevice;

/**
 * {@code bench/run gud-stream}: full frames through the GUD host driver (conversion, SET_BUFFER,
 * bulk OUT) into a virtual GUD device whose bulk endpoint is timed like USB 2.0 high speed
 * (40 MB/s), no compression. Cases: 800x480 XRGB8888 into an XRGB8888 device (the headline
 * figure), 320x240 RGB565 into an RGB565 device, and 800x480 XRGB8888 into an RGB565-only
 * device (conversion on every frame); and, for comparison, 800x480 UI frames with LZ4 (the
 * uncompressed line rate is then no limit: utilisation above 1). Prints
 * {@code gud-stream: fps=X limit_fps=Y utilisation=X/Y ...} where limit_fps = 40 MB/s divided
 * by the bytes of one frame on the wire.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
public class GudStreamBenchmark {
    static final double MB_PER_S = 40;

    @Param({"800x480-xrgb8888", "320x240-rgb565", "800x480-xrgb8888-to-rgb565", "800x480-xrgb8888-lz4"})
    public String scenario;

    Bus bus;
    Device device;
    Framebuffer[] frames;
    int next;

    static int wireBytes(String scenario) {
        switch (scenario) {
            case "800x480-xrgb8888":
            case "800x480-xrgb8888-lz4": return 800 * 480 * 4;
            case "320x240-rgb565": return 320 * 240 * 2;
            case "800x480-xrgb8888-to-rgb565": return 800 * 480 * 2;
            default: throw new IllegalArgumentException(scenario);
        }
    }

    @Setup(Level.Trial)
    public void setup() throws Exception {
        boolean small = scenario.startsWith("320");
        int w = small ? 320 : 800, h = small ? 240 : 480;
        PixelFormat client = scenario.startsWith("320") ? PixelFormat.RGB565 : PixelFormat.XRGB8888;
        VirtualGudFormat deviceFormat = scenario.endsWith("rgb565") ? VirtualGudFormat.RGB565 : VirtualGudFormat.XRGB8888;
        VirtualGudDevice dev = new VirtualGudDevice(VirtualGudDevice.Config.defaults(w, h).withFormats(deviceFormat)
                .withConnectorPoll(false).withBulkMbPerS(MB_PER_S).withLz4(scenario.endsWith("lz4")));
        bus = new Bus("bench", new LifecycleTracker());
        bus.registerDriver(new GudDriver(GudOptions.DEFAULT.withPollInterval(java.time.Duration.ZERO)));
        BusDevice bd = new BusDevice("gud0", "gud", DeviceConfig.of("bench")).attach(VirtualHardware.class, dev);
        device = bus.addAndBind(bd).device();
        frames = new Framebuffer[] {GudFrames.ui(w, h, client, 0), GudFrames.ui(w, h, client, 1)};
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        bus.close();
    }

    @Benchmark
    public void flushFullFrame() throws Exception {
        Framebuffer fb = frames[next++ & 1];
        device.flush(fb, fb.bounds());
    }

    public static void main(String[] args) throws Exception {
        Options opts = new OptionsBuilder().include(GudStreamBenchmark.class.getName() + "\\.").build();
        Map<String, Double> fps = new HashMap<>();
        for (RunResult r : new Runner(opts).run()) {
            fps.put(r.getParams().getParam("scenario"), r.getPrimaryResult().getScore());
        }
        StringBuilder sb = new StringBuilder("gud-stream:");
        for (String s : List.of("800x480-xrgb8888", "320x240-rgb565", "800x480-xrgb8888-to-rgb565", "800x480-xrgb8888-lz4")) {
            double f = fps.getOrDefault(s, 0.0);
            double limit = MB_PER_S * 1e6 / wireBytes(s);
            String suffix = s.equals("800x480-xrgb8888") ? "" : s.startsWith("320") ? "_320x240_rgb565"
                    : s.endsWith("lz4") ? "_lz4_ui" : "_convert_rgb565";
            sb.append(String.format(Locale.ROOT, " fps%s=%.2f limit_fps%s=%.2f utilisation%s=%.3f",
                    suffix, f, suffix, limit, suffix, f / limit));
        }
        System.out.println(sb);
    }
}
