package org.paneld.daemon.bench;

import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.paneld.client.Buffer;
import org.paneld.client.PaneldClient;
import org.paneld.client.Session;
import org.paneld.daemon.config.HttpConfig;
import org.paneld.daemon.http.HttpMetrics;
import org.paneld.daemon.http.HttpView;
import org.paneld.daemon.http.PanelDirectory;
import org.paneld.daemon.server.AdminService;
import org.paneld.daemon.server.PaneldServer;
import org.paneld.daemon.server.ServerOptions;
import org.paneld.drivers.core.Binding;
import org.paneld.drivers.core.Bus;
import org.paneld.drivers.core.BusDevice;
import org.paneld.drivers.core.DeviceConfig;
import org.paneld.drivers.core.LifecycleTracker;
import org.paneld.drivers.mipidbi.Mi0283qtDriver;
import org.paneld.drivers.pixel.RgbImage;
import org.paneld.drivers.spi.DbiWiring;
import org.paneld.drivers.spi.Sleeper;
import org.paneld.protocol.Message;

/**
 * {@code bench/run http-overhead}: a daemon-level full-frame stream — a client FLIPs whole 320x240
 * XRGB8888 buffers through the socket server into the mi0283qt driver, whose SPI wire takes
 * {@code bytes × 8 / 62.5 MHz} of wall time (limit 50.9 fps) — with the {@code [http]} endpoint
 * running, first with 0 and then with 3 live-view watchers reading their event streams (each
 * picture read from the device's copy of what it sent, PNG-encoded, at the default 5 pictures a
 * second), alternating 0 and 3 in rounds of {@code ROUND_S} seconds in one run. Prints each
 * round, then {@code http-overhead: fps_0=… fps_3=… ratio=…} (medians; target ratio ≥ 0.97) and
 * {@code pair_ratio}, the median of each 3-watcher round over the 0-watcher round just before it.
 * Test scope.
 */
public final class HttpOverheadBenchmark {
    static final long CLOCK_HZ = 62_500_000L;
    static final double LIMIT_FPS = CLOCK_HZ / 8.0 / (320 * 240 * 2);
    /** The picture and its inverse, flipped in turn. */
    private static byte[][] pictures;
    /** Frames flipped so far, over all rounds: the picture it changes makes every frame a new one. */
    private static int frameNo;

