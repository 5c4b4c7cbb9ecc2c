package org.paneld.drivers.virtual;

import java.util.Arrays;
import java.util.Locale;

/**
 * The pixel formats the emulated GUD device can take (GUD_PIXEL_FORMAT_* of include/drm/gud.h),
 * their buffer lengths (gud-pico's gud_get_buffer_length) and how a panel shows one pixel of
 * each, decoded from the formats' DRM definitions: XRGB8888/ARGB8888 bytes B,G,R,X (little-endian
 * word), RGB888 bytes B,G,R, RGB565 a little-endian word RRRRRGGGGGGBBBBB, RGB332 one byte
 * RRRGGGBB, XRGB1111 two pixels a byte with the left one in the high nibble (0RGB), R8 one grey
 * byte, R1 eight pixels a byte with the leftmost in the most significant bit. Channels of fewer
 * than 8 bits are shown expanded by bit replication (what a panel's DAC does with the top bits).
 * Immutable; any thread.
 */
public enum VirtualGudFormat {
    R1(0x01, 1),
    R8(0x08, 8),
    XRGB1111(0x20, 4),
    RGB332(0x30, 8),
    RGB565(0x40, 16),
    RGB888(0x50, 24),
    XRGB8888(0x80, 32),
    ARGB8888(0x81, 32);

    private final int code;
    private final int bits;

    VirtualGudFormat(int code, int bits) {
        this.code = code;
        this.bits = bits;
    }

    /** The GUD_PIXEL_FORMAT_* byte. */
    public int code() {
        return code;
    }

    /** Bytes of one line of {@code width} pixels (a started byte counts whole). */
    public long lineBytes(long width) {
        return (width * bits + 7) / 8;
    }

    /** gud_get_buffer_length: the bytes of a {@code width x height} rectangle, 0 when empty. */
    public long bufferLength(long width, long height) {
        return width == 0 || height == 0 ? 0 : lineBytes(width) * height;
    }

    public static VirtualGudFormat ofCode(int code) {
        for (VirtualGudFormat f : values()) {
            if (f.code == code) {
                return f;
            }
        }
        return null;
    }

    /** Parses a name case-insensitively ("rgb565"); IllegalArgumentException naming the choices. */
    public static VirtualGudFormat parse(String name) {
        for (VirtualGudFormat f : values()) {
            if (f.name().equalsIgnoreCase(name.trim())) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown GUD pixel format '" + name + "' (known: "
                + Arrays.toString(values()).toLowerCase(Locale.ROOT) + ")");
    }

    /** What the panel shows (0xRRGGBB) for pixel {@code i} of the line starting at {@code p[line]}. */
    int shown(byte[] p, int line, int i) {
        switch (this) {
            case XRGB8888:
            case ARGB8888: {
                int o = line + 4 * i;
                return (p[o + 2] & 0xFF) << 16 | (p[o + 1] & 0xFF) << 8 | (p[o] & 0xFF);
            }
            case RGB888: {
                int o = line + 3 * i;
                return (p[o + 2] & 0xFF) << 16 | (p[o + 1] & 0xFF) << 8 | (p[o] & 0xFF);
            }
            case RGB565: {
                int o = line + 2 * i;
                int v = (p[o] & 0xFF) | (p[o + 1] & 0xFF) << 8;
                return widen(v >> 11 & 0x1F, 5) << 16 | widen(v >> 5 & 0x3F, 6) << 8 | widen(v & 0x1F, 5);
            }
            case RGB332: {
                int v = p[line + i] & 0xFF;
                return widen(v >> 5, 3) << 16 | widen(v >> 2 & 7, 3) << 8 | widen(v & 3, 2);
            }
            case R8: {
                int y = p[line + i] & 0xFF;
                return y << 16 | y << 8 | y;
            }
            case XRGB1111: {
                int v = (p[line + i / 2] & 0xFF) >> ((i & 1) == 0 ? 4 : 0);
                return (v & 4) * 0x3FC000 | (v & 2) * 0x7F80 | (v & 1) * 0xFF;
            }
            case R1:
                return (p[line + i / 8] & (0x80 >> (i & 7))) != 0 ? 0xFFFFFF : 0;
            default:
                throw new AssertionError(this);
        }
    }

    /** Expands an {@code n}-bit channel to 8 bits by repeating its bits. */
    private static int widen(int v, int n) {
        int out = 0;
        for (int shift = 8 - n; shift > -n; shift -= n) {
            out |= shift >= 0 ? v << shift : v >> -shift;
        }
        return out & 0xFF;
    }
}
