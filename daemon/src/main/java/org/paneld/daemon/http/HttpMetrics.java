package org.paneld.daemon.http;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.paneld.daemon.server.ServerStats;
import org.paneld.daemon.session.FlushObserver;
import org.paneld.drivers.core.Binding;
import org.paneld.drivers.core.BusListener;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.core.DeviceException;

/**
 * The daemon's metrics, through the official Prometheus Java client: per device (by name, so
 * that counters go on across rebinds) frames, pixels and bytes on the wire, wire busy time and
 * fraction, a flush latency histogram, errors by errno and unplugs; per server connections,
 * sessions, buffers, bytes in and out, the memory budget; JVM basics. It also keeps, per device,
 * the rates of the last second (fps, bytes/s) and a frame counter that the live view follows.
 *
 * <p>Bounded: at most {@value #MAX_DEVICES} device names are kept; beyond that the names no
 * longer on the bus are forgotten. Lifetime: the {@code [http]} endpoint's (made before, closed
 * after it). Threads: {@link #flushed} on device workers (a short synchronized update),
 * {@link #scrape()} and {@link #meter} from any.
 */
public final class HttpMetrics implements FlushObserver, BusListener {
    static final int MAX_DEVICES = 64;
    private static final double[] LATENCY_BOUNDS = {0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Map<String, Meter> meters = new LinkedHashMap<>(); // under this
    private final Histogram latency;
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    /**
     * @param server the server's counters (connections, sessions, buffers, bytes), read at each scrape
     * @param budget bytes of the daemon-wide memory budget in use and in all
     */
    public HttpMetrics(Supplier<ServerStats> server, Supplier<long[]> budget) {
        latency = Histogram.builder().name("paneld_device_flush_seconds")
                .help("Time a client's FLUSH or FLIP spent in the driver, seconds").labelNames("device")
                .classicOnly().classicUpperBounds(LATENCY_BOUNDS).register(registry);
        deviceCounter("paneld_device_frames", "Frames sent (one per client FLUSH or FLIP that reached the driver)", m -> m.frames);
        deviceCounter("paneld_device_pixels", "Pixels sent (the damage of every frame)", m -> m.pixels);
        deviceCounter("paneld_device_wire_bytes", "Bytes the driver put on the wire (SPI or USB bulk; 0 for drivers that do not count)",
                m -> m.wireBytes);
        deviceCounter("paneld_device_wire_busy_seconds", "Time spent sending frames, seconds", m -> m.busyNanos / 1e9);
        deviceCounter("paneld_device_unplugs", "Surprise removals (cable pulled, device gone, simulated unplug)", m -> m.unplugs);
        GaugeWithCallback.builder().name("paneld_device_wire_busy_ratio")
                .help("Fraction of the last second spent sending frames (0 to 1)").labelNames("device")
                .callback(cb -> eachMeter(m -> cb.call(m.rates(System.nanoTime())[2], m.name))).register(registry);
        GaugeWithCallback.builder().name("paneld_device_fps")
                .help("Frames per second over the last second").labelNames("device")
                .callback(cb -> eachMeter(m -> cb.call(m.rates(System.nanoTime())[0], m.name))).register(registry);
        CounterWithCallback.builder().name("paneld_device_errors")
                .help("Frames that failed, by errno").labelNames("device", "errno")
                .callback(cb -> eachMeter(m -> {
                    for (Map.Entry<String, Long> e : m.errorsCopy().entrySet()) {
                        cb.call(e.getValue(), m.name, e.getKey());
                    }
                })).register(registry);
        GaugeWithCallback.builder().name("paneld_server_connections").help("Open client connections")
                .callback(cb -> cb.call(server.get().connections())).register(registry);
        GaugeWithCallback.builder().name("paneld_server_sessions").help("Open sessions")
                .callback(cb -> cb.call(server.get().sessions())).register(registry);
        GaugeWithCallback.builder().name("paneld_server_buffers").help("Client buffers allocated")
                .callback(cb -> cb.call(server.get().buffers())).register(registry);
        CounterWithCallback.builder().name("paneld_server_received_bytes").help("Bytes received from clients")
                .callback(cb -> cb.call(server.get().bytesIn())).register(registry);
        CounterWithCallback.builder().name("paneld_server_sent_bytes").help("Bytes sent to clients")
                .callback(cb -> cb.call(server.get().bytesOut())).register(registry);
        CounterWithCallback.builder().name("paneld_server_requests").help("Client requests")
                .callback(cb -> cb.call(server.get().requests())).register(registry);
        GaugeWithCallback.builder().name("paneld_server_memory_budget_used_bytes").help("Bytes of the daemon-wide memory budget in use")
                .callback(cb -> cb.call(budget.get()[0])).register(registry);
        GaugeWithCallback.builder().name("paneld_server_memory_budget_bytes").help("The daemon-wide memory budget")
                .callback(cb -> cb.call(budget.get()[1])).register(registry);
        JvmMetrics.builder().register(registry);
    }

    /**
     * The endpoint's own figures: live views open and answers by status code. Called once by
     * {@link HttpView}'s constructor.
     */
    void registerEndpoint(java.util.function.IntSupplier watchers) {
        GaugeWithCallback.builder().name("paneld_http_watchers").help("Live views open (/events streams)")
                .callback(cb -> cb.call(watchers.getAsInt())).register(registry);
        answers = io.prometheus.metrics.core.metrics.Counter.builder().name("paneld_http_responses")
                .help("HTTP answers by status code").labelNames("code").register(registry);
    }

    private volatile io.prometheus.metrics.core.metrics.Counter answers;

    /** Counts one HTTP answer (codes are a small fixed set: the labels stay bounded). */
    void answered(int code) {
        io.prometheus.metrics.core.metrics.Counter a = answers;
        if (a != null) {
            a.labelValues(Integer.toString(code)).inc();
        }
    }

    private void deviceCounter(String name, String help, java.util.function.ToDoubleFunction<Meter> value) {
        CounterWithCallback.builder().name(name).help(help).labelNames("device")
                .callback(cb -> eachMeter(m -> cb.call(value.applyAsDouble(m), m.name))).register(registry);
    }

    private void eachMeter(java.util.function.Consumer<Meter> c) {
        List<Meter> all;
        synchronized (this) {
            all = new ArrayList<>(meters.values());
        }
        for (Meter m : all) {
            c.accept(m);
        }
    }

    /** The meter of device {@code name}, made on first use. */
    public synchronized Meter meter(String name) {
        Meter m = meters.get(name);
        if (m == null) {
            if (meters.size() >= MAX_DEVICES) {
                forgetOne();
            }
            m = new Meter(name);
            meters.put(name, m);
            latency.labelValues(name); // the histogram's series exist (at 0) from the first sight of the device
        }
        return m;
    }

    /** Forgets the oldest meter of a device that is not bound now (or the oldest). */
    private void forgetOne() {
        String victim = null;
        for (Meter m : meters.values()) {
            if (!m.bound) {
                victim = m.name;
                break;
            }
        }
        if (victim == null) {
            victim = meters.keySet().iterator().next();
        }
        meters.remove(victim);
        latency.remove(victim);
    }

    @Override
    public void flushed(Device device, int rects, long pixels, long wireBytes, long nanos, Exception error) {
        Meter m = meter(device.name());
        m.flushed(pixels, wireBytes, nanos, error == null ? null : DeviceException.errnoOf(error).name());
        if (error == null) {
            latency.labelValues(device.name()).observe(nanos / 1e9);
        }
    }

    @Override
    public void deviceBound(Binding binding) {
        meter(binding.device().name()).bound = true;
    }

    @Override
    public void deviceUnbound(Binding binding, boolean surprise) {
        Meter m = meter(binding.device().name());
        m.bound = false;
        if (surprise) {
            m.unplugged();
        }
    }

    /** The whole exposition in the Prometheus text format (version 0.0.4). */
    public byte[] scrape() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16384);
        writer.write(out, registry.scrape());
        return out.toByteArray();
    }

    /** The content type of {@link #scrape()}. */
    public String contentType() {
        return writer.getContentType();
    }

    /**
     * One device's counters and the rates of the last whole second. Threads: updated on the
     * device worker, read from any (synchronized; uncontended but for a reader's microseconds).
     */
    public static final class Meter {
        private static final long WINDOW = 1_000_000_000L;
        final String name;
        volatile boolean bound = true;
        long frames, pixels, wireBytes, busyNanos, unplugs;        // under this
        private final Map<String, Long> errors = new TreeMap<>();  // under this; keys: Errno names
        private long winStart = System.nanoTime(), winFrames, winBytes, winBusy;
        private double fps, bytesPerSecond, busyRatio;
        private volatile long version;

        Meter(String name) {
            this.name = name;
        }

        synchronized void flushed(long px, long wire, long nanos, String errno) {
            long now = System.nanoTime();
            roll(now);
            if (errno != null) {
                errors.merge(errno, 1L, Long::sum);
            } else {
                frames++;
                winFrames++;
                pixels += px;
            }
            if (wire > 0) {
                wireBytes += wire;
                winBytes += wire;
            }
            busyNanos += nanos;
            winBusy += nanos;
            version++;
        }

        synchronized void unplugged() {
            unplugs++;
            version++;
        }

        private void roll(long now) {
            long el = now - winStart;
            if (el >= WINDOW) {
                double s = el / 1e9;
                fps = winFrames / s;
                bytesPerSecond = winBytes / s;
                busyRatio = Math.min(1.0, winBusy / (double) el);
                winStart = now;
                winFrames = 0;
                winBytes = 0;
                winBusy = 0;
            }
        }

        /** {fps, bytes per second, wire busy ratio} of the last whole second (0 after a second of nothing). */
        public synchronized double[] rates(long now) {
            roll(now);
            return new double[] {fps, bytesPerSecond, busyRatio};
        }

        synchronized Map<String, Long> errorsCopy() {
            return new TreeMap<>(errors);
        }

        /** Changes at every frame and unplug: the live view sends a new picture when it moved. */
        public long version() {
            return version;
        }

        public synchronized long frames() {
            return frames;
        }
    }
}
