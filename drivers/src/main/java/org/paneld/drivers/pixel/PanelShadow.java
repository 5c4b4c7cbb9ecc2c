package org.paneld.drivers.pixel;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * What a panel controller's memory (GRAM) holds, in the panel's own pixel bytes, and the diff of
 * a new picture against it: the windows that carry exactly what changed, merged by cost.
 *
 * <p>{@link #update} converts each row of an area into a row buffer (through a {@link RowSource},
 * the driver's converter), compares it with the shadow in 8-byte words ({@link Arrays#mismatch},
 * a vectorised intrinsic, skips equal stretches), turns the changed bytes into spans per row, and
 * copies the new row into the shadow. Spans become windows (rectangles) on the fly: a span joins
 * an open window above it when the bytes the union adds cost less than the windows it saves, each
 * window costing {@code windowCost} byte-equivalents (its command bytes plus the bus's per-transfer
 * cost). Spans in one row merge when the gap between them costs less than a window. Windows are
 * widened to the controller's column grain. The result is never more bytes (pixels plus
 * {@link #COMMAND_BYTES} per window) and never more cost than one window over the changes'
 * bounding rectangle: when it would be, that one rectangle is the plan. After {@code update} the
 * shadow holds the new picture; the caller sends the planned windows from {@link #bytes()} (and
 * calls {@link #distrust()} when sending fails, so that the next update sends without comparing).
 *
 * <p>Lifetime: its display (made at probe, one per display, display-sized). Threads: the device's
 * serialised operations only.
 */
public final class PanelShadow {
    /** CASET (1 + 4) + RASET (1 + 4) + RAMWR (1): the command bytes a window costs on a MIPI DBI wire. */
    public static final int COMMAND_BYTES = 11;
    /** The panels' {@code damage} modes: compare with the shadow, trust the client's rectangles, whole frames. */
    public static final java.util.List<String> DAMAGE_MODES = java.util.List.of("auto", "client", "full");
    /** Open windows kept at once (a row with more spans closes the oldest). */
    private static final int MAX_OPEN = 48;
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** Converts {@code n} pixels of row {@code y} from column {@code x} into {@code dst} at {@code off}. */
    @FunctionalInterface
    public interface RowSource {
        void convert(int x, int y, int n, byte[] dst, int off);
    }

    private final int width;
    private final int height;
    private final int bpp;
    private final int grain;
    private final int stride;
    private final byte[] px;
    private final byte[] row;
    private boolean trusted;

    // open windows: x0, x1 (exclusive), y0, y1 (exclusive)
    private final int[] ox0 = new int[MAX_OPEN + 1], ox1 = new int[MAX_OPEN + 1], oy0 = new int[MAX_OPEN + 1],
            oy1 = new int[MAX_OPEN + 1];
    private int open;
    // planned windows, 4 ints each: x, y, w, h
    private int[] plan = new int[64];
    private int planned;
    private long changedPixels;
    private int changedRuns;
    // state of the row being compared
    private int cost;
    private int curY;

    /**
     * @param grain column grain in pixels: windows start and end on multiples of it (1 for most
     *              controllers, 3 for ST7586's 3-pixel columns); {@code width} must be a multiple
     */
    public PanelShadow(int width, int height, int bytesPerPixel, int grain) {
        if (width <= 0 || height <= 0 || bytesPerPixel <= 0 || grain <= 0 || width % grain != 0) {
            throw new IllegalArgumentException("shadow " + width + "x" + height + " of " + bytesPerPixel
                    + "-byte pixels, grain " + grain + ": sizes must be positive and the width a multiple of the grain");
        }
        this.width = width;
        this.height = height;
        this.bpp = bytesPerPixel;
        this.grain = grain;
        this.stride = Math.multiplyExact(width, bytesPerPixel);
        this.px = new byte[Math.multiplyExact(stride, height)];
        this.row = new byte[stride + 8];
    }

    public int width() { return width; }
    public int height() { return height; }
    public int bytesPerPixel() { return bpp; }
    public int stride() { return stride; }

    /** The shadow's bytes, row after row ({@link #stride()} bytes each). Read only. */
    public byte[] bytes() {
        return px;
    }

    /** Whether the shadow is known to equal the controller's memory. */
    public boolean trusted() {
        return trusted;
    }

    /** The controller's memory is unknown (reset, a failed transfer): the next update sends without comparing. */
    public void distrust() {
        trusted = false;
    }

    /** The controller's memory now equals the shadow (the whole shadow was sent). */
    public void trust() {
        trusted = true;
    }

    /** Sets the whole shadow to zero bytes (black in every panel format), e.g. before a blank. */
    public void clear() {
        Arrays.fill(px, (byte) 0);
    }

    /**
     * Takes {@code area} of a new picture into the shadow and plans the windows to send.
     *
     * @param compare    false: send the whole area (the client's damage trusted, or a full
     *                   frame); true: only what differs from the shadow (ignored, i.e. false,
     *                   while the shadow is not {@link #trusted()})
     * @param windowCost what one more window costs, in byte-equivalents ({@link #COMMAND_BYTES} plus
     *                   the bus's per-window transfer cost)
     * @return the number of windows planned ({@link #x(int)} …); 0 when nothing changed
     */
    public int update(Rect area, RowSource src, boolean compare, int windowCost) {
        return update(area, src, compare, windowCost, null);
    }

    /**
     * Receives the rows of a large update that changes almost everything while the comparison is
     * still running, so that the wire starts early (a full-change stream is not slowed down by the
     * diff). Called from inside {@link #update}; its exceptions pass through.
     */
    public interface Streamer {
        /** Starts one window over {@code area}; its rows follow, in order, through {@link #rows}. */
        void start(Rect area);

        /** Sends rows {@code y0} to {@code y1 - 1} of the started window (the shadow holds them already). */
        void rows(int y0, int y1);
    }

    /** Rows compared before a streamed update starts, and rows per streamed band after it. */
    static final int FIRST_BAND = 8, BAND = 64;

    /**
     * {@link #update(Rect, RowSource, boolean, int)}, streaming: when the first {@value #FIRST_BAND}
     * rows of the area changed almost wholly (90 %), one window over the whole area starts at once
     * and each following band of {@value #BAND} rows goes out as soon as it is compared, while at
     * least half of it changed; the rows after the first band that did not are planned as usual,
     * unless sending them in the open window costs no more than their plan. The windows returned
     * are those still to send after the streamed one.
     */
    public int update(Rect area, RowSource src, boolean compare, int windowCost, Streamer streamer) {
        if (!area.isInside(width, height)) {
            throw new IllegalArgumentException("area " + area + " is not inside the " + width + "x" + height + " shadow");
        }
        planned = 0;
        open = 0;
        changedPixels = 0;
        changedRuns = 0;
        this.cost = Math.max(COMMAND_BYTES, windowCost);
        int x0 = area.x(), w = area.width();
        int n = w * bpp;
        if (!compare || !trusted) {
            for (int y = area.y(); y < area.y() + area.height(); y++) {
                src.convert(x0, y, w, px, y * stride + x0 * bpp);
            }
            changedPixels = area.area();
            changedRuns = area.height();
            addPlan(x0, area.y(), x0 + w, area.y() + area.height());
            widenAndCheck();
            return planned;
        }
        int bottom = area.y() + area.height();
        boolean stream = streamer != null && grain == 1 && area.height() > FIRST_BAND;
        boolean streaming = false;
        int bandStart = area.y(), streamedTo = area.y();
        long bandPixels = 0;
        for (int y = area.y(); y < bottom; y++) {
            curY = y;
            src.convert(x0, y, w, row, 0);
            int so = y * stride + x0 * bpp;
            if (Arrays.mismatch(row, 0, n, px, so, so + n) >= 0) {
                compareRow(so, n, x0);
                System.arraycopy(row, 0, px, so, n);
            }
            if (!stream) {
                continue;
            }
            int rows = y + 1 - bandStart;
            if (rows == (streaming ? BAND : FIRST_BAND) || y + 1 == bottom) {
                long changed = changedPixels - bandPixels, all = (long) rows * w;
                if (!streaming && changed * 10 >= all * 9) {
                    streamer.start(area);
                    streaming = true;
                } else if (!streaming || changed * 2 < all) {
                    stream = false; // not (or no longer) a full-change update: the rest is planned
                    continue;
                }
                streamer.rows(bandStart, y + 1);
                streamedTo = y + 1;
                bandStart = y + 1;
                bandPixels = changedPixels;
            }
        }
        for (int i = 0; i < open; i++) {
            addPlan(ox0[i], oy0[i], ox1[i], oy1[i]);
        }
        open = 0;
        if (streaming) {
            // the streamed rows are on their way: keep only the plan below them
            int j = 0;
            for (int i = 0; i < planned; i++) {
                int y0 = plan[i * 4 + 1], y1 = y0 + plan[i * 4 + 3];
                if (y1 <= streamedTo) {
                    continue;
                }
                y0 = Math.max(y0, streamedTo);
                plan[j * 4] = plan[i * 4];
                plan[j * 4 + 1] = y0;
                plan[j * 4 + 2] = plan[i * 4 + 2];
                plan[j * 4 + 3] = y1 - y0;
                j++;
            }
            planned = j;
            widenAndCheck();
            long rest = (long) (bottom - streamedTo) * n;
            if (planned > 0 && rest <= plannedBytes()) {
                streamer.rows(streamedTo, bottom); // the open window takes them for less than a new plan
                planned = 0;
            }
            return planned;
        }
        widenAndCheck();
        return planned;
    }

    /** Finds the changed byte runs of the row in {@link #row} against the shadow at {@code so}. */
    private void compareRow(int so, int n, int x0) {
        int gap = cost; // a gap of this many equal bytes or more splits two spans
        int start = -1, last = -1;
        int i = 0;
        while (i + 8 <= n) {
            long a = (long) LONG.get(row, i), b = (long) LONG.get(px, so + i);
            if (a != b) {
                long x = a ^ b;
                int lo = i + (Long.numberOfTrailingZeros(x) >>> 3), hi = i + ((63 - Long.numberOfLeadingZeros(x)) >>> 3);
                if (start < 0) {
                    start = lo;
                } else if (lo - last - 1 >= gap) {
                    span(start, last, x0);
                    start = lo;
                }
                last = hi;
                i += 8;
                continue;
            }
            if (start >= 0 && i - last - 1 < gap) {
                i += 8;
                continue;
            }
            if (start >= 0) {
                span(start, last, x0);
                start = -1;
            }
            int m = Arrays.mismatch(row, i, n, px, so + i, so + n);
            if (m < 0) {
                i = n;
                break;
            }
            i += m & ~7;
        }
        for (; i < n; i++) {
            if (row[i] != px[so + i]) {
                if (start < 0) {
                    start = i;
                } else if (i - last - 1 >= gap) {
                    span(start, last, x0);
                    start = i;
                }
                last = i;
            }
        }
        if (start >= 0) {
            span(start, last, x0);
        }
    }

    /** A changed run of bytes {@code lo..hi} (inclusive, relative to column {@code x0}) of row {@link #curY}. */
    private void span(int lo, int hi, int x0) {
        int a = x0 + lo / bpp, b = x0 + hi / bpp + 1;
        changedPixels += b - a;
        changedRuns++;
        int y = curY;
        // close windows that can no longer be extended profitably
        for (int i = 0; i < open; ) {
            if ((long) (y - oy1[i]) * (ox1[i] - ox0[i]) * bpp >= cost) {
                closeOpen(i);
            } else {
                i++;
            }
        }
        int ux0 = a, ux1 = b, uy0 = y;
        long candArea = 0;
        int k = 0;
        long gapPix = (cost + bpp - 1) / bpp;
        for (int i = 0; i < open; i++) {
            if (ox0[i] - b < gapPix && a - ox1[i] < gapPix) {
                ux0 = Math.min(ux0, ox0[i]);
                ux1 = Math.max(ux1, ox1[i]);
                uy0 = Math.min(uy0, oy0[i]);
                candArea += (long) (ox1[i] - ox0[i]) * (oy1[i] - oy0[i]);
                k++;
            }
        }
        if (k > 0) {
            long extra = ((long) (ux1 - ux0) * (y + 1 - uy0) - candArea - (b - a)) * bpp;
            if (extra < (long) k * cost) {
                // replace the candidates by their union with the span
                int j = 0;
                for (int i = 0; i < open; i++) {
                    boolean cand = ox0[i] - b < gapPix && a - ox1[i] < gapPix;
                    if (!cand) {
                        ox0[j] = ox0[i];
                        ox1[j] = ox1[i];
                        oy0[j] = oy0[i];
                        oy1[j] = oy1[i];
                        j++;
                    }
                }
                open = j;
                push(ux0, ux1, uy0, y + 1);
                return;
            }
        }
        push(a, b, y, y + 1);
    }

    private void push(int x0, int x1, int y0, int y1) {
        if (open == MAX_OPEN) {
            closeOpen(0);
        }
        ox0[open] = x0;
        ox1[open] = x1;
        oy0[open] = y0;
        oy1[open] = y1;
        open++;
    }

    private void closeOpen(int i) {
        addPlan(ox0[i], oy0[i], ox1[i], oy1[i]);
        open--;
        for (int j = i; j < open; j++) {
            ox0[j] = ox0[j + 1];
            ox1[j] = ox1[j + 1];
            oy0[j] = oy0[j + 1];
            oy1[j] = oy1[j + 1];
        }
    }

    private void addPlan(int x0, int y0, int x1, int y1) {
        if (planned * 4 == plan.length) {
            plan = Arrays.copyOf(plan, plan.length * 2);
        }
        plan[planned * 4] = x0;
        plan[planned * 4 + 1] = y0;
        plan[planned * 4 + 2] = x1 - x0;
        plan[planned * 4 + 3] = y1 - y0;
        planned++;
    }

    /** Widens the plan to the grain; falls back to one bounding window when that is not dearer. */
    private void widenAndCheck() {
        if (planned == 0) {
            return;
        }
        int bx0 = Integer.MAX_VALUE, by0 = Integer.MAX_VALUE, bx1 = 0, by1 = 0;
        long bytes = 0;
        for (int i = 0; i < planned; i++) {
            int x0 = plan[i * 4] / grain * grain;
            int x1 = Math.min(width, (plan[i * 4] + plan[i * 4 + 2] + grain - 1) / grain * grain);
            plan[i * 4] = x0;
            plan[i * 4 + 2] = x1 - x0;
            int y0 = plan[i * 4 + 1], y1 = y0 + plan[i * 4 + 3];
            bx0 = Math.min(bx0, x0);
            bx1 = Math.max(bx1, x1);
            by0 = Math.min(by0, y0);
            by1 = Math.max(by1, y1);
            bytes += (long) (x1 - x0) * (y1 - y0) * bpp;
        }
        long box = (long) (bx1 - bx0) * (by1 - by0) * bpp;
        if (planned > 1 && (bytes + (long) planned * COMMAND_BYTES > box + COMMAND_BYTES
                || bytes + (long) planned * cost > box + cost)) {
            planned = 0;
            addPlan(bx0, by0, bx1, by1);
        }
    }

    /** Column of planned window {@code i}. */
    public int x(int i) { return plan[i * 4]; }
    /** Row of planned window {@code i}. */
    public int y(int i) { return plan[i * 4 + 1]; }
    /** Width of planned window {@code i}. */
    public int w(int i) { return plan[i * 4 + 2]; }
    /** Height of planned window {@code i}. */
    public int h(int i) { return plan[i * 4 + 3]; }

    /** Windows of the last update. */
    public int planned() { return planned; }

    /** Pixels the last update found changed (the whole area when it did not compare). */
    public long changedPixels() { return changedPixels; }

    /** Changed runs (spans per row) the last update found. */
    public int changedRuns() { return changedRuns; }

    /** Bytes the last plan puts on the wire: pixels plus {@link #COMMAND_BYTES} per window. */
    public long plannedBytes() {
        long b = 0;
        for (int i = 0; i < planned; i++) {
            b += (long) w(i) * h(i) * bpp + COMMAND_BYTES;
        }
        return b;
    }

    /**
     * Copies {@code len} bytes of window {@code i}'s pixel stream (its rows, left to right, top to
     * bottom), starting at byte {@code pos} of that stream, into {@code dst} at {@code off}.
     */
    public void copyWindow(int i, long pos, byte[] dst, int off, int len) {
        copyRect(x(i), y(i), w(i), pos, dst, off, len);
    }

    /**
     * Copies {@code len} bytes of the pixel stream of the rectangle with top-left {@code x, y} and
     * width {@code w} (its rows, left to right, top to bottom), from byte {@code pos} of that
     * stream, into {@code dst} at {@code off}.
     */
    public void copyRect(int x, int y, int w, long pos, byte[] dst, int off, int len) {
        int rb = w * bpp;
        if (rb == stride) {
            System.arraycopy(px, Math.toIntExact(y * (long) stride + pos), dst, off, len);
            return;
        }
        int r = (int) (pos / rb), c = (int) (pos % rb);
        while (len > 0) {
            int take = Math.min(len, rb - c);
            System.arraycopy(px, (y + r) * stride + x * bpp + c, dst, off, take);
            off += take;
            len -= take;
            c = 0;
            r++;
        }
    }
}
