package org.paneld.daemon.ctl;

import java.io.BufferedInputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.paneld.client.Buffer;
import org.paneld.client.PaneldClient;
import org.paneld.client.PaneldException;
import org.paneld.client.Session;
import org.paneld.protocol.ErrorCode;
import org.paneld.protocol.Message;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code panelctl stream NAME}: shows a stream of frames on a panel. A reader thread reads
 * frames ({@link FrameReader}: raw, PPM or PAM; or {@link FbdevSource} for /dev/fbN) and hands
 * the newest to this thread ({@link LatestFrame}), which scales it ({@link Scaler}) straight into
 * the back one of two shared buffers and flips it as a whole frame once the previous flip
 * completed (the daemon then sends only what changed); over TCP, without fd passing, it writes
 * the frame inline and flushes it. Ends at the end of the input, {@code --frames}, SIGINT or
 * SIGTERM (a shutdown hook lets the last flip complete) and prints
 * {@code stream: read=… shown=… dropped=… seconds=… fps=… cpu_ms_per_frame=…}. A malformed input
 * ends it with exit status 4 after the last good frame is on the panel. Lifetime: one command.
 * Threads: main (pushing), one reader thread, and the shutdown hook.
 */
@Command(name = "stream", sortOptions = false, description = {
        "Shows frames read back to back from standard input (or a file, a FIFO, /dev/fbN) on a panel.",
        "Input: raw pixels (--format, default XRGB8888; --size, default the panel's), or, without --format,",
        "PPM (P6) or PAM (P7) frames each with its own header, detected from the first bytes (grim -t ppm,",
        "ffmpeg -f image2pipe -c:v ppm). DRM names vs ffmpeg -pix_fmt: XRGB8888 = bgra/bgr0, RGB565 = rgb565le,",
        "RGB888 = bgr24, BGR888 = rgb24. /dev/fbN is read with its geometry from /sys/class/graphics/fbN at --fps.",
        "A source of another size is scaled to fit (nearest neighbour), centred, with black bars.",
        "A pipe, FIFO or device: when the panel cannot keep up the newest frame wins and older ones are dropped.",
        "A regular file: every frame is shown in order, as fast as the panel takes them (or at --fps).",
        "Ends at the end of the input, Ctrl-C or SIGTERM, and prints: stream: read=N shown=N dropped=N …",
        "A malformed frame ends it with exit status 4, naming the frame and the byte offset; the panel keeps the last good frame."})
final class StreamCmd implements Callable<Integer> {
    @ParentCommand
    PanelCtl parent;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(names = "--format", paramLabel = "FOURCC", description = "raw input pixels: XRGB8888 (default), RGB565, RGB888, BGR888; turns PPM/PAM detection off")
    String format;

    @Option(names = "--size", paramLabel = "WxH", description = "size of the input frames (default: the panel's; PPM/PAM: every frame must be this size)")
    String size;

    @Option(names = "--fit", description = "scale a source of another size to fit, letterboxed (default)")
    boolean fit;

    @Option(names = "--exact", description = "refuse a source that is not exactly the panel's size instead of scaling it")
    boolean exact;

    @Option(names = "--fps", paramLabel = "N", description = "at most N frames a second (default: as fast as the panel takes them; /dev/fbN: 30)")
    double fps;

    @Option(names = "--input", paramLabel = "FILE|-", defaultValue = "-", description = "read from FILE (a file, a FIFO, /dev/fbN) instead of standard input")
    String input;

    @Option(names = "--frames", paramLabel = "N", description = "stop after N frames were read")
    long maxFrames;

    @Option(names = "--sysfs", paramLabel = "DIR", defaultValue = "/sys", hidden = true, description = "sysfs root for /dev/fbN geometry (tests)")
    Path sysfs;

    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile LatestFrame slot;

