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
 * {@code bench/run client-fps [FRAMES]}: full 320x240 frames per second that each client pushes,
 * one after the other in the same run, into "lcd0", an mi0283qt on the virtual backend (its
 * emulator decodes every byte) whose SPI wire takes {@code bytes × 8 / clock} of wall time at
 * {@code spi_speed_hz = 62.5 MHz} (commands at the driver's 10 MHz), served by an in-process
 * paneld on a Unix socket. Clients, each its own process with the same loop (every pixel changes,
 * one FLUSH of the whole display per frame, 3 warm-up frames):
 * the Java client ({@link PushFrames}, shared buffer), the Python package
 * ({@code protocol/python/examples/push_frames.py}, shared buffer and inline WRITE; NA when the
 * file is absent) and libpaneld ({@code protocol/c/examples/push_frames.c}, built by make,
 * shared buffer). The limit is the wire alone: 62.5e6 / (320 × 240 × 16) = 50.86 fps. Last line:
 * {@code client-fps: java=X python_shm=Y python_inline=Z c=W limit=50.86 java_1buf=A c_1buf=B
 * driver_only=V}. java and c draw the next frame into a second buffer while the previous flush is
 * carried out; java_1buf and c_1buf use one buffer (draw, flush, wait for the answer, repeat);
 * driver_only is the baseline of the same run: the same frames handed to the driver in-process
 * (no socket, no client). Test scope; run from
 * the repository root (bench/run does).
 */
public final class ClientFpsBenchmark {
    static final int CLOCK_HZ = 62_500_000;
    static final int W = 320, H = 240;

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
        Map<String, String> results = new LinkedHashMap<>();
        Map<String, String> extra = new LinkedHashMap<>();
        try {
            String n = Integer.toString(frames);
            List<String> common = List.of("--socket", socket.toString(), "--device", "lcd0", "--frames", n);
            List<String> java = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:+UseSerialGC", "-Xmx64m", "-cp", System.getProperty("java.class.path"), PushFrames.class.getName()));
            java.addAll(common);
            java.addAll(List.of("--mode", "shm"));
            results.put("java", fps("java", run(root, Map.of(), 120, java)));
            java.addAll(List.of("--buffers", "1"));
            extra.put("java_1buf", fps("java_1buf", run(root, Map.of(), 120, java)));
            for (String mode : List.of("shm", "inline")) {
                String key = "python_" + mode;
                if (!Files.isRegularFile(pyScript)) {
                    results.put(key, "NA");
                    continue;
                }
                List<String> py = new ArrayList<>(List.of("python3", pyScript.toString()));
                py.addAll(common);
                py.addAll(List.of("--mode", mode));
                results.put(key, fps(key, run(root, Map.of("PYTHONPATH", root.resolve("protocol/python").toString()), 300, py)));
            }
            if (make.code == 0) {
                List<String> c = new ArrayList<>(List.of(cBuild.resolve("push_frames").toString()));
                c.addAll(common);
                c.addAll(List.of("--mode", "shm"));
                results.put("c", fps("c", run(root, Map.of(), 120, c)));
                c.addAll(List.of("--buffers", "1"));
                extra.put("c_1buf", fps("c_1buf", run(root, Map.of(), 120, c)));
            } else {
                results.put("c", "ERR");
            }
            extra.put("driver_only", String.format(Locale.ROOT, "%.2f", driverOnly(binding.device(), frames)));
            System.out.println("panel: " + panel.describe() + "; protocol violations: " + panel.violations().size());
        } finally {
            server.close();
            bus.close();
            Files.deleteIfExists(socket);
            Files.deleteIfExists(dir);
        }
        double limit = CLOCK_HZ / (W * H * 16.0);
        StringBuilder line = new StringBuilder("client-fps:");
        results.forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
        line.append(String.format(Locale.ROOT, " limit=%.2f", limit));
        extra.forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
        System.out.println(line);
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

    /** The client's "fps=X" last line, or ERR (its output on stderr). */
    static String fps(String who, Run r) {
        String[] lines = r.out.strip().split("\n");
        String last = lines[lines.length - 1].strip();
        if (r.code == 0 && last.startsWith("fps=")) {
            System.out.println(who + ": " + String.join(" | ", lines));
            return String.format(Locale.ROOT, "%.2f", Double.parseDouble(last.substring(4)));
        }
        System.err.println("client-fps: " + who + " failed (exit " + r.code + "):\n" + r.out);
        return "ERR";
    }
}