    public static void main(String[] args) throws Exception {
        BenchRig.quietLogs();
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        double roundS = args.length > 1 ? Double.parseDouble(args[1]) : 2.0;
        Bus bus = new Bus("bench", new LifecycleTracker());
        bus.registerDriver(new Mi0283qtDriver());
        BusDevice bd = new BusDevice("lcd0", "mi0283qt", DeviceConfig.of("bench", "driver", "mi0283qt",
                "backend", "spi", "dc_gpio", 25, "reset_gpio", 24, "backlight_gpio", 18, "spi_max_transfer", 65536));
        bd.attach(DbiWiring.class, new org.paneld.drivers.bench.BenchWiring(CLOCK_HZ));
        bd.attach(Sleeper.class, us -> { });
        Binding binding = bus.addAndBind(bd);
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "paneld-bench-");
        Path socket = dir.resolve("paneld.sock");
        PaneldServer server = new PaneldServer(ServerOptions.defaults().withSocketPath(socket), bus, AdminService.unsupported());
        server.start();
        HttpMetrics metrics = new HttpMetrics(server::stats, () -> new long[] {server.budget().used(), server.budget().total()});
        metrics.deviceBound(binding);
        bus.addListener(metrics);
        server.sessions().setFlushObserver(metrics);
        HttpView view = new HttpView(new HttpConfig("127.0.0.1", 0, null, 8, 5), server.acceptorLoops(), server.connectionLoops(),
                new PanelDirectory() {
                    @Override
                    public List<Row> panels() {
                        return List.of(new Row("lcd0", "mi0283qt", "spi", 320, 240, "bound", null));
                    }

                    @Override
                    public RgbImage picture(String name) {
                        return binding.device().shownPicture(); // a real panel: the device's copy of what it sent
                    }
                }, metrics);
        view.start();
        List<double[]> results = new ArrayList<>();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        AtomicLong streamed = new AtomicLong();
        try (PaneldClient c = PaneldClient.connect(socket); Session s = c.open("lcd0", true);
             Buffer b = s.createBuffer(Message.FOURCC_XRGB8888, true)) {
            c.setTimeout(10_000);
            java.nio.ByteBuffer px = b.pixels();
            for (int y = 0; y < 240; y++) {
                for (int x = 0; x < 320; x++) {
                    px.putInt(y * b.stride() + x * 4, (x * 255 / 319) << 16 | (y * 255 / 239) << 8 | ((x ^ y) & 0xFF));
                }
            }
            for (int r = -1; r < rounds; r++) { // round 0: warm-up, not counted
                for (int watchers : new int[] {0, 3}) {
                    List<Socket> ws = new ArrayList<>();
                    List<Thread> readers = new ArrayList<>();
                    for (int i = 0; i < watchers; i++) {
                        Socket w = new Socket("127.0.0.1", view.port());
                        w.getOutputStream().write("GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                        ws.add(w);
                        Thread t = new Thread(() -> drain(w, streamed), "watcher-" + i);
                        t.setDaemon(true);
                        t.start();
                        readers.add(t);
                    }
                    long deadline = System.nanoTime() + 2_000_000_000L;
                    while (view.watchers() != watchers && System.nanoTime() < deadline) {
                        Thread.onSpinWait();
                    }
                    if (view.watchers() != watchers) {
                        throw new IllegalStateException("expected " + watchers + " watchers, the view has " + view.watchers());
                    }
                    long pics0 = view.picturesEncoded(), nanos0 = view.pictureNanos(), bytes0 = streamed.get();
                    long cpu0 = os.getProcessCpuTime(), wall0 = System.nanoTime();
                    double fps = stream(b, roundS);
                    double cpu = (os.getProcessCpuTime() - cpu0) / (double) (System.nanoTime() - wall0);
                    long pics = view.picturesEncoded() - pics0;
                    if (r >= 0) {
                        results.add(new double[] {watchers, fps, cpu});
                    }
                    System.out.printf("round %d watchers=%d fps=%.2f cpu_cores=%.3f pictures=%d ms_per_picture=%.2f streamed_bytes=%d%n",
                            r + 1, watchers, fps, cpu, pics, pics == 0 ? 0 : (view.pictureNanos() - nanos0) / 1e6 / pics,
                            streamed.get() - bytes0);
                    for (Socket w : ws) {
                        w.close();
                    }
                    for (Thread t : readers) {
                        t.join(2000);
                    }
                    deadline = System.nanoTime() + 2_000_000_000L;
                    while (view.watchers() != 0 && System.nanoTime() < deadline) {
                        Thread.onSpinWait();
                    }
                }
            }
        } finally {
            view.close();
            server.close();
            bus.close();
            Files.deleteIfExists(socket);
            Files.deleteIfExists(dir);
        }
        double fps0 = median(results, 0, 1), fps3 = median(results, 3, 1);
        // each round with 3 watchers against the round with 0 just before it (the machine's load drifts)
        double[] pairs = new double[results.size() / 2];
        for (int i = 0; i + 1 < results.size(); i += 2) {
            pairs[i / 2] = results.get(i + 1)[1] / results.get(i)[1];
        }
        Arrays.sort(pairs);
        double pairRatio = pairs.length % 2 == 1 ? pairs[pairs.length / 2] : (pairs[pairs.length / 2 - 1] + pairs[pairs.length / 2]) / 2;
        System.out.printf("streamed to watchers: %d bytes%n", streamed.get());
        System.out.printf("http-overhead: fps_0=%.2f fps_3=%.2f ratio=%.3f pair_ratio=%.3f cpu_0=%.3f cpu_3=%.3f limit_fps=%.1f"
                + " rounds=%d round_s=%.1f%n", fps0, fps3, fps3 / fps0, pairRatio, median(results, 0, 2), median(results, 3, 2), LIMIT_FPS,
                rounds, roundS);
    }

    /** Flips whole frames for {@code seconds}; frames per second. */
    private static double stream(Buffer b, double seconds) throws Exception {
        long t0 = System.nanoTime(), end = t0 + (long) (seconds * 1e9);
        int n = 0;
        java.nio.ByteBuffer px = b.pixels();
        if (pictures == null) {
            byte[] a = new byte[px.capacity()];
            px.get(0, a);
            byte[] inverse = a.clone();
            for (int i = 0; i < inverse.length; i++) {
                inverse[i] = (byte) ~inverse[i];
            }
            pictures = new byte[][] {a, inverse};
        }
        while (System.nanoTime() < end) {
            int f = frameNo++;
            // the picture and its inverse in turn: every pixel changes every frame, so automatic
            // damage sends whole frames and the wire, not the diff, sets the pace
            px.put(0, pictures[f & 1]);
            b.flip();
            n++;
        }
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    private static void drain(Socket w, AtomicLong streamed) {
        byte[] buf = new byte[65536];
        try (InputStream in = w.getInputStream()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                streamed.addAndGet(n);
            }
        } catch (java.io.IOException e) {
            // closed by the round's end
        }
    }

    private static double median(List<double[]> results, int watchers, int column) {
        double[] v = results.stream().filter(r -> r[0] == watchers).mapToDouble(r -> r[column]).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
