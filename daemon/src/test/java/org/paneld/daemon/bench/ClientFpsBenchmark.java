package org.paneld.daemon.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.paneld.daemon.server.AdminService;
import org.paneld.daemon.server.PaneldServer;
import org.paneld.daemon.server.ServerOptions;
import org.paneld.drivers.core.Bus;
import org.paneld.drivers.core.BusDevice;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.core.DeviceConfig;
import org.paneld.drivers.core.LifecycleTracker;
import org.paneld.drivers.core.VirtualHardware;
import org.paneld.drivers.core.VirtualHardwareRegistry;
import org.paneld.drivers.mipidbi.Mi0283qtDriver;
import org.paneld.drivers.spi.DbiWiring;
import org.paneld.drivers.spi.SpiPort;
import org.paneld.drivers.virtual.VirtualDbiPanel;
import org.paneld.drivers.virtual.VirtualDbiWiring;

/**
 * {@code bench/run client-fps [FRAMES [ROUNDS [KEY,KEY…]]]}: full 320x240 frames per second that each client
 * pushes (150 frames), one after the other, in 3 interleaved rounds of the same run (the median is
 * reported; before them, not counted, the first client pushes 100 frames and the driver 300, so that
 * the in-process daemon's request and frame paths are compiled before round 1), into "lcd0", an mi0283qt on the virtual backend (its
 * emulator decodes every byte) whose SPI wire takes {@code bytes × 8 / clock} of wall time at
 * {@code spi_speed_hz = 62.5 MHz} (commands at the driver's 10 MHz), served by an in-process
 * paneld on a Unix socket. Clients, each its own process with the same loop (every pixel changes,
 * one FLUSH of the whole display per frame, 3 warm-up frames):
 * the Java client ({@link PushFrames}, shared buffer), the Python package
 * ({@code protocol/python/examples/push_frames.py}, shared buffer and inline WRITE; NA when the
 * file is absent) and libpaneld ({@code protocol/c/examples/push_frames.c}, built by make,
 * shared buffer). The limit is the wire alone: 62.5e6 / (320 × 240 × 16) = 50.86 fps. Last line:
 * {@code client-fps: java=X python_shm=Y python_inline=Z c=W limit=50.86 java_2buf=A c_2buf=B
 * driver_only=V java_netty=U java_cold=T rounds=3}. java and c run the same loop as the Python script: one buffer, draw,
 * flush, wait for the answer, repeat; java_2buf and c_2buf draw the next frame into a second
 * buffer while the previous flush is carried out (two flushes in flight). The Java keys first send
 * {@value #JAVA_WARMUP_FLUSHES} one-pixel FLUSHes, not counted (~0.5 s; C and Python have no JIT
 * to warm): without them the 150 frames measure the JVM's first 3 s — the request path
 * interpreted and the JIT's compiler threads taking CPU from the daemon on a 2-core machine
 * ({@code java_cold}: java without them). java_netty is java with
 * {@code -Dpaneld.client.directWrites=false}: every request goes through Netty's I/O thread (a
 * hop to it and a wake-up per frame more than the C client), the Java client before the direct
 * write;
 * driver_only is the baseline of the same run: the same frames handed to the driver in-process
 * (no socket, no client). Test scope; run from
 * the repository root (bench/run does).
 */
public final class ClientFpsBenchmark {
    static final int CLOCK_HZ = 62_500_000;
    static final int W = 320, H = 240;
    /** One-pixel FLUSHes the Java keys send before their frames, not counted (see the class comment). */
    static final int JAVA_WARMUP_FLUSHES = 1000;

    /** The virtual panel's wires, with SPI writes that last as long as on a real wire at their clock. */
    static final class TimedWiring implements DbiWiring {
        private final VirtualDbiWiring inner;

        TimedWiring(VirtualDbiWiring inner) {
            this.inner = inner;
        }

