package org.paneld.drivers.virtual;

import java.util.Arrays;
import java.util.List;

/**
 * The controller's display scan and its tearing-effect output. The panel refreshes from GRAM
 * line by line at its frame rate: each refresh is a vertical blanking period of
 * {@code vblankLines} line times, then the gate lines 0..{@code gramHeight-1} (or the other way
 * round with MADCTL's ML bit, the "vertical refresh order"). The frame rate comes from the
 * frame-rate register where the model has one ({@link DbiFrameRate}: ILI9341 B1h
 * "FRMCTR1", frame rate = 615 kHz / (RTNA clocks x 2^DIVA x (lines + vblank)); ST7789V C6h
 * "FRCTRL2", 10 MHz / ((lines + vblank) x (250 + 16 x RTNA))), else from the model's refresh rate.
 * TEON (35h) with M = 0 drives TE high during vertical blanking; M = 1 adds a short pulse at the
 * end of every line; TEOFF (34h), SWRESET, reset and sleep keep it low.
 *
 * <p>Torn frames: with a timed wire, every stored pixel that changes a glass pixel is stamped
 * with its time on the wire. When the memory write ends (or {@link #settle} is called), each
 * refresh that overlapped it is checked line by line: a line scanned after all of its changed
 * pixels were stored shows new content, one scanned before any of them shows old content, one
 * scanned in between is split; a refresh with a split line, or with both new and old lines, is a
 * {@link TornFrame}. The last 64 are kept, all are counted. Lifetime: its panel. Threads: the
 * panel's lock.
 */
final class DbiScan {
    private static final int KEEP = 64;
    /** Refreshes judged per memory write at most (a write left open for minutes is judged on its first ones). */
    private static final int MAX_REFRESHES = 4096;

    private final DbiModel model;
    private final int lines;
    private final long[] first;   // per gate line: earliest store of a changed pixel in this write, MAX none
    private final long[] last;
    private final BoundedLog<TornFrame> torn = BoundedLog.latest(KEEP);
    private long tornCount;
    private long writes;
    private int lo = Integer.MAX_VALUE, hi = -1;

    private long periodNs;
    private long anchor;
    private boolean teOn;
    private int teMode;
    private boolean bottomUp;
    private boolean connected = true;

    DbiScan(DbiModel model) {
        this.model = model;
        this.lines = model.gramHeight;
        this.first = new long[lines];
        this.last = new long[lines];
        Arrays.fill(first, Long.MAX_VALUE);
        Arrays.fill(last, Long.MIN_VALUE);
        this.periodNs = defaultPeriod();
    }

    /** Reset or SWRESET at {@code now}: default frame rate, TE off, top-to-bottom, scan restarts. */
    void reset(long now) {
        periodNs = defaultPeriod();
        anchor = now;
        teOn = false;
        bottomUp = false;
    }

    private long defaultPeriod() {
        switch (model.frameRate) {
            case ILI9341:
                return ili9341Period(0x00, 0x1B);
            case ST7789:
                return st7789Period(0x0F);
            default:
                return Math.round(1e9 / model.refreshHz);
        }
    }

    private long ili9341Period(int diva, int rtna) {
        return Math.round(1e9 * rtna * (1 << (diva & 3)) * (lines + model.vblankLines) / 615_000.0);
    }

    private long st7789Period(int rtna) {
        return Math.round(1e9 * (lines + model.vblankLines) * (250 + 16 * (rtna & 0x1F)) / 10_000_000.0);
    }

    long periodNanos() {
        return periodNs;
    }

    long lineNanos() {
        return periodNs / (lines + model.vblankLines);
    }

    /**
     * A vendor command's parameters are complete: the frame-rate register changes the period
     * (the scan restarts at {@code now}). Returns a violation text or null.
     */
    String frameRate(int cmd, byte[] p, int n, long now) {
        if (model.frameRate == DbiFrameRate.ILI9341 && cmd == 0xB1 && n >= 2) {
            int rtna = p[1] & 0x1F;
            if (rtna < 0x10) {
                return String.format("FRMCTR1 RTNA 0x%02X is below 0x10 (16 clocks per line), which the ILI9341 "
                        + "does not allow", rtna);
            }
            retime(ili9341Period(p[0] & 3, rtna), now);
        } else if (model.frameRate == DbiFrameRate.ST7789 && cmd == 0xC6 && n >= 1) {
            retime(st7789Period(p[0] & 0x1F), now);
        }
        return null;
    }

    private void retime(long period, long now) {
        if (period != periodNs) {
            periodNs = period;
            anchor = now;
        }
    }

