package org.paneld.drivers.testkit;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.paneld.drivers.pixel.Framebuffer;
import org.paneld.drivers.pixel.PixelFormat;

/**
 * Test oracles for pixels, restated from their definitions so that no test judges production
 * code with production code: the Linux kernel's conversion formulas (drivers/gpu/drm/
 * drm_format_helper.c and drm_format_internal.h), the DRM fourcc memory layouts, and the MIPI DBI
 * controllers' and the ST7586's pixel formats (st7586.c). Never calls {@code pixel.Convert},
 * {@code pixel.Rgb}, {@code Framebuffer.rgb/setRgb} or a driver's converter. Stateless; test
 * scope.
 */
public final class PixelOracle {
    private PixelOracle() {
    }

    // ------------------------------------------------------------------ the kernel's formulas

    /** drm_pixel_xrgb8888_to_rgb565: truncation to 5-6-5. */
    public static int xrgb8888ToRgb565(int pix) {
        return ((pix & 0x00F80000) >> 8) | ((pix & 0x0000FC00) >> 5) | ((pix & 0x000000F8) >> 3);
    }

    /** drm_fb_rgb565_to_xrgb8888_line: each channel widened by repeating its top bits (alpha dropped). */
    public static int rgb565ToXrgb8888(int val) {
        return ((val & 0xF800) << 8) | ((val & 0xE000) << 3)
                | ((val & 0x07E0) << 5) | ((val & 0x0600) >> 1)
                | ((val & 0x001F) << 3) | ((val & 0x001C) >> 2);
    }

    /** drm_fb_xrgb8888_to_rgb888_line: three bytes in memory order B, G, R (DRM_FORMAT_RGB888, little-endian). */
    public static byte[] xrgb8888ToRgb888(int pix) {
        return new byte[] {(byte) pix, (byte) (pix >> 8), (byte) (pix >> 16)};
    }

    /** Red and blue swapped (what a BGR colour order does to 0xRRGGBB). */
    public static int swapRedBlue(int rgb) {
        return (rgb & 0x00FF00) | (rgb >> 16 & 0xFF) | (rgb & 0xFF) << 16;
    }

    /**
     * drm_pixel_xrgb8888_to_r8_bt601 (drm_format_internal.h since mid-2025), the grey of
     * drm_fb_xrgb8888_to_gray8 and so of R8, R1 and the mono/grey tiny drivers: ITU-R BT.601
     * weights normalised to 256, {@code (77 * r + 150 * g + 29 * b) / 256} (unsigned, no rounding
     * offset).
     */
    public static int xrgb8888ToR8Bt601(int pix) {
        int r = (pix & 0x00FF0000) >> 16, g = (pix & 0x0000FF00) >> 8, b = pix & 0x000000FF;
        return (77 * r + 150 * g + 29 * b) / 256;
    }

    /** drm_fb_gray8_to_mono_line / repaper_gray8_to_mono_reversed: a pixel is white when its grey's top bit is set. */
    public static boolean monoWhite(int gray8) {
        return (gray8 >> 7) != 0;
    }

    // ------------------------------------------------------------------ ST7586 (st7586.c)

    /** st7586_xrgb8888_to_gray332: the 2-bit level is {@code gray8 >> 6} (0 black, 1 dark, 2 light, 3 white). */
    public static int st7586Level(int gray8) {
        return gray8 >> 6;
    }

    /** st7586_lookup: the 3-bit DDRAM code of a level (black 111, dark grey 100, light grey 010, white 000). */
    public static int st7586Code(int level) {
        return new int[] {0x7, 0x4, 0x2, 0x0}[level];
    }

    /** st7586_xrgb8888_to_gray332's byte of three levels: code0 in D7-D5, code1 in D4-D2, code2's top two bits in D1-D0. */
    public static int st7586Byte(int level0, int level1, int level2) {
        return st7586Code(level0) << 5 | st7586Code(level1) << 2 | st7586Code(level2) >> 1;
    }

    /** What the EV3's glass shows for a level, as 0xRRGGBB: four evenly spaced greys, 0x000000 to 0xFFFFFF. */
    public static int st7586Shown(int level) {
        int v = level * 255 / 3;
        return v << 16 | v << 8 | v;
    }

    // ------------------------------------------------------------------ the DBI wire and the glass

    /** A 16-bit DBI pixel on the wire (COLMOD 0x55): the RGB565 word, high byte first. */
    public static byte[] rgb565Be(int word) {
        return new byte[] {(byte) (word >> 8), (byte) word};
    }

    /** An 18-bit DBI pixel on the wire (COLMOD 0x66): bytes R, G, B, each colour in bits 7..2. */
    public static byte[] rgb666(int rgb) {
        return new byte[] {(byte) (rgb >> 16 & 0xFC), (byte) (rgb >> 8 & 0xFC), (byte) (rgb & 0xFC)};
    }

