package org.paneld.drivers.repaper;

import org.paneld.drivers.pixel.Framebuffer;
import org.paneld.drivers.pixel.PixelFormat;
import org.paneld.drivers.pixel.RgbImage;
import org.paneld.drivers.testkit.PixelOracle;

/**
 * Test pictures and independent reference conversions for the mono and grey panels: the grey is
 * the kernel's (drm_pixel_xrgb8888_to_r8_bt601, through {@link PixelOracle}), the dithers are
 * restated from their definitions; nothing here calls the driver's converter.
 */
public final class TestImages {
    private TestImages() {
    }

    /** Gradients, hard edges, text-like strokes and a 1-pixel border; {@code seed} varies it. */
    public static Framebuffer picture(int w, int h, PixelFormat f, int seed) {
        Framebuffer fb = Framebuffer.allocate(w, h, f);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb;
                if (x == 0 || y == 0 || x == w - 1 || y == h - 1) {
                    rgb = 0x000000;
                } else if (y < h / 3) {
                    int v = (x * 255 / Math.max(1, w - 1) + seed * 37) & 0xFF;
                    rgb = v << 16 | (255 - v) << 8 | (v * 3 & 0xFF);
                } else if (y < 2 * h / 3) {
                    boolean stroke = ((x / 3 + y / 5 + seed) % 4 == 0) || ((x + seed) % 11 == 0);
                    rgb = stroke ? 0x101010 : 0xF0F0E0;
                } else {
                    int v = (y * 255 / Math.max(1, h - 1) + x * 7 + seed * 13) & 0xFF;
                    rgb = v << 16 | v << 8 | v;
                }
                PixelOracle.put(fb, x, y, rgb);
            }
        }
        return fb;
    }

    /** The grey of a pixel as the framebuffer's bytes hold it (RGB565 widened, R8 as is), with the kernel's BT.601 weights. */
    public static int grey(Framebuffer fb, int x, int y) {
        return PixelOracle.grey(fb, x, y);
    }

    /**
     * The n x n Bayer index matrix (n a power of two) by its recursive definition: the 2x2 matrix
     * {@code {{0, 2}, {3, 1}}}, and {@code B2n[i][j] = 4 * Bn[i % n][j % n] + B2[i / n][j / n]}.
     */
    static int[][] bayer(int n) {
        int[][] b2 = {{0, 2}, {3, 1}};
        if (n == 2) {
            return b2;
        }
        int h = n / 2;
        int[][] half = bayer(h);
        int[][] m = new int[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                m[i][j] = 4 * half[i % h][j % h] + b2[i / h][j / h];
            }
        }
        return m;
    }

    /** Reference black/white image of {@code fb} under {@code mode}, written plainly (doubles for Floyd–Steinberg weights avoided: same integer rule as documented). */
    public static RgbImage mono(Framebuffer fb, String mode) {
        int w = fb.width(), h = fb.height();
        RgbImage out = RgbImage.blank(w, h);
        int[][] err = new int[h + 1][w + 2];
        int[][] bayer = bayer(8);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int g = grey(fb, x, y);
                boolean white;
                switch (mode) {
                    case "threshold":
                        white = PixelOracle.monoWhite(g);
                        break;
                    case "ordered":
                        white = g >= 4 * bayer[y % 8][x % 8] + 2;
                        break;
                    default: {
                        int v = g + err[y][x + 1];
                        white = v >= 128;
                        int e = white ? v - 255 : v;
                        err[y][x + 2] += (int) Math.floor(e * 7 / 16.0);
                        err[y + 1][x] += (int) Math.floor(e * 3 / 16.0);
                        err[y + 1][x + 1] += (int) Math.floor(e * 5 / 16.0);
                        err[y + 1][x + 2] += (int) Math.floor(e / 16.0);
                    }
                }
                out.set(x, y, white ? 0xFFFFFF : 0x000000);
            }
        }
        return out;
    }
}