    void teOn(int mode) {
        teOn = true;
        teMode = mode & 1;
    }

    void teOff() {
        teOn = false;
    }

    boolean teEnabled() {
        return teOn;
    }

    /** MADCTL: the ML bit (0x10) scans bottom to top. */
    void madctl(int m) {
        bottomUp = (m & 0x10) != 0;
    }

    /** Whether the board wires the TE pad to the host at all. */
    void connect(boolean on) {
        connected = on;
    }

    // ------------------------------------------------------------------ the TE line

    /** TE's level at {@code t} while the controller {@code awake}. */
    boolean teLevel(long t, boolean awake) {
        if (!connected || !teOn || !awake) {
            return false;
        }
        long line = lineNanos();
        long phase = Math.floorMod(t - anchor, periodNs);
        long vb = model.vblankLines * line;
        if (phase < vb) {
            return true;
        }
        return teMode == 1 && (phase - vb) / line < lines - 1 && (phase - vb) % line >= line - line / 8;
    }

    /**
     * The first TE edge ({@code rising} or falling) later than {@code after}, or
     * {@link Long#MIN_VALUE} when the line does not move (TE off, not wired, asleep).
     */
    long nextEdge(boolean rising, long after, boolean awake) {
        if (!connected || !teOn || !awake) {
            return Long.MIN_VALUE;
        }
        long line = lineNanos();
        long vb = model.vblankLines * line;
        long k = Math.floorDiv(after - anchor, periodNs);
        for (long j = k; j <= k + 1; j++) {
            long a = anchor + j * periodNs;
            long e = rising ? a : a + vb;
            if (e > after) {
                return e;
            }
            if (teMode == 1) {
                // a pulse of 1/8 line at the end of every line but the last (whose end is the blanking)
                long m = Math.max(0, (after - (a + vb)) / line);
                for (long q = m; q <= m + 1 && q < lines - 1; q++) {
                    long end = a + vb + (q + 1) * line;
                    long edge = rising ? end - line / 8 : end;
                    if (edge > after) {
                        return edge;
                    }
                }
            }
        }
        return anchor + (k + 2) * periodNs; // unreachable in practice: the next refresh's rising edge
    }

    // ------------------------------------------------------------------ torn frames

    /** A stored pixel changed glass line {@code row} at time {@code t}. */
    void changed(int row, long t) {
        if (t < first[row]) {
            first[row] = t;
        }
        if (t > last[row]) {
            last[row] = t;
        }
        lo = Math.min(lo, row);
        hi = Math.max(hi, row);
    }

    /** The memory write ended: checks the refreshes that overlapped it ({@code visible}: display lit). */
    void settle(boolean visible) {
        if (hi < 0) {
            return;
        }
        writes++;
        if (visible) {
            check();
        }
        Arrays.fill(first, lo, hi + 1, Long.MAX_VALUE);
        Arrays.fill(last, lo, hi + 1, Long.MIN_VALUE);
        lo = Integer.MAX_VALUE;
        hi = -1;
    }

    private void check() {
        long begin = Long.MAX_VALUE, end = Long.MIN_VALUE;
        for (int r = lo; r <= hi; r++) {
            if (first[r] != Long.MAX_VALUE) {
                begin = Math.min(begin, first[r]);
                end = Math.max(end, last[r]);
            }
        }
        long line = lineNanos();
        long vb = model.vblankLines * line;
        long k0 = Math.floorDiv(begin - anchor, periodNs) - 1;
        long k1 = Math.min(Math.floorDiv(end - anchor, periodNs) + 1, k0 + MAX_REFRESHES); // bounded work
        for (long k = k0; k <= k1; k++) {
            long a = anchor + k * periodNs;
            int nNew = 0, nOld = 0, nSplit = 0;
            for (int r = lo; r <= hi; r++) {
                if (first[r] == Long.MAX_VALUE) {
                    continue;
                }
                int pos = bottomUp ? lines - 1 - r : r;
                long s = a + vb + pos * line; // the line is latched when its scan begins
                if (last[r] < s) {
                    nNew++;
                } else if (first[r] > s) {
                    nOld++;
                } else {
                    nSplit++;
                }
            }
            if (nSplit > 0 || (nNew > 0 && nOld > 0)) {
                tornCount++;
                torn.add(new TornFrame(k, writes, a, nNew, nOld, nSplit));
            }
        }
    }

    List<TornFrame> tornFrames() {
        return List.copyOf(torn);
    }

    long tornCount() {
        return tornCount;
    }

    long writes() {
        return writes;
    }

    void clearTorn() {
        torn.clear();
        tornCount = 0;
    }
}
