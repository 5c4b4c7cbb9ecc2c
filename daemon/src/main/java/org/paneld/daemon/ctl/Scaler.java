package org.paneld.daemon.ctl;

import java.nio.ByteBuffer;

/**
 * Maps source frames of one size and layout onto a panel-sized buffer, nearest neighbour, with
 * maps computed once: {@code fit} scales preserving the aspect ratio, centred, black bars where
 * the picture does not fill the panel (like {@code panelctl draw}, but nearest neighbour: it runs
 * per frame); a source of exactly the panel's size is copied pixel for pixel. Writes straight
 * into the destination (a shared buffer's mapping) in the buffer's format, XRGB8888 or RGB565
 * (little-endian), line by line; a destination line that repeats the line above is copied, not
 * converted again. Lifetime: as long as the source size and layout stay. Threads: one caller.
 */
final class Scaler {
    private final int srcW;
    private final int srcH;
    private final StreamFormat src;
    private final int dstW;
    private final int dstH;
    private final boolean dst565;
    private final int[] xmap;   // destination x -> byte offset of the source pixel in its line, or -1 (bar)
    private final int[] ymap;   // destination y -> source line, or -1 (bar)
    private final int[] rgb;
    private final byte[] line;
    private final byte[] black;

    Scaler(int srcW, int srcH, StreamFormat src, int dstW, int dstH, boolean dst565) {
        this.srcW = srcW;
        this.srcH = srcH;
        this.src = src;
        this.dstW = dstW;
        this.dstH = dstH;
        this.dst565 = dst565;
        int w, h;
        if (srcW == dstW && srcH == dstH) {
            w = dstW;
            h = dstH;
        } else if ((long) srcW * dstH > (long) srcH * dstW) { // wider than the panel: bars top and bottom
            w = dstW;
            h = (int) Math.max(1, Math.round((double) srcH * dstW / srcW));
        } else {
            h = dstH;
            w = (int) Math.max(1, Math.round((double) srcW * dstH / srcH));
        }
        int x0 = (dstW - w) / 2, y0 = (dstH - h) / 2;
        xmap = new int[dstW];
        for (int x = 0; x < dstW; x++) {
            int rx = x - x0;
            xmap[x] = rx < 0 || rx >= w ? -1 : (int) ((2L * rx + 1) * srcW / (2L * w)) * src.bytesPerPixel;
        }
        ymap = new int[dstH];
        for (int y = 0; y < dstH; y++) {
            int ry = y - y0;
            ymap[y] = ry < 0 || ry >= h ? -1 : (int) ((2L * ry + 1) * srcH / (2L * h));
        }
        rgb = new int[dstW];
        line = new byte[dstW * (dst565 ? 2 : 4)];
        black = new byte[line.length];
    }

    /** Whether frames of this size and layout can go through this scaler. */
    boolean fits(Frame f) {
        return f.width == srcW && f.height == srcH && f.format == src;
    }

    /** Converts one frame into {@code dst} (line y at {@code y * dstStride}, absolute puts). */
    void scale(Frame f, ByteBuffer dst, int dstStride) {
        byte[] s = f.data;
        int lastSrc = -2;
        for (int y = 0; y < dstH; y++) {
            int sy = ymap[y];
            if (sy < 0) {
                dst.put(y * dstStride, black, 0, black.length);
                continue;
            }
            if (sy != lastSrc) {
                convertLine(s, sy * f.stride);
                lastSrc = sy;
            }
            dst.put(y * dstStride, line, 0, line.length);
        }
    }

    private void convertLine(byte[] s, int base) {
        int[] px = rgb;
        int[] xm = xmap;
        switch (src) {
            case XRGB8888:
                for (int x = 0; x < dstW; x++) {
                    int i = xm[x];
                    px[x] = i < 0 ? 0 : (s[base + i + 2] & 0xFF) << 16 | (s[base + i + 1] & 0xFF) << 8 | (s[base + i] & 0xFF);
                }
                break;
            case RGB888:
                for (int x = 0; x < dstW; x++) {
                    int i = xm[x];
                    px[x] = i < 0 ? 0 : (s[base + i + 2] & 0xFF) << 16 | (s[base + i + 1] & 0xFF) << 8 | (s[base + i] & 0xFF);
                }
                break;
            case BGR888:
            case RGBA_PAM:
                for (int x = 0; x < dstW; x++) {
                    int i = xm[x];
                    px[x] = i < 0 ? 0 : (s[base + i] & 0xFF) << 16 | (s[base + i + 1] & 0xFF) << 8 | (s[base + i + 2] & 0xFF);
                }
                break;
            case RGB565:
                for (int x = 0; x < dstW; x++) {
                    int i = xm[x];
                    if (i < 0) {
                        px[x] = 0;
                        continue;
                    }
                    int v = (s[base + i] & 0xFF) | (s[base + i + 1] & 0xFF) << 8;
                    int r = v >> 11 & 0x1F, g = v >> 5 & 0x3F, b = v & 0x1F;
                    px[x] = (r << 3 | r >> 2) << 16 | (g << 2 | g >> 4) << 8 | (b << 3 | b >> 2);
                }
                break;
            default:
                throw new IllegalStateException(src.name());
        }
        byte[] out = line;
        if (dst565) {
            for (int x = 0, o = 0; x < dstW; x++, o += 2) {
                int c = px[x];
                int v = (c >> 8 & 0xF800) | (c >> 5 & 0x07E0) | (c >> 3 & 0x001F);
                out[o] = (byte) v;
                out[o + 1] = (byte) (v >> 8);
            }
        } else {
            for (int x = 0, o = 0; x < dstW; x++, o += 4) {
                int c = px[x];
                out[o] = (byte) c;
                out[o + 1] = (byte) (c >> 8);
                out[o + 2] = (byte) (c >> 16);
                out[o + 3] = 0;
            }
        }
    }
}
