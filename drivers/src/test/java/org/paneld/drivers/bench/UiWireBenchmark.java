package org.paneld.drivers.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.paneld.drivers.pixel.Framebuffer;
import org.paneld.drivers.pixel.PixelFormat;
import org.paneld.drivers.pixel.Rect;

/**
 * {@code bench/run ui-wire}: what goes on the wire when a client flips its whole 320x240
 * XRGB8888 buffer every frame (what toolkits do) and only part of the picture changed, through
 * the mi0283qt driver ({@code damage = "auto"}, the shadow diff) into an SPI bus timed at
 * 62.5 MHz. Scenarios: {@code clock} (a 60x20 clock changes), {@code list} (one 320x20 list row
 * changes), {@code scroll} (the whole screen scrolls by one pixel), {@code video} (every pixel
 * changes), {@code blink} (a 2x16 cursor toggles). Each scenario cycles through pre-rendered
 * frames (so the client's drawing costs nothing) and reports the bytes per frame on the wire
 * ({@code X_bytes}: pixels and commands), the frames per second on the timed wire ({@code X_fps},
 * median of 7 runs of ~0.4 s after a warm-up), what the kernel's drm_mipi_dbi would send with
 * exact damage ({@code kernel_bbox_bytes_X}: one bounding rectangle of the changes plus its
 * 11 command bytes), the changed pixels' bytes ({@code changed_bytes_X}) and changed runs (spans
 * per row, {@code changed_runs_X}). Baseline in the same run: {@code full_fps} and
 * {@code full_bytes}, the video frames with {@code damage = "full"} (no shadow compare; its runs
 * interleaved with video's), and
 * {@code video_ratio = video_fps / full_fps}. {@code cpu_ms_per_frame_video}/{@code _clock}/
 * {@code _full}: process CPU time per frame (all threads) on a wire that only counts bytes.
 * Plain main (the figures are counts and medians of wall-clock loops). Test scope.
 */
public final class UiWireBenchmark {
    static final long CLOCK_HZ = 62_500_000L;
    static final int W = 320, H = 240;
    /** Timed runs per scenario (the median counts). */
    static final int RUNS = 7;

    private UiWireBenchmark() {
    }

    /** The still user interface: panels, text-like strokes, gradients. */
    static int ui(int x, int y) {
        if (y < 30) {
            return 0x203040 + ((x / 8 + y / 6) % 3) * 0x101010;
        }
        int cell = (x / 7) * 13 + (y / 11) * 7;
        boolean glyph = cell % 4 != 0 && y % 11 > 2 && y % 11 < 9 && (x % 7 == 2 || (y % 11 == 5 && x % 7 < 5));
        return glyph ? 0x000000 : 0xF0F0E8 - ((x * 3 + y) % 32) * 0x010101;
    }