        @Override
        public Lines open(Device device, int maxTransfer, boolean option1) throws Exception {
            Lines l = inner.open(device, maxTransfer, option1);
            SpiPort s = l.spi();
            SpiPort timed = new SpiPort() {
                @Override
                public void write(byte[] buf, int off, int len) throws IOException {
                    write(buf, off, len, s.speedHz());
                }

                @Override
                public void write(byte[] buf, int off, int len, int clockHz) throws IOException {
                    long deadline = System.nanoTime() + len * 8L * 1_000_000_000L / clockHz;
                    s.write(buf, off, len, clockHz); // the emulator decodes while the "wire" runs
                    waitUntil(deadline);
                }

                @Override
                public void transfer(byte[] tx, byte[] rx, int len) throws IOException {
                    s.transfer(tx, rx, len);
                }

                @Override
                public void transfer(byte[] tx, byte[] rx, int len, int clockHz) throws IOException {
                    long deadline = System.nanoTime() + len * 8L * 1_000_000_000L / clockHz;
                    s.transfer(tx, rx, len, clockHz);
                    waitUntil(deadline);
                }

                @Override
                public int maxTransfer() {
                    return s.maxTransfer();
                }

                @Override
                public int speedHz() {
                    return s.speedHz();
                }

                @Override
                public boolean anyClock() {
                    return s.anyClock();
                }

                @Override
                public boolean canRead() {
                    return s.canRead();
                }

                @Override
                public String describe() {
                    return "timed " + s.describe();
                }
            };
            return new Lines(timed, l.dc(), l.reset(), l.backlight());
        }

        @Override
        public org.paneld.drivers.spi.Sleeper sleeper(org.paneld.drivers.spi.Sleeper s) {
            return inner.sleeper(s);
        }

        /** Parks, then spins the last 200 µs, so the wire time is precise. */
        static void waitUntil(long deadline) {
            long left = deadline - System.nanoTime() - 200_000;
            if (left > 0) {
                LockSupport.parkNanos(left);
            }
            while (System.nanoTime() - deadline < 0) {
                Thread.onSpinWait();
            }
        }
    }

