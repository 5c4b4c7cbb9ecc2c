package org.paneld.drivers.st7586;

import java.nio.ByteBuffer;
import org.paneld.drivers.pixel.Framebuffer;
import org.paneld.drivers.pixel.PixelFormat;
import org.paneld.drivers.pixel.Rect;
import org.paneld.drivers.pixel.Rgb;

/**
 * The ST7586's pixel format and the conversion to it, as the kernel's st7586.c does it.
 *
 * <p><b>Grey.</b> A source pixel becomes an 8-bit grey level as the kernel's
 * drm_fb_xrgb8888_to_gray8 computes it ({@link Rgb#luma}: drm_pixel_xrgb8888_to_r8_bt601, BT.601
 * weights normalised to 256, {@code (77 R + 150 G + 29 B) >> 8}); RGB565 pixels are first
 * expanded to 8 bits per channel by bit replication, R8 pixels are the grey level itself. The
 * grey level's top two bits are the panel's 2-bit level: {@code level = grey >> 6}, 0 black,
 * 1 dark grey, 2 light grey, 3 white (st7586_xrgb8888_to_gray332 does {@code gray8 >> 6}).
 *
 * <p><b>Packing.</b> Three pixels per byte, the first two in 3 bits and the third in 2 bits:
 * a level maps to the 3-bit code {7, 4, 2, 0} (black, dark, light, white) and the byte is
 * {@code code0 << 5 | code1 << 2 | code2 >> 1}. Column addresses count bytes, i.e. triplets of
 * pixels, so every window starts and ends on a multiple of 3 pixels ({@link #widen}).
 *
 * <p>Stateless; any thread.
 */
public final class St7586Pixels {
    /** Visible panel size (the EV3's glass). */
    public static final int WIDTH = 178, HEIGHT = 128;
    /** Width covered by whole triplets: 60 column bytes. */
    public static final int RAM_VISIBLE_WIDTH = 180;
    /** 3-bit code of each 2-bit level (0 black … 3 white). */
    private static final int[] CODE = {7, 4, 2, 0};

    private St7586Pixels() {
    }

    /** The 2-bit level (0 black … 3 white) of an 8-bit grey. */
    public static int level(int grey8) {
        return grey8 >> 6;
    }

    /** What the panel shows for a 2-bit level, as 0xRRGGBB grey (0x000000, 0x555555, 0xAAAAAA, 0xFFFFFF). */
    public static int levelRgb(int level) {
        int g = level * 0x55;
        return g << 16 | g << 8 | g;
    }

    /** What the panel shows for 0xRRGGBB after its quantisation. */
    public static int quantize(int rgb) {
        return levelRgb(level(Rgb.luma(rgb)));
    }

    /** The 3-bit code of the channels {@code r, g, b}: their grey's top two bits through the lookup. */
    private static int codeOf(int r, int g, int b) {
        return CODE[Rgb.luma(r, g, b) >> 6];
    }

    /** The 3-bit code of a 2-bit level. */
    public static int code(int level) {
        return CODE[level];
    }

    /** The level a 3-bit code (bits D7..D5 or D4..D2) stands for; a 2-bit code (D1 D0) is shifted left once first. */
    public static int levelOfCode(int code3) {
        // the top two bits of the field decide: 11x black, 10x dark grey, 01x light grey, 00x white
        int hi = code3 >> 2 & 1, lo = code3 >> 1 & 1;
        return 3 - (hi << 1 | lo);
    }

    /** {@code r} widened to whole triplets of columns, clipped to {@link #RAM_VISIBLE_WIDTH}. */
    public static Rect widen(Rect r) {
        int x0 = r.x() / 3 * 3;
        int x1 = Math.min(RAM_VISIBLE_WIDTH, (int) ((r.right() + 2) / 3 * 3));
        return new Rect(x0, r.y(), x1 - x0, r.height());
    }

    /**
     * The panel rectangle (in the panel's own 178x128 coordinates) covered by the client
     * rectangle {@code c} under {@code rotation}.
     */
    public static Rect toPanel(Rect c, int rotation) {
        int x0 = c.x(), y0 = c.y(), x1 = (int) c.right() - 1, y1 = (int) c.bottom() - 1;
        int[] a = panelXY(x0, y0, rotation), b = panelXY(x1, y1, rotation);
        int px0 = Math.min(a[0], b[0]), px1 = Math.max(a[0], b[0]);
        int py0 = Math.min(a[1], b[1]), py1 = Math.max(a[1], b[1]);
        return new Rect(px0, py0, px1 - px0 + 1, py1 - py0 + 1);
    }