    private static Framebuffer base() {
        Framebuffer f = Framebuffer.allocate(W, H, PixelFormat.XRGB8888);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                f.setRgb(x, y, ui(x, y));
            }
        }
        return f;
    }

    /** Fills {@code r} of {@code f} with a pattern that differs in every pixel for every {@code k}. */
    private static void paint(Framebuffer f, Rect r, int k) {
        for (int y = r.y(); y < r.bottom(); y++) {
            for (int x = r.x(); x < r.right(); x++) {
                int v = (x * 37 + y * 11 + k * 97) & 0xFF;
                f.setRgb(x, y, (k & 1) == 0 ? v << 16 | 0x0000F8 : (255 - v) << 8 | 0xF80000);
            }
        }
    }

    /** A scenario: frames to cycle through and the rectangle of what changes between consecutive frames. */
    record Scenario(String name, List<Framebuffer> frames) {
    }

    static Map<String, Scenario> scenarios() {
        Map<String, Scenario> m = new LinkedHashMap<>();
        Rect clock = new Rect(250, 5, 60, 20), row = new Rect(0, 120, 320, 20), cursor = new Rect(40, 60, 2, 16);
        List<Framebuffer> c = new ArrayList<>(), l = new ArrayList<>(), s = new ArrayList<>(), v = new ArrayList<>(),
                b = new ArrayList<>();
        for (int k = 0; k < 2; k++) {
            Framebuffer f = base();
            paint(f, clock, k);
            c.add(f);
            f = base();
            paint(f, row, k);
            l.add(f);
            f = base();
            paint(f, Rect.of(W, H), k);
            v.add(f);
            f = base();
            if (k == 1) {
                paint(f, cursor, 0);
            }
            b.add(f);
        }
        for (int k = 0; k < 8; k++) {
            Framebuffer f = Framebuffer.allocate(W, H, PixelFormat.XRGB8888);
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    int yy = y + k;
                    f.setRgb(x, y, (yy % 2 == 0 ? 0x102030 : 0xE0D0C0) ^ (x * 5 + yy * 3 & 0x3F) << 8);
                }
            }
            s.add(f);
        }
        m.put("clock", new Scenario("clock", c));
        m.put("list", new Scenario("list", l));
        m.put("scroll", new Scenario("scroll", s));
        m.put("video", new Scenario("video", v));
        m.put("blink", new Scenario("blink", b));
        return m;
    }

    /** What changes from each frame to the next, in 16-bit pixels: changed pixels, runs, bounding rectangle. */
    static long[] changes(Scenario sc) {
        long pixels = 0, runs = 0, boxArea = 0;
        int n = sc.frames().size();
        for (int i = 0; i < n; i++) {
            Framebuffer a = sc.frames().get(i), b = sc.frames().get((i + 1) % n);
            int x0 = W, y0 = H, x1 = -1, y1 = -1;
            for (int y = 0; y < H; y++) {
                boolean inRun = false;
                for (int x = 0; x < W; x++) {
                    boolean d = to565(a.rgb(x, y)) != to565(b.rgb(x, y));
                    if (d) {
                        pixels++;
                        x0 = Math.min(x0, x);
                        x1 = Math.max(x1, x);
                        y0 = Math.min(y0, y);
                        y1 = Math.max(y1, y);
                        if (!inRun) {
                            runs++;
                        }
                    }
                    inRun = d;
                }
            }
            boxArea += x1 < 0 ? 0 : (long) (x1 - x0 + 1) * (y1 - y0 + 1);
        }
        return new long[] {pixels * 2 / n, runs / n, boxArea * 2 / n + 11};
    }

    private static int to565(int rgb) {
        return (rgb >> 8 & 0xF800) | (rgb >> 5 & 0x07E0) | (rgb >> 3 & 0x1F);
    }

    /** Frames per second on the timed wire and bytes per frame. */
    static double[] timed(Scenario sc, String damage) throws Exception {
        return timed(sc, new String[] {damage})[0];
    }

    /**
     * Frames per second (median of {@link #RUNS} runs of ~0.4 s after a warm-up) and bytes per frame for each
     * damage mode; the modes' runs are interleaved, so that the machine's load hits them alike.
     */
    static double[][] timed(Scenario sc, String[] damage) throws Exception {
        int m = damage.length;
        BenchWiring[] wiring = new BenchWiring[m];
        BenchPanel[] panel = new BenchPanel[m];
        try {
            for (int i = 0; i < m; i++) {
                wiring[i] = new BenchWiring(CLOCK_HZ);
                panel[i] = new BenchPanel(wiring[i], 65536, damage[i]);
            }
            List<Framebuffer> frames = sc.frames();
            Rect all = Rect.of(W, H);
            int[] k = new int[m];
            for (int i = 0; i < m; i++) {
                long warm = System.nanoTime() + 600_000_000L;
                while (System.nanoTime() < warm) {
                    panel[i].binding.device().flush(frames.get(k[i]++ % frames.size()), all);
                }
            }
            double[][] fps = new double[m][RUNS];
            long[] bytes = new long[m], count = new long[m];
            for (int run = 0; run < RUNS; run++) {
                for (int j = 0; j < m; j++) {
                    int i = (j + run) % m; // who goes first alternates
                    long b0 = wiring[i].bytes.get(), t0 = System.nanoTime(), until = t0 + 400_000_000L;
                    int n = 0;
                    while (System.nanoTime() < until || n < 3) {
                        panel[i].binding.device().flush(frames.get(k[i]++ % frames.size()), all);
                        n++;
                    }
                    fps[i][run] = n * 1e9 / (System.nanoTime() - t0);
                    bytes[i] += wiring[i].bytes.get() - b0;
                    count[i] += n;
                }
            }
            double[][] out = new double[m][];
            for (int i = 0; i < m; i++) {
                java.util.Arrays.sort(fps[i]);
                out[i] = new double[] {fps[i][RUNS / 2], (double) bytes[i] / count[i]};
            }
            return out;
        } finally {
            for (BenchPanel p : panel) {
                if (p != null) {
                    p.close();
                }
            }
        }
    }

    /** Process CPU milliseconds per frame on a wire that only counts bytes. */
    static double cpu(Scenario sc, String damage) throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (BenchPanel p = new BenchPanel(new BenchWiring(0), 65536, damage)) {
            List<Framebuffer> frames = sc.frames();
            Rect all = Rect.of(W, H);
            for (int i = 0; i < 3000; i++) {
                p.binding.device().flush(frames.get(i % frames.size()), all);
            }
            double best = Double.MAX_VALUE;
            for (int run = 0; run < 5; run++) {
                int n = 2000;
                long c0 = os.getProcessCpuTime();
                for (int i = 0; i < n; i++) {
                    p.binding.device().flush(frames.get(i % frames.size()), all);
                }
                best = Math.min(best, (os.getProcessCpuTime() - c0) / 1e6 / n);
            }
            return best;
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, Scenario> sc = scenarios();
        StringBuilder out = new StringBuilder("ui-wire:");
        StringBuilder extra = new StringBuilder();
        double videoFps = 0;
        double[] full = null;
        if (args.length > 0) { // bench/run ui-wire video: only the named scenarios (for a closer look)
            sc.keySet().retainAll(List.of(args));
        }
        for (Scenario s : sc.values()) {
            double[] t;
            if (s.name().equals("video")) {
                double[][] both = timed(s, new String[] {"auto", "full"});
                t = both[0];
                full = both[1];
            } else {
                t = timed(s, "auto");
            }
            long[] ch = changes(s);
            out.append(String.format(Locale.ROOT, " %s_bytes=%.0f %s_fps=%.1f", s.name(), t[1], s.name(), t[0]));
            extra.append(String.format(Locale.ROOT, " kernel_bbox_bytes_%s=%d changed_bytes_%s=%d changed_runs_%s=%d",
                    s.name(), ch[2], s.name(), ch[0], s.name(), ch[1]));
            if (s.name().equals("video")) {
                videoFps = t[0];
            }
            System.err.println("ui-wire: " + s.name() + " done" + out);
        }
        out.append(extra);
        if (full != null) {
            out.append(String.format(Locale.ROOT, " full_bytes=%.0f full_fps=%.1f video_ratio=%.3f", full[1], full[0],
                    videoFps / full[0]));
        }
        if (args.length == 0) {
            out.append(String.format(Locale.ROOT, " cpu_ms_per_frame_video=%.3f cpu_ms_per_frame_clock=%.3f"
                            + " cpu_ms_per_frame_full=%.3f", cpu(sc.get("video"), "auto"), cpu(sc.get("clock"), "auto"),
                    cpu(sc.get("video"), "full")));
        }
        System.out.println(out);
    }
}
