package org.paneld.drivers.repaper;

import java.nio.ByteBuffer;
import java.util.List;
import org.paneld.drivers.pixel.Framebuffer;
import org.paneld.drivers.pixel.PixelFormat;
import org.paneld.drivers.pixel.Rgb;

/**
 * Grey to black-and-white for e-paper, chosen per device by the config key {@code dither}.
 *
 * <p>Every pixel first becomes an 8-bit grey as the kernel's drm_fb_xrgb8888_to_gray8 computes it
 * ({@link Rgb#luma}: BT.601 weights normalised to 256, {@code (77 R + 150 G + 29 B) >> 8}; RGB565
 * expanded by bit replication first, R8 taken as it is). Then:
 * <ul>
 * <li>{@link Mode#FLOYD_STEINBERG} (the default, for photos): error diffusion in reading order,
 *     every line left to right, white when the grey plus the diffused error is {@code >= 128},
 *     the error {@code value - (white ? 255 : 0)} passed on as 7/16 right, 3/16 below-left, 5/16
 *     below, 1/16 below-right (integer arithmetic: {@code e * k >> 4}, arithmetic shift, so
 *     negative errors round towards minus infinity).</li>
 * <li>{@link Mode#ORDERED}: 8x8 Bayer matrix, white when {@code grey >= 4 * B[y & 7][x & 7] + 2};
 *     a stable pattern (a small change stays small), good for content that changes often.</li>
 * <li>{@link Mode#THRESHOLD}: white when {@code grey >= 128} (the kernel's repaper.c, through
 *     drm_fb_xrgb8888_to_mono: the grey's top bit); for text and line art.</li>
 * </ul>
 * The result is 1 bit per pixel, 8 pixels per byte, most significant bit first, 1 = white (DRM's
 * R1), {@code (width + 7) / 8} bytes per line. Dithering runs over the client's whole buffer in
 * the client's orientation. Lifetime: the device object (one per display). Threads: one caller
 * at a time (it keeps its error lines); the display calls it from the flushing thread.
 */
public final class MonoConverter {

    /** Conversion modes, by their config names. */
    public enum Mode {
        FLOYD_STEINBERG("floyd-steinberg"), ORDERED("ordered"), THRESHOLD("threshold");

        private final String configName;

        Mode(String configName) {
            this.configName = configName;
        }

        public String configName() {
            return configName;
        }

        public static Mode byName(String name) {
            for (Mode m : values()) {
                if (m.configName.equals(name)) {
                    return m;
                }
            }
            return null;
        }

        public static List<String> configNames() {
            return List.of("floyd-steinberg", "ordered", "threshold");
        }
    }

    /** The 8x8 Bayer index matrix (0..63). */
    static final int[][] BAYER = {
        {0, 32, 8, 40, 2, 34, 10, 42},
        {48, 16, 56, 24, 50, 18, 58, 26},
        {12, 44, 4, 36, 14, 46, 6, 38},
        {60, 28, 52, 20, 62, 30, 54, 22},
        {3, 35, 11, 43, 1, 33, 9, 41},
        {51, 19, 59, 27, 49, 17, 57, 25},
        {15, 47, 7, 39, 13, 45, 5, 37},
        {63, 31, 55, 23, 61, 29, 53, 21},
    };

    private final Mode mode;
    private int[] errThis = new int[0];
    private int[] errNext = new int[0];
    private int[] grey = new int[0];

    public MonoConverter(Mode mode) {
        this.mode = mode;
    }

    public Mode mode() {
        return mode;
    }

    /** Bytes per line of a mono image {@code width} pixels wide. */
    public static int stride(int width) {
        return (width + 7) / 8;
    }

    /** Converts the whole of {@code src} into {@code out} (stride(width) * height bytes). */
    public void convert(Framebuffer src, byte[] out) {
        int w = src.width(), h = src.height();
        int stride = stride(w);
        if (grey.length < w) {
            grey = new int[w];
            errThis = new int[w];
            errNext = new int[w];
        } else {
            java.util.Arrays.fill(errThis, 0);
        }
        for (int y = 0; y < h; y++) {
            greyLine(src, y, grey);
            int o = y * stride;
            switch (mode) {
                case THRESHOLD:
                    packThreshold(grey, w, out, o);
                    break;
                case ORDERED:
                    packOrdered(grey, w, y, out, o);
                    break;
                default:
                    diffuseLine(grey, w, out, o);
                    break;
            }
        }
    }

    private static void greyLine(Framebuffer src, int y, int[] g) {
        int w = src.width();
        ByteBuffer bb = src.pixels();
        if (src.format() == PixelFormat.XRGB8888 && bb.hasArray()) {
            byte[] a = bb.array();
            int i = bb.arrayOffset() + y * src.stride();
            for (int x = 0; x < w; x++, i += 4) {
                g[x] = Rgb.luma(a[i + 2] & 0xFF, a[i + 1] & 0xFF, a[i] & 0xFF);
            }
            return;
        }
        if (src.format() == PixelFormat.R8) {
            for (int x = 0; x < w; x++) {
                g[x] = bb.get(src.offset(x, y)) & 0xFF;
            }
            return;
        }
        for (int x = 0; x < w; x++) {
            g[x] = Rgb.luma(src.rgb(x, y));
        }
    }

    private static void packThreshold(int[] g, int w, byte[] out, int o) {
        for (int x = 0; x < w; x += 8) {
            int b = 0;
            int n = Math.min(8, w - x);
            for (int k = 0; k < n; k++) {
                if (g[x + k] >= 128) {
                    b |= 0x80 >> k;
                }
            }
            out[o++] = (byte) b;
        }
    }

    private static void packOrdered(int[] g, int w, int y, byte[] out, int o) {
        int[] row = BAYER[y & 7];
        for (int x = 0; x < w; x += 8) {
            int b = 0;
            int n = Math.min(8, w - x);
            for (int k = 0; k < n; k++) {
                if (g[x + k] >= 4 * row[(x + k) & 7] + 2) {
                    b |= 0x80 >> k;
                }
            }
            out[o++] = (byte) b;
        }
    }

    /**
     * One line of Floyd–Steinberg. {@code errThis[x]} holds the error diffused into pixel x from
     * the line above; the error to the right travels in a local, the errors for the next line are
     * summed in locals and each next-line slot is written once (so nothing needs clearing).
     */
    private void diffuseLine(int[] g, int w, byte[] out, int o) {
        int[] cur = errThis, next = errNext;
        int right = 0;      // error into pixel x from pixel x - 1
        int pendPrev = 0;   // next line, pixel x - 1: 5/16 of x - 1 plus 1/16 of x - 2
        int pendCur = 0;    // next line, pixel x: 1/16 of x - 1 so far
        int b = 0;
        for (int x = 0; x < w; x++) {
            int v = g[x] + cur[x] + right;
            int e;
            if (v >= 128) {
                b |= 0x80 >>> (x & 7);
                e = v - 255;
            } else {
                e = v;
            }
            right = e * 7 >> 4;
            if (x > 0) {
                next[x - 1] = pendPrev + (e * 3 >> 4);
            }
            pendPrev = pendCur + (e * 5 >> 4);
            pendCur = e >> 4;
            if ((x & 7) == 7) {
                out[o++] = (byte) b;
                b = 0;
            }
        }
        next[w - 1] = pendPrev;
        if ((w & 7) != 0) {
            out[o] = (byte) b;
        }
        errThis = next;
        errNext = cur;
    }
}