    /**
     * Where client pixel {@code cx, cy} lands on the panel: 0 as is; 90 {@code (177 - cy, cx)};
     * 180 {@code (177 - cx, 127 - cy)}; 270 {@code (cy, 127 - cx)}. The client buffer is 178x128
     * at 0/180 and 128x178 at 90/270. The rotation is the panel's mounting, counter-clockwise,
     * as the device-tree "rotation" property and the MIPI DBI drivers mean it.
     */
    public static int[] panelXY(int cx, int cy, int rotation) {
        switch (rotation) {
            case 90: return new int[] {WIDTH - 1 - cy, cx};
            case 180: return new int[] {WIDTH - 1 - cx, HEIGHT - 1 - cy};
            case 270: return new int[] {cy, HEIGHT - 1 - cx};
            default: return new int[] {cx, cy};
        }
    }

    /**
     * Converts and packs the panel rectangle {@code p} (already {@link #widen widened}: x and
     * width multiples of 3) from the client buffer {@code src} under {@code rotation} into
     * {@code out} (p.width / 3 bytes per row). Columns 178 and 179 (beyond the glass) are white.
     * Returns the number of bytes written.
     */
    public static int pack(Framebuffer src, Rect p, int rotation, byte[] out) {
        int bytesPerRow = p.width() / 3;
        if (rotation == 0 && src.format() == PixelFormat.XRGB8888 && src.pixels().hasArray()) {
            packXrgb0(src, p, out);
            return bytesPerRow * p.height();
        }
        int o = 0;
        for (int py = p.y(); py < p.bottom(); py++) {
            for (int px = p.x(); px < p.right(); px += 3) {
                out[o++] = (byte) (codeAt(src, px, py, rotation) << 5 | codeAt(src, px + 1, py, rotation) << 2
                        | codeAt(src, px + 2, py, rotation) >> 1);
            }
        }
        return o;
    }

    private static int codeAt(Framebuffer src, int px, int py, int rotation) {
        if (px >= WIDTH) {
            return 0; // white, beyond the glass
        }
        int cx, cy;
        switch (rotation) {
            case 90: cx = py; cy = WIDTH - 1 - px; break;
            case 180: cx = WIDTH - 1 - px; cy = HEIGHT - 1 - py; break;
            case 270: cx = HEIGHT - 1 - py; cy = px; break;
            default: cx = px; cy = py;
        }
        if (src.format() == PixelFormat.R8) {
            return CODE[(src.pixels().get(src.offset(cx, cy)) & 0xFF) >> 6];
        }
        int rgb = src.rgb(cx, cy);
        return codeOf(rgb >> 16 & 0xFF, rgb >> 8 & 0xFF, rgb & 0xFF);
    }

    /** The fast path: XRGB8888 on a heap array, no rotation. */
    private static void packXrgb0(Framebuffer src, Rect p, byte[] out) {
        ByteBuffer bb = src.pixels();
        byte[] a = bb.array();
        int base = bb.arrayOffset();
        int stride = src.stride();
        int o = 0;
        int x0 = p.x(), x1 = (int) p.right();
        int full = Math.min(x1, WIDTH / 3 * 3); // triplets wholly on the glass
        for (int y = p.y(); y < p.bottom(); y++) {
            int i = base + y * stride + x0 * 4;
            int x = x0;
            for (; x < full; x += 3, i += 12) {
                int c0 = codeOf(a[i + 2] & 0xFF, a[i + 1] & 0xFF, a[i] & 0xFF);
                int c1 = codeOf(a[i + 6] & 0xFF, a[i + 5] & 0xFF, a[i + 4] & 0xFF);
                int c2 = codeOf(a[i + 10] & 0xFF, a[i + 9] & 0xFF, a[i + 8] & 0xFF);
                out[o++] = (byte) (c0 << 5 | c1 << 2 | c2 >> 1);
            }
            for (; x < x1; x += 3, i += 12) { // the last triplet: 176, 177 on the glass, 178, 179 off
                int c0 = x < WIDTH ? codeOf(a[i + 2] & 0xFF, a[i + 1] & 0xFF, a[i] & 0xFF) : 0;
                int c1 = x + 1 < WIDTH ? codeOf(a[i + 6] & 0xFF, a[i + 5] & 0xFF, a[i + 4] & 0xFF) : 0;
                out[o++] = (byte) (c0 << 5 | c1 << 2);
            }
        }
    }
}