    public static void main(String[] args) throws Exception {
        int frames = args.length > 0 ? Integer.parseInt(args[0]) : 150;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        BenchRig.quietLogs();
        Path root = Path.of("").toAbsolutePath();
        Path cDir = root.resolve("protocol/c");
        Path pyScript = root.resolve("protocol/python/examples/push_frames.py");
        Path cBuild = root.resolve("daemon/target/c-bench");
        Files.createDirectories(cBuild);
        Run make = run(root, Map.of(), 300, List.of("make", "-s", "-C", cDir.toString(), "BUILD=" + cBuild, cBuild + "/push_frames"));
        if (make.code != 0) {
            System.err.println("client-fps: make of push_frames failed:\n" + make.out);
        }

        Bus bus = new Bus("bench", new LifecycleTracker());
        Mi0283qtDriver driver = new Mi0283qtDriver();
        bus.registerDriver(driver);
        DeviceConfig cfg = new DeviceConfig("client-fps panel", Map.of("name", "lcd0", "driver", "mi0283qt", "backend", "virtual",
                "spi_speed_hz", CLOCK_HZ, "spi_max_transfer", 65536));
        BusDevice bd = new BusDevice("lcd0", "mi0283qt", cfg);
        VirtualDbiPanel panel = (VirtualDbiPanel) VirtualHardwareRegistry.standard().create(driver, cfg);
        bd.attach(VirtualHardware.class, panel);
        bd.attach(DbiWiring.class, new TimedWiring(new VirtualDbiWiring(panel)));
        org.paneld.drivers.core.Binding binding = bus.addAndBind(bd);
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "paneld-client-fps-");
        Path socket = dir.resolve("paneld.sock");
        PaneldServer server = new PaneldServer(ServerOptions.defaults().withSocketPath(socket), bus, AdminService.unsupported());
        server.start();
        // key -> command line (null: the driver-only baseline, in-process); python keys absent when the file is
        Map<String, List<String>> clients = new LinkedHashMap<>();
        Map<String, Map<String, String>> envs = new LinkedHashMap<>();
        List<String> common = List.of("--socket", socket.toString(), "--device", "lcd0", "--frames", Integer.toString(frames));
        List<String> java = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-Xmx64m", "-cp", System.getProperty("java.class.path"), PushFrames.class.getName()));
        List<String> javaNetty = new ArrayList<>(java);
        javaNetty.add(1, "-Dpaneld.client.directWrites=false");
        List<String> javaCold = concat(concat(java, common), "--mode", "shm", "--buffers", "1");
        java.addAll(common);
        java.addAll(List.of("--warmup-flushes", Integer.toString(JAVA_WARMUP_FLUSHES)));
        javaNetty.addAll(common);
        javaNetty.addAll(List.of("--warmup-flushes", Integer.toString(JAVA_WARMUP_FLUSHES)));
        clients.put("java", concat(java, "--mode", "shm", "--buffers", "1"));
        for (String mode : List.of("shm", "inline")) {
            if (Files.isRegularFile(pyScript)) {
                clients.put("python_" + mode, concat(concat(List.of("python3", pyScript.toString()), common), "--mode", mode));
                envs.put("python_" + mode, Map.of("PYTHONPATH", root.resolve("protocol/python").toString()));
            }
        }
        if (make.code == 0) {
            clients.put("c", concat(concat(List.of(cBuild.resolve("push_frames").toString()), common), "--mode", "shm", "--buffers", "1"));
        }
        clients.put("java_2buf", concat(java, "--mode", "shm", "--buffers", "2"));
        if (make.code == 0) {
            clients.put("c_2buf", concat(concat(List.of(cBuild.resolve("push_frames").toString()), common), "--mode", "shm", "--buffers", "2"));
        }
        clients.put("driver_only", null);
        clients.put("java_netty", concat(javaNetty, "--mode", "shm", "--buffers", "1"));
        clients.put("java_cold", javaCold);
        if (args.length > 2) { // a subset, e.g. "c,c_2buf,driver_only"
            clients.keySet().retainAll(List.of(args[2].split(",")));
        }
        Map<String, List<Double>> got = new LinkedHashMap<>();
        try {
            // not counted: the daemon's own request path (socket, session, device worker) is JIT-compiled
            // by a first client, else whichever key runs first in round 1 (java) meets it interpreted
            Map.Entry<String, List<String>> first = clients.entrySet().stream().filter(e -> e.getValue() != null).findFirst().orElse(null);
            if (first != null) {
                List<String> cmd = new ArrayList<>(first.getValue());
                cmd.set(cmd.indexOf("--frames") + 1, "100");
                System.out.printf(Locale.ROOT, "daemon warm-up (%s, 100 frames): %.2f fps%n", first.getKey(),
                        fps(first.getKey(), run(root, envs.getOrDefault(first.getKey(), Map.of()), 300, cmd)));
            }
            // and its frame path (conversion, emulator, transfer thread) long enough for C2: with 100
            // frames alone, round 1's first key still ran ~2 fps below its rounds 2 and 3
            System.out.printf(Locale.ROOT, "daemon warm-up (driver_only, 300 frames): %.2f fps%n", driverOnly(binding.device(), 300));
            for (int round = 1; round <= rounds; round++) { // interleaved, so that load changes hit every client alike
                for (Map.Entry<String, List<String>> e : clients.entrySet()) {
                    double v = e.getValue() == null ? driverOnly(binding.device(), frames)
                            : fps(e.getKey(), run(root, envs.getOrDefault(e.getKey(), Map.of()), 300, e.getValue()));
                    System.out.printf(Locale.ROOT, "round %d %s: %.2f fps%n", round, e.getKey(), v);
                    if (v > 0) {
                        got.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(v);
                    }
                }
            }
            System.out.println("panel: " + panel.describe() + "; protocol violations: " + panel.violations().size());
        } finally {
            server.close();
            bus.close();
            Files.deleteIfExists(socket);
            Files.deleteIfExists(dir);
        }
        double limit = CLOCK_HZ / (W * H * 16.0);
        StringBuilder line = new StringBuilder("client-fps:");
        for (String k : List.of("java", "python_shm", "python_inline", "c")) {
            line.append(' ').append(k).append('=').append(median(got.get(k), clients.containsKey(k) || k.equals("c") ? "ERR" : "NA"));
        }
        line.append(String.format(Locale.ROOT, " limit=%.2f", limit));
        for (String k : List.of("java_2buf", "c_2buf", "driver_only", "java_netty", "java_cold")) {
            line.append(' ').append(k).append('=').append(median(got.get(k), clients.containsKey(k) ? "ERR" : "NA"));
        }
        line.append(" rounds=").append(rounds);
        System.out.println(line);
    }

    static List<String> concat(List<String> a, String... more) {
        return concat(a, List.of(more));
    }

    static List<String> concat(List<String> a, List<String> b) {
        List<String> l = new ArrayList<>(a);
        l.addAll(b);
        return l;
    }

    static String median(List<Double> vs, String none) {
        if (vs == null || vs.isEmpty()) {
            return none;
        }
        List<Double> s = new ArrayList<>(vs);
        s.sort(null);
        int n = s.size();
        double m = n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
        return String.format(Locale.ROOT, "%.2f", m);
    }

    /**
     * The baseline of the same run: the same frames handed straight to Device.flush (driver,
     * conversion, transfer thread, timed wire; no socket, no client, no session).
     */
    static double driverOnly(Device device, int frames) throws IOException {
        org.paneld.drivers.pixel.Framebuffer[] fb = new org.paneld.drivers.pixel.Framebuffer[2];
        for (int k = 0; k < 2; k++) {
            fb[k] = org.paneld.drivers.pixel.Framebuffer.allocate(W, H, org.paneld.drivers.pixel.PixelFormat.XRGB8888);
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    fb[k].setRgb(x, y, ((x * 255 / W) << 16 | (y * 255 / H) << 8 | ((x ^ y) & 0x7F)) ^ (k == 1 ? 0xFFFFFF : 0));
                }
            }
        }
        org.paneld.drivers.pixel.Rect all = fb[0].bounds();
        long start = 0;
        for (int f = 0; f < frames + 3; f++) {
            if (f == 3) {
                start = System.nanoTime();
            }
            device.flush(fb[f & 1], all);
        }
        return frames / ((System.nanoTime() - start) / 1e9);
    }

    record Run(int code, String out) {
    }

    static Run run(Path dir, Map<String, String> env, long timeoutS, List<String> cmd) throws Exception {
        Path out = Files.createTempFile("client-fps-", ".txt");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(out.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(timeoutS, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                return new Run(-1, "timed out after " + timeoutS + " s\n" + Files.readString(out));
            }
            return new Run(p.exitValue(), Files.readString(out));
        } catch (IOException e) {
            return new Run(-1, String.join(" ", cmd) + ": " + e);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** The client's "fps=X" last line, or -1 (its output on stderr). */
    static double fps(String who, Run r) {
        String[] lines = r.out.strip().split("\n");
        String last = lines[lines.length - 1].strip();
        if (System.getenv("CLIENT_FPS_VERBOSE") != null) { // the client's own lines (cpu_ms_per_frame …)
            System.out.println(who + ": " + r.out.strip().replace("\n", " | "));
        }
        if (r.code == 0 && last.startsWith("fps=")) {
            return Double.parseDouble(last.substring(4));
        }
        System.err.println("client-fps: " + who + " failed (exit " + r.code + "):\n" + r.out);
        return -1;
    }
}
