package org.paneld.drivers.virtual;

import static org.paneld.drivers.virtual.Dcs.MADCTL_MV;
import static org.paneld.drivers.virtual.Dcs.MADCTL_MX;
import static org.paneld.drivers.virtual.Dcs.MADCTL_MY;

/**
 * The controller's graphics RAM and its address counter: the CASET/RASET window, memory writes
 * that start at the window (RAMWR) or continue (RAMWRC) and wrap after its last column and row,
 * MADCTL's map from logical to physical GRAM, and the pixel formats decoded from their
 * definitions (16-bit: big-endian RGB565, each channel widened by bit replication; 18-bit: three
 * bytes R, G, B with the top six bits significant, widened the same way). GRAM holds 0xRRGGBB in
 * native order (column, row). Lifetime: its panel. Threads: the panel's lock.
 */
final class DbiGram {
    private final int width, height;
    private final int[] ram;
    private final DbiRecorder rec;

    private int xs, xe, ys, ye;   // the window, logical, inclusive
    private int cx, cy;           // the address counter, logical
    private final int[] pend = new int[3];
    private int pendLen;
    private boolean burstHadPixel;
    private boolean wrapped;      // the counter went past the window's last pixel back to its start
    private boolean overrunReported;
    private int framesWritten;
    private DbiScan scan;         // told about changed glass pixels while the wire is timed, else null
    private int glassX0, glassX1, glassY0, glassY1;
    private long t0, pos0;        // the time of wire position pos0
    private double nsPerByte;

    DbiGram(int width, int height, DbiRecorder rec) {
        this.width = width;
        this.height = height;
        this.ram = new int[width * height];
        this.rec = rec;
    }

    /** Stamps changed glass pixels for {@code scan}'s torn-frame check; null stops it. */
    void track(DbiScan scan, int gx, int gy, int gw, int gh) {
        this.scan = scan;
        glassX0 = gx;
        glassX1 = gx + gw - 1;
        glassY0 = gy;
        glassY1 = gy + gh - 1;
    }

    /** The transfer starting at wire position {@code pos} began at {@code t} and carries a byte per {@code nsPerByte}. */
    void transferAt(long t, long pos, double nsPerByte) {
        this.t0 = t;
        this.pos0 = pos;
        this.nsPerByte = nsPerByte;
    }

    int[] ram() {
        return ram;
    }

    /** Back to the full GRAM window and the counter at 0,0 (reset, SWRESET). */
    void resetWindow() {
        xs = 0;
        xe = width - 1;
        ys = 0;
        ye = height - 1;
        cx = 0;
        cy = 0;
        pendLen = 0;
        wrapped = false;
    }

    void columns(int start, int end) {
        xs = start;
        xe = end;
    }

    void rows(int start, int end) {
        ys = start;
        ye = end;
    }

    int[] window() {
        return new int[] {xs, xe, ys, ye};
    }

    int framesWritten() {
        return framesWritten;
    }

    /**
     * A memory write begins ({@code restart}: RAMWR, at the window start; else RAMWRC, where the
     * last one stopped unless that is outside the window). Flags a window outside the GRAM.
     */
    void startWrite(boolean restart, int madctl, long pos) {
        burstHadPixel = false;
        overrunReported = false;
        pendLen = 0;
        boolean mv = (madctl & MADCTL_MV) != 0;
        int lw = mv ? height : width, lh = mv ? width : height;
        if (xe >= lw || ye >= lh) {
            rec.violation(pos, String.format("%s into window columns %d..%d rows %d..%d outside the %dx%d GRAM "
                    + "(MADCTL 0x%02X)", restart ? "RAMWR" : "RAMWRC", xs, xe, ys, ye, lw, lh, madctl));
        }
        if (restart || cx < xs || cx > xe || cy < ys || cy > ye) {
            cx = xs;
            cy = ys;
            wrapped = false;
        }
    }

    /** Bytes of an incomplete pixel held since the last whole one. */
    int pendingBytes() {
        return pendLen;
    }

    void endWrite() {
        pendLen = 0;
    }

    /** Pixel bytes of a memory write at {@code bits} per pixel (16 or 18). */
    void pixels(byte[] b, int off, int len, int bits, int madctl, long pos) {
        if (bits == 16) {
            for (int i = 0; i < len; i++) {
                pend[pendLen++] = b[off + i] & 0xFF;
                if (pendLen == 2) {
                    pendLen = 0;
                    int v = pend[0] << 8 | pend[1];
                    int r = v >> 11 & 0x1F, g = v >> 5 & 0x3F, bl = v & 0x1F;
                    store((r << 3 | r >> 2) << 16 | (g << 2 | g >> 4) << 8 | (bl << 3 | bl >> 2), madctl, pos + i);
                }
            }
        } else {
            for (int i = 0; i < len; i++) {
                pend[pendLen++] = b[off + i] & 0xFC;
                if (pendLen == 3) {
                    pendLen = 0;
                    int r = pend[0] | pend[0] >> 6, g = pend[1] | pend[1] >> 6, bl = pend[2] | pend[2] >> 6;
                    store(r << 16 | g << 8 | bl, madctl, pos + i);
                }
            }
        }
    }

    /** One 16-bit pixel as a single bus word (the 16-bit shift register). */
    void pixel565(int v, int madctl, long pos) {
        pixels(new byte[] {(byte) (v >> 8), (byte) v}, 0, 2, 16, madctl, pos);
    }

    private void store(int rgb, int madctl, long pos) {
        if (!burstHadPixel) {
            burstHadPixel = true;
            framesWritten++;
        }
        if (wrapped && !overrunReported) {
            overrunReported = true;
            rec.violation(pos, String.format("more pixels than the %dx%d window (columns %d..%d rows %d..%d): the "
                    + "address counter wrapped to the window start and overwrites it", xe - xs + 1, ye - ys + 1,
                    xs, xe, ys, ye));
        }
        int c, r;
        if ((madctl & MADCTL_MV) != 0) {
            c = cy;
            r = cx;
        } else {
            c = cx;
            r = cy;
        }
        if ((madctl & MADCTL_MX) != 0) {
            c = width - 1 - c;
        }
        if ((madctl & MADCTL_MY) != 0) {
            r = height - 1 - r;
        }
        if (c >= 0 && c < width && r >= 0 && r < height) {
            int i = r * width + c;
            if (scan != null && ram[i] != rgb && c >= glassX0 && c <= glassX1 && r >= glassY0 && r <= glassY1) {
                scan.changed(r, t0 + (long) ((pos - pos0) * nsPerByte));
            }
            ram[i] = rgb;
        }
        if (++cx > xe) {
            cx = xs;
            if (++cy > ye) {
                cy = ys;
                wrapped = true;
            }
        }
    }

    /** MADCTL's logical-to-physical map on a {@code w x h} native frame; result in {@code out} as {col, row}. */
    static void map(int madctl, int x, int y, int w, int h, int[] out) {
        int c, r;
        if ((madctl & MADCTL_MV) != 0) {
            c = y;
            r = x;
        } else {
            c = x;
            r = y;
        }
        if ((madctl & MADCTL_MX) != 0) {
            c = w - 1 - c;
        }
        if ((madctl & MADCTL_MY) != 0) {
            r = h - 1 - r;
        }
        out[0] = c;
        out[1] = r;
    }
}
