package org.paneld.drivers.mipidbi;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.paneld.drivers.pixel.Rect;
import org.paneld.drivers.spi.DbiBus;
import org.paneld.drivers.spi.EdgeInput;
import org.paneld.drivers.spi.Sleeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tear-free updates on the controller's TE line ({@code te_gpio}). At enable it sends TEON (35h,
 * M = 0: TE is high during vertical blanking) and, where the driver may set it, MADCTL's ML bit so
 * that the panel refreshes its lines in the order the rows are written. Before each window's
 * CASET/RASET/RAMWR the display calls {@link #beforeWindow}, which starts the write so that it
 * stays behind the controller's scan: every line is written after the scan has read it in one
 * refresh and before the scan reads it again in the next, so each refresh shows a line wholly old
 * or wholly new.
 *
 * <p>The scan is learnt from the line: the time between rising edges is the refresh period, the
 * pulse is the vertical blanking, and the controller's gate lines (the driver's
 * {@code scanLines}: its GRAM rows, of which the glass may show fewer) share the rest evenly. It is re-anchored on
 * a fresh rising edge when the last is more than {@value #REANCHOR_PERIODS} periods old. A window
 * is either a <em>sweep</em> (its rows are glass lines in scan order: it may start right behind
 * the scan and take almost two refreshes) or a <em>block</em> (with MV each written row crosses all
 * of its lines; without ML a mirrored write runs against the scan): a block must be written while
 * the scan is elsewhere, so {@link #windows} cuts a large one into bands that each fit, in scan
 * order. Write time is estimated from the pixel clock (at least the clock's time, at most
 * {@value #SLOW_WIRE} times it); each allowance keeps two line times plus 20 us from the scan on
 * either side, and its end moves earlier by the line's stamp latency (an edge stamped late makes
 * every planned start late by as much).
 *
 * <p>A TE edge that does not come (line not wired, controller asleep), or edges that are no TE
 * signal (a period outside 4–60 ms), never hang a flush: the window goes out unsynchronised, the timeout is counted ({@link #timeouts()}) and logged once,
 * and waits are skipped for {@value #BACKOFF_MS} ms before the line is tried again.
 *
 * <p>Lifetime: the hardware binding (made at probe with the TE line opened into the hardware
 * scope). Threads: the device's serialised operations (enable, flush), one at a time.
 */
public final class TearingSync {
    private static final Logger LOG = LoggerFactory.getLogger(TearingSync.class);
    /** TEON and its V-blank-only mode. */
    static final int TEON = 0x35, TE_VBLANK = 0x00;
    /** MADCTL's vertical refresh order bit (ML). */
    static final int ML = 0x10;
    static final int MV = 0x20, MY = 0x80;
    static final int REANCHOR_PERIODS = 4;
    static final double SLOW_WIRE = 1.25;
    static final long BACKOFF_MS = 1000;
    /** Longest refresh period the calibration waits for (20 Hz) plus slack. */
    private static final long MAX_PERIOD_NS = 60_000_000L;
    /** Shortest plausible refresh period (250 Hz). */
    private static final long MIN_PERIOD_NS = 4_000_000L;

    private final EdgeInput te;
    private final Sleeper sleeper;
    private final String device;
    private final int left, top, width, height;
    private final boolean mv, my, mlAllowed;
    private final int madctl;
    private final int lines;
    private final int off;       // RAM offset along the scan axis
    private final int bpp;
    private final double nsPerByte;

    private long period;          // 0: not learnt
    private long vblank;
    private long rise = EdgeInput.NO_EDGE;
    private long backoffUntil = EdgeInput.NO_EDGE;
    private long timeouts, synced, unfit;
    private boolean timeoutLogged;

    /**
     * @param madctl    the MADCTL the driver sends for this rotation, or -1 when unknown (the
     *                  panel-mipi-dbi init file carries it: rows are assumed in scan order)
     * @param mlAllowed whether the driver may set MADCTL's ML bit on this controller
     * @param scanLines the gate lines the controller scans (its GRAM rows), at least the glass's
     */
    TearingSync(EdgeInput te, Sleeper sleeper, String device, int left, int top, int width, int height,
                int madctl, boolean mlAllowed, int scanLines, int bytesPerPixel, int pixelHz) {
        this.te = te;
        this.sleeper = sleeper;
        this.device = device;
        this.left = left;
        this.top = top;
        this.width = width;
        this.height = height;
        this.madctl = madctl;
        this.mv = madctl >= 0 && (madctl & MV) != 0;
        this.my = madctl >= 0 && (madctl & MY) != 0;
        this.mlAllowed = mlAllowed && madctl >= 0;
        this.lines = Math.max(scanLines, mv ? width + left : height + top);
        this.off = mv ? left : top;
        this.bpp = bytesPerPixel;
        this.nsPerByte = 8e9 / pixelHz;
    }

    /** Whether the panel refreshes bottom to top (ML set to follow a mirrored write). */
    private boolean bottomUp() {
        return mlAllowed && my;
    }

    /** Scan position (0 first) of glass line {@code row}. */
    private int scanPos(int row) {
        return bottomUp() ? lines - 1 - row : row;
    }

    /**
     * The controller's gate line of visible coordinate {@code c} along the scan axis (y without MV,
     * x with MV): its RAM coordinate, mirrored over all gate lines by MY.
     */
    private int glassLine(int c) {
        return my ? lines - 1 - (c + off) : c + off;
    }

    /**
     * After the driver's init: TEON (V-blank) and, where the rows of this rotation run bottom to
     * top and the controller allows it, MADCTL again with ML so the refresh runs the same way. The
     * scan is learnt afresh.
     */
    public void enable(DbiBus bus) throws IOException {
        bus.command(TEON, TE_VBLANK);
        if (bottomUp()) {
            bus.command(DbiBus.SET_ADDRESS_MODE, madctl | ML);
        }
        period = 0;
        rise = EdgeInput.NO_EDGE;
        backoffUntil = EdgeInput.NO_EDGE;
    }

    /** TE edges that did not come in time (each one let a window go out unsynchronised). */
    public long timeouts() {
        return timeouts;
    }

    /** Windows started behind the scan. */
    public long synced() {
        return synced;
    }

    /** Windows too large to fit behind the scan even alone (started at the best moment anyway). */
    public long unfit() {
        return unfit;
    }

    /** The learnt refresh period in ns, 0 before the first edge pair. */
    public long periodNanos() {
        return period;
    }

    // ------------------------------------------------------------------ the hook

    /**
     * The hook: call it just before a window's CASET/RASET/RAMWR, with the window in RAM
     * coordinates exactly as passed to {@link DbiBus#setWindow} (RAM offsets included). Waits
     * (through the bus's sleeper, on the TE line's clock) until the write of the window's
     * {@code (x1-x0+1) x (y1-y0+1)} pixels can start behind the scan; returns at once when the TE
     * line timed out recently.
     */
    public void beforeWindow(int x0, int x1, int y0, int y1) throws IOException {
        long now = te.nanoTime();
        if (backoffUntil != EdgeInput.NO_EDGE && now - backoffUntil < 0) {
            return;
        }
        if (!learnt(now)) {
            return;
        }
        now = te.nanoTime();
        Plan p = plan(x0 - left, x1 - left, y0 - top, y1 - top);
        if (!p.fits) {
            unfit++;
        }
        long start;
        if (p.fits) {
            // the first refresh whose allowance [lower, upper] has not closed yet; inside it, go now
            long k = -Math.floorDiv(rise + p.upper - now, period);
            start = Math.max(now, rise + k * period + p.lower);
        } else {
            // cannot stay behind the scan: at least start right behind it
            long k = -Math.floorDiv(rise + p.lower - now, period);
            start = rise + k * period + p.lower;
        }
        long wait = start - now;
        if (wait > 0) {
            sleeper.sleepMicros((wait + 999) / 1000);
        }
        synced++;
    }

    /** Learns or refreshes the scan timing; false when the line timed out (fall back). */
    private boolean learnt(long now) throws IOException {
        if (period > 0 && now - rise < REANCHOR_PERIODS * period) {
            return true;
        }
        long timeout = period > 0 ? 2 * period + 1_000_000 : MAX_PERIOD_NS;
        long r1 = te.awaitEdge(true, now, timeout);
        if (r1 == EdgeInput.NO_EDGE) {
            return timedOut("rising");
        }
        if (period == 0) {
            long f = te.awaitEdge(false, r1, MAX_PERIOD_NS);
            long r2 = f == EdgeInput.NO_EDGE ? f : te.awaitEdge(true, f, MAX_PERIOD_NS);
            if (r2 == EdgeInput.NO_EDGE) {
                return timedOut("second");
            }
            if (r2 - r1 < MIN_PERIOD_NS || r2 - r1 > MAX_PERIOD_NS || f - r1 >= (r2 - r1) / 2) {
                return timedOut("plausible"); // not a TE signal: 17–250 Hz, blanking under half the period
            }
            period = r2 - r1;
            vblank = f - r1;
            rise = r2;
            LOG.debug("{}: TE period {} us, blanking {} us", device, period / 1000, vblank / 1000);
            return true;
        }
        long n = Math.round((double) (r1 - rise) / period);
        if (n >= 1 && n <= 16) {
            long measured = (r1 - rise) / n;
            if (Math.abs(measured - period) < period / 8) {
                period = (period * 3 + measured) / 4; // smooth out the edge stamps' jitter
            }
        }
        rise = r1;
        return true;
    }

    private boolean timedOut(String which) {
        timeouts++;
        backoffUntil = te.nanoTime() + BACKOFF_MS * 1_000_000L;
        period = 0;
        if (!timeoutLogged) {
            timeoutLogged = true;
            LOG.warn("{}: no {} edge on the TE line {} (is te_gpio wired to the controller's TE pin?); writing "
                    + "without tear sync, retrying every {} ms (logged once)", device, which, te.describe(), BACKOFF_MS);
        } else {
            LOG.debug("{}: no {} edge on the TE line {}", device, which, te.describe());
        }
        return false;
    }

    // ------------------------------------------------------------------ planning

    /** When a window may start, relative to a rising edge: [lower, upper]; fits when lower <= upper. */
    record Plan(long lower, long upper, boolean fits) {
    }

    private long lineNs() {
        return Math.max(1, (period - vblank) / lines);
    }

    private long margin() {
        return 2 * lineNs() + 20_000;
    }

    /** Whether the window's rows are glass lines written in scan order. */
    private boolean sweeps() {
        return !mv && (madctl < 0 || bottomUp() == my);
    }

    /** The plan for a window in visible coordinates (inclusive). */
    Plan plan(int x0, int x1, int y0, int y1) {
        long line = lineNs(), m = margin();
        int w = x1 - x0 + 1, h = y1 - y0 + 1;
        if (sweeps()) {
            long a = scanPos(glassLine(y0));
            long n = h;
            double wMin = w * bpp * nsPerByte, wMax = wMin * SLOW_WIRE;
            long lower = vblank + m + Math.max(a * line, Math.round((a + n - 1) * line - (n - 1) * wMin));
            long upper = period + vblank - m - te.stampLatencyNanos() + Math.min(Math.round(a * line - wMax),
                    Math.round((a + n - 1) * line - n * wMax));
            return new Plan(lower, upper, lower <= upper);
        }
        int c0 = mv ? x0 : y0, c1 = mv ? x1 : y1;
        int p0 = scanPos(glassLine(c0)), p1 = scanPos(glassLine(c1));
        long a = Math.min(p0, p1), b = Math.max(p0, p1);
        long total = Math.round((long) w * h * bpp * nsPerByte * SLOW_WIRE);
        long lower = vblank + m + (b + 1) * line;
        long upper = period + vblank - m - te.stampLatencyNanos() + a * line - total;
        return new Plan(lower, upper, lower <= upper);
    }

    /**
     * The windows to write for {@code r} (visible coordinates), in order: {@code r} itself when it
     * fits behind the scan (or the scan cannot be learnt: the TE line timed out), else bands of it that each fit, in the
     * order the scan meets them. Without TE the display never calls this.
     */
    public List<Rect> windows(Rect r) throws IOException {
        List<Rect> out = new ArrayList<>();
        long now = te.nanoTime();
        if (period == 0 && (backoffUntil == EdgeInput.NO_EDGE || now - backoffUntil >= 0)) {
            learnt(now);
        }
        if (period == 0 || plan(r.x(), r.x() + r.width() - 1, r.y(), r.y() + r.height() - 1).fits) {
            out.add(r);
            return out;
        }
        boolean alongX = mv; // bands cut across the scan axis
        int span = alongX ? r.width() : r.height();
        int across = alongX ? r.height() : r.width();
        int band = span;
        while (band > 1 && !fitsBand(r, band, alongX)) {
            band = (band + 1) / 2;
        }
        if (!sweeps()) {
            band = Math.max(1, band / 2); // slack, so the next band need not wait for a refresh
        }
        List<Rect> bands = new ArrayList<>();
        for (int s = 0; s < span; s += band) {
            int n = Math.min(band, span - s);
            bands.add(alongX ? new Rect(r.x() + s, r.y(), n, across) : new Rect(r.x(), r.y() + s, across, n));
        }
        // scan order: the band whose lines the scan meets first goes first
        int first = alongX ? scanPos(glassLine(r.x())) : scanPos(glassLine(r.y()));
        int last = alongX ? scanPos(glassLine(r.x() + r.width() - 1)) : scanPos(glassLine(r.y() + r.height() - 1));
        if (first > last) {
            java.util.Collections.reverse(bands);
        }
        return bands;
    }

    /**
     * {@code windows} (visible coordinates) in the order the scan meets them (by the first scan
     * line each one covers): the order in which a flush of several windows trails the scan with the
     * fewest waits. A new list; the input is not changed.
     */
    public List<Rect> order(List<Rect> windows) {
        List<Rect> out = new ArrayList<>(windows);
        out.sort(java.util.Comparator.comparingInt(this::firstScanLine));
        return out;
    }

    private int firstScanLine(Rect r) {
        int c0 = mv ? r.x() : r.y(), c1 = mv ? r.x() + r.width() - 1 : r.y() + r.height() - 1;
        return Math.min(scanPos(glassLine(c0)), scanPos(glassLine(c1)));
    }

    private boolean fitsBand(Rect r, int band, boolean alongX) {
        // the worst band of this size: the first one (placement does not change the allowance's length)
        return alongX ? plan(r.x(), r.x() + band - 1, r.y(), r.y() + r.height() - 1).fits
                : plan(r.x(), r.x() + r.width() - 1, r.y(), r.y() + band - 1).fits;
    }
}
