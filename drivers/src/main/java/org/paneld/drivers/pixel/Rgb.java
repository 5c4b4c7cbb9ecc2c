package org.paneld.drivers.pixel;

/** Scalar colour helpers on 0xRRGGBB values. Stateless; any thread. */
public final class Rgb {
    private Rgb() {
    }

    /** 0xRRGGBB to an RGB565 word (truncation, as DRM's conversion helpers do). */
    public static int to565(int rgb) {
        return (rgb >> 8 & 0xF800) | (rgb >> 5 & 0x07E0) | (rgb >> 3 & 0x001F);
    }

    /** An RGB565 word to 0xRRGGBB, expanding each channel by bit replication. */
    public static int from565(int v) {
        int r = v >> 11 & 0x1F, g = v >> 5 & 0x3F, b = v & 0x1F;
        return (r << 3 | r >> 2) << 16 | (g << 2 | g >> 4) << 8 | (b << 3 | b >> 2);
    }

    /** What a 16-bit panel shows for 0xRRGGBB: the colour quantised to RGB565 and expanded back. */
    public static int quantize565(int rgb) {
        return from565(to565(rgb));
    }

    /** What an 18-bit panel shows for 0xRRGGBB: each channel cut to 6 bits and expanded back. */
    public static int quantize666(int rgb) {
        int r = rgb >> 16 & 0xFC, g = rgb >> 8 & 0xFC, b = rgb & 0xFC;
        return (r | r >> 6) << 16 | (g | g >> 6) << 8 | (b | b >> 6);
    }

    /**
     * Grey level 0..255 of 0xRRGGBB as current kernels compute it for R8/R1
     * (drm_format_internal.h, drm_pixel_xrgb8888_to_r8_bt601 since mid-2025): BT.601 weights
     * normalised to 256, {@code (77 r + 150 g + 29 b) >> 8}.
     */
    public static int luma(int rgb) {
        return luma(rgb >> 16 & 0xFF, rgb >> 8 & 0xFF, rgb & 0xFF);
    }

    /** {@link #luma(int)} of the channels {@code r, g, b} (each 0..255). */
    public static int luma(int r, int g, int b) {
        return (77 * r + 150 * g + 29 * b) >> 8;
    }
}