    /** What the glass shows for a 16-bit pixel: 5-6-5 widened to 8 bits by bit replication. */
    public static int shown565(int word) {
        return rgb565ToXrgb8888(word) & 0xFFFFFF;
    }

    /** What the glass shows for an 18-bit pixel of 0xRRGGBB: each channel's top six bits, replicated. */
    public static int shown666(int rgb) {
        int r = rgb >> 16 & 0xFC, g = rgb >> 8 & 0xFC, b = rgb & 0xFC;
        return (r | r >> 6) << 16 | (g | g >> 6) << 8 | (b | b >> 6);
    }

    /** What a 16-bit panel shows for a client's XRGB8888 colour (the kernel's truncation, then the glass). */
    public static int shown565FromXrgb(int rgb) {
        return shown565(xrgb8888ToRgb565(rgb));
    }

    // ------------------------------------------------------------------ client buffers (DRM fourcc layouts)

    /**
     * Pixel {@code x, y} of a client buffer as 0xRRGGBB, read from its bytes by the format's
     * definition: XRGB8888 a little-endian word (X ignored); RGB565 a little-endian 5-6-5 word
     * widened as drm_fb_rgb565_to_xrgb8888 does; R8 the grey in all three channels.
     */
    public static int source(Framebuffer fb, int x, int y) {
        ByteBuffer b = fb.pixels();
        switch (fb.format()) {
            case XRGB8888: {
                int o = y * fb.stride() + x * 4;
                return (b.get(o + 2) & 0xFF) << 16 | (b.get(o + 1) & 0xFF) << 8 | (b.get(o) & 0xFF);
            }
            case RGB565: {
                int o = y * fb.stride() + x * 2;
                return rgb565ToXrgb8888((b.get(o + 1) & 0xFF) << 8 | (b.get(o) & 0xFF)) & 0xFFFFFF;
            }
            case R8: {
                int v = b.get(y * fb.stride() + x) & 0xFF;
                return v << 16 | v << 8 | v;
            }
            default:
                throw new IllegalArgumentException("no oracle for client format " + fb.format());
        }
    }

    /**
     * The 8-bit grey of pixel {@code x, y} of a client buffer: an R8 byte as it is, anything else
     * read with {@link #source} and through {@link #xrgb8888ToR8Bt601}.
     */
    public static int grey(Framebuffer fb, int x, int y) {
        if (fb.format() == PixelFormat.R8) {
            return fb.pixels().get(y * fb.stride() + x) & 0xFF;
        }
        return xrgb8888ToR8Bt601(source(fb, x, y));
    }

    /**
     * Writes 0xRRGGBB into pixel {@code x, y} of a client buffer by the format's definition:
     * XRGB8888 as bytes B, G, R, X (X = 0); RGB565 as the little-endian 5-6-5 word the kernel's
     * truncation makes; R8 as the BT.601 grey byte.
     */
    public static void put(Framebuffer fb, int x, int y, int rgb) {
        ByteBuffer b = fb.pixels().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        switch (fb.format()) {
            case XRGB8888: {
                int o = y * fb.stride() + x * 4;
                b.put(o, (byte) rgb).put(o + 1, (byte) (rgb >> 8)).put(o + 2, (byte) (rgb >> 16)).put(o + 3, (byte) 0);
                break;
            }
            case RGB565: {
                int o = y * fb.stride() + x * 2;
                int w = xrgb8888ToRgb565(rgb);
                b.put(o, (byte) w).put(o + 1, (byte) (w >> 8));
                break;
            }
            case R8:
                b.put(y * fb.stride() + x, (byte) xrgb8888ToR8Bt601(rgb));
                break;
            default:
                throw new IllegalArgumentException("no oracle for client format " + fb.format());
        }
    }

    /**
     * What a panel fed by the kernel's conversions shows for pixel {@code x, y} of a client
     * buffer, read from its bytes: on a 16-bit wire XRGB8888 truncates to RGB565 and RGB565 goes
     * as it is; on an 18-bit wire RGB565 is widened to XRGB8888 first; then the glass's widening.
     * The panel-mipi-dbi B,G,R byte order shows the same colours (its MADCTL BGR undoes it).
     */
    public static int shown(Framebuffer fb, int x, int y, boolean eighteenBit) {
        ByteBuffer b = fb.pixels();
        switch (fb.format()) {
            case XRGB8888: {
                int o = y * fb.stride() + x * 4;
                int rgb = (b.get(o + 2) & 0xFF) << 16 | (b.get(o + 1) & 0xFF) << 8 | (b.get(o) & 0xFF);
                return eighteenBit ? shown666(rgb) : shown565FromXrgb(rgb);
            }
            case RGB565: {
                int o = y * fb.stride() + x * 2;
                int word = (b.get(o + 1) & 0xFF) << 8 | (b.get(o) & 0xFF);
                return eighteenBit ? shown666(rgb565ToXrgb8888(word)) : shown565(word);
            }
            default:
                throw new IllegalArgumentException("no oracle for client format " + fb.format());
        }
    }
}
