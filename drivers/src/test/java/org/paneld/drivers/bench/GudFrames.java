package org.paneld.drivers.bench;

import org.paneld.drivers.pixel.Framebuffer;
import org.paneld.drivers.pixel.PixelFormat;

/**
 * Deterministic test frames for the GUD benchmarks: UI screens (flat background, title bar
 * gradient, lines of glyph-like text, flat buttons, a small icon strip) that differ from frame
 * to frame like a scrolling list, and a photo-like image (smooth colour fields plus sensor noise).
 */
final class GudFrames {
    private GudFrames() {
    }

    /** UI frame number {@code n}. */
    static Framebuffer ui(int w, int h, PixelFormat f, int n) {
        Framebuffer fb = Framebuffer.allocate(w, h, f);
        int bg = n % 2 == 0 ? 0xF4F4F4 : 0x202428;
        int fg = n % 2 == 0 ? 0x101010 : 0xE0E0E0;
        int titleH = h / 10;
        int lineH = Math.max(10, h / 20);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb;
                if (y < titleH) {
                    rgb = (40 + y * 80 / titleH) << 16 | (90 + y * 60 / titleH) << 8 | 200;
                } else {
                    rgb = bg;
                    int row = (y - titleH + n * 3) / lineH;         // scrolls by 3 px per frame
                    int yIn = (y - titleH + n * 3) % lineH;
                    int col = x / 6, xIn = x % 6;
                    if (x > 8 && x < w * 3 / 4 && yIn >= 2 && yIn < 9 && xIn < 5) {
                        int ch = (row * 31 + col * 7) % 53;
                        if (ch < 40 && glyphBit(ch, xIn, yIn - 2)) {
                            rgb = fg;
                        }
                    } else if (x >= w * 3 / 4 + 8 && x < w - 8 && yIn >= 1 && yIn < lineH - 1 && row % 3 == 0) {
                        rgb = row % 2 == 0 ? 0x2A7AE2 : 0x34A853;           // flat buttons
                    }
                    if (y > h - h / 8) {
                        rgb = ((x / 16 + n) % 5) * 0x203040 + 0x101010;      // icon strip
                    }
                }
                fb.setRgb(x, y, rgb);
            }
        }
        return fb;
    }

    private static boolean glyphBit(int ch, int x, int y) {
        int h = ch * 0x45D9F3B + x * 0x119DE1F3 + y * 0x3C6EF372;
        h ^= h >>> 15;
        h *= 0x2C1B3C6D;
        h ^= h >>> 12;
        return (h & 3) != 0;
    }

    /** A photo-like frame: smooth colour fields and per-pixel noise. */
    static Framebuffer photo(int w, int h, PixelFormat f, int seed) {
        Framebuffer fb = Framebuffer.allocate(w, h, f);
        long s = 0x9E3779B97F4A7C15L * (seed + 1);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                s ^= s << 13;
                s ^= s >>> 7;
                s ^= s << 17;
                int noise = (int) (s & 15) - 8;
                double u = x / (double) w, v = y / (double) h;
                int r = clamp(128 + 90 * Math.sin(6.1 * u + 2.3 * v + seed) + noise);
                int g = clamp(110 + 80 * Math.sin(3.7 * v - 4.2 * u * v) + noise);
                int b = clamp(100 + 70 * Math.cos(5.3 * u * u + 3.1 * v) + noise);
                fb.setRgb(x, y, r << 16 | g << 8 | b);
            }
        }
        return fb;
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, v));
    }

    /** The frame's bytes as they go over the wire uncompressed (client format = device format). */
    static byte[] bytes(Framebuffer fb) {
        byte[] b = new byte[fb.stride() * fb.height()];
        fb.pixels().get(0, b, 0, b.length);
        return b;
    }
}