    @Override
    public Integer call() throws Exception {
        if (fit && exact) {
            throw new IllegalArgumentException("--fit and --exact exclude each other");
        }
        if (fps < 0 || Double.isNaN(fps) || fps > 10_000) {
            throw new IllegalArgumentException("--fps wants a rate between 0 and 10000, got " + fps);
        }
        StreamFormat raw = format == null ? null : StreamFormat.parse(format);
        int[] wh = size == null ? null : parseSize(size);
        Thread hook = new Thread(this::interrupted, "panelctl-stream-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try (PaneldClient c = parent.connect()) {
            try (Session s = c.open(name, true)) {
                return run(c, s, raw, wh);
            } catch (PaneldException e) {
                throw new PanelCtl.Refused(name, e);
            }
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it waits for finished
            }
        }
    }

    /** The shutdown hook (SIGINT, SIGTERM): stop reading, let the last flip complete, report. */
    private void interrupted() {
        LatestFrame s = slot;
        if (s != null) {
            s.stop();
        }
        try {
            finished.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static int[] parseSize(String s) {
        String[] p = s.toLowerCase(Locale.ROOT).split("x");
        try {
            int w = Integer.parseInt(p[0]), h = Integer.parseInt(p[1]);
            if (p.length == 2 && w > 0 && h > 0 && w <= 16384 && h <= 16384) {
                return new int[] {w, h};
            }
        } catch (RuntimeException e) {
            // below
        }
        throw new IllegalArgumentException("--size wants WxH (e.g. 320x240), got '" + s + "'");
    }

    private FrameSource openSource(int panelW, int panelH, StreamFormat raw, int[] wh) throws IOException {
        if (!input.equals("-")) {
            Path p = Path.of(input);
            Path dir = FbdevSource.sysfsDir(p, sysfs);
            if (dir != null) {
                if (format != null || size != null) {
                    throw new IllegalArgumentException(input + " is a framebuffer: its format and size come from " + dir);
                }
                FbdevSource fb = FbdevSource.open(p, dir, fps > 0 ? fps : 30);
                if (exact && !fb.describe().startsWith(panelW + "x" + panelH + " ")) {
                    throw new IllegalArgumentException("--exact: " + input + " is " + fb.describe() + ", the panel " + panelW + "x" + panelH);
                }
                return fb;
            }
        }
        int w = wh != null ? wh[0] : panelW, h = wh != null ? wh[1] : panelH;
        if (exact && (w != panelW || h != panelH)) {
            throw new IllegalArgumentException("--exact: --size " + w + "x" + h + " is not the panel's " + panelW + "x" + panelH);
        }
        InputStream in;
        boolean live;
        if (input.equals("-")) {
            in = new FileInputStream(FileDescriptor.in);
            live = !Files.isRegularFile(Path.of("/proc/self/fd/0"));
        } else {
            Path p = Path.of(input);
            if (!Files.exists(p)) {
                throw new IllegalArgumentException("--input " + input + ": no such file");
            }
            try {
                in = new FileInputStream(p.toFile()); // not Files.newInputStream: its channel seeks, which a FIFO refuses
            } catch (IOException e) {
                throw new IllegalArgumentException("--input " + input + ": cannot open: " + e.getMessage());
            }
            live = !Files.isRegularFile(p);
        }
        return new FrameReader(new BufferedInputStream(in, 1 << 16), live, raw, w, h, wh != null || exact);
    }

    private int run(PaneldClient c, Session s, StreamFormat raw, int[] wh) throws Exception {
        int pw = s.width(), ph = s.height();
        FrameSource src = openSource(pw, ph, raw, wh);
        boolean rgb565 = s.info().formats().contains(Message.FOURCC_RGB565);
        int fourcc = rgb565 ? Message.FOURCC_RGB565 : Message.FOURCC_XRGB8888;
        Buffer[] bufs = {s.createBuffer(fourcc, true), null};
        boolean shared = bufs[0].isShared();
        if (shared) {
            bufs[1] = s.createBuffer(fourcc, true);
        }
        ByteBuffer inline = shared ? null : ByteBuffer.allocate(pw * ph * bufs[0].bytesPerPixel());
        LatestFrame ls = new LatestFrame(src.live());
        slot = ls;
        Thread reader = new Thread(() -> readLoop(src, ls, maxFrames), "panelctl-stream-reader");
        reader.setDaemon(true);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime(), t0 = System.nanoTime();
        reader.start();
        long period = fps > 0 && !(src instanceof FbdevSource) ? (long) (1e9 / fps) : 0, next = System.nanoTime();
        long shown = 0;
        Frame f = null;
        Scaler scaler = null;
        java.util.concurrent.CompletableFuture<Message.FlipComplete> pending = null;
        int back = 0;
        try {
            while (true) {
                if (period > 0) {
                    long now = System.nanoTime();
                    if (now < next) {
                        java.util.concurrent.locks.LockSupport.parkNanos(next - now); // --fps: the rate cap
                    }
                    next = Math.max(next + period, System.nanoTime() - period);
                }
                f = ls.take(f);
                if (f == null) {
                    break;
                }
                if (scaler == null || !scaler.fits(f)) {
                    scaler = new Scaler(f.width, f.height, f.format, pw, ph, rgb565);
                }
                if (!shared) {
                    scaler.scale(f, inline, pw * bufs[0].bytesPerPixel());
                    bufs[0].write(0, 0, pw, ph, inline.array());
                    bufs[0].flushAll();
                    shown++;
                } else {
                    Buffer b = bufs[back];
                    scaler.scale(f, b.pixels(), b.stride());
                    if (pending != null) {
                        awaitFlip(pending);
                        shown++;
                    }
                    pending = b.flipAsync();
                    back ^= 1;
                }
            }
            if (pending != null) {
                awaitFlip(pending);
                shown++;
                pending = null;
            }
        } finally {
            ls.stop();
            if (pending != null) {
                try {
                    awaitFlip(pending); // the last good frame stays on the panel
                    shown++;
                } catch (PaneldException e) {
                    // already failing
                }
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            long cpu = os.getProcessCpuTime() - cpu0;
            PrintWriter out = parent.spec.commandLine().getOut();
            out.printf(Locale.ROOT, "stream: read=%d shown=%d dropped=%d seconds=%.3f fps=%.2f cpu_ms_per_frame=%.3f%n", ls.read(), shown,
                    ls.dropped(), secs, shown / Math.max(secs, 1e-9), shown == 0 ? 0.0 : cpu / 1e6 / shown);
            out.flush();
        }
        Exception e = ls.error();
        if (e instanceof MalformedStreamException) {
            throw (MalformedStreamException) e;
        }
        if (e instanceof IOException) {
            throw new IllegalStateException("reading " + (input.equals("-") ? "standard input" : input) + ": " + e.getMessage(), e);
        }
        return 0;
    }

    private void awaitFlip(java.util.concurrent.CompletableFuture<Message.FlipComplete> f) throws PaneldException, InterruptedException {
        try {
            f.get(Math.max(1, parent.timeoutSeconds), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable t = e.getCause();
            throw t instanceof PaneldException ? (PaneldException) t : new PaneldException(ErrorCode.EIO, String.valueOf(t), t);
        } catch (TimeoutException e) {
            throw new PaneldException(ErrorCode.ETIMEDOUT, "no FLIP_COMPLETE within " + parent.timeoutSeconds + " s");
        }
    }

    private static void readLoop(FrameSource src, LatestFrame ls, long maxFrames) {
        try {
            for (long n = 0; ; n++) {
                if (maxFrames > 0 && n >= maxFrames) {
                    ls.end(null);
                    return;
                }
                Frame f = ls.free();
                if (f == null) {
                    return;
                }
                if (!src.read(f)) {
                    ls.end(null);
                    return;
                }
                ls.publish(f);
            }
        } catch (IOException | MalformedStreamException e) {
            ls.end(e);
        } catch (InterruptedException e) {
            ls.end(null);
        } catch (RuntimeException e) {
            ls.end(new IOException(e.toString(), e));
        }
    }
}
