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

    /**
     * What the panel shows (0xRRGGBB) for the {@code w} pixels of the line starting at
     * {@code p[line]}, into {@code dst[dOff..]}.
     */
    void decodeLine(byte[] p, int line, int w, int[] dst, int dOff) {
        switch (this) {
            case XRGB8888:
            case ARGB8888:
                for (int i = 0, o = line; i < w; i++, o += 4) {
                    dst[dOff + i] = (p[o + 2] & 0xFF) << 16 | (p[o + 1] & 0xFF) << 8 | (p[o] & 0xFF);
                }
                break;
            case RGB888:
                for (int i = 0, o = line; i < w; i++, o += 3) {
                    dst[dOff + i] = (p[o + 2] & 0xFF) << 16 | (p[o + 1] & 0xFF) << 8 | (p[o] & 0xFF);
                }
                break;
            case RGB565:
                for (int i = 0, o = line; i < w; i++, o += 2) {
                    int v = (p[o] & 0xFF) | (p[o + 1] & 0xFF) << 8;
                    int r = v >> 11 & 0x1F, g = v >> 5 & 0x3F, b = v & 0x1F;
                    dst[dOff + i] = (r << 3 | r >> 2) << 16 | (g << 2 | g >> 4) << 8 | (b << 3 | b >> 2);
                }
                break;
            case RGB332:
                for (int i = 0; i < w; i++) {
                    int v = p[line + i] & 0xFF;
                    int r = v >> 5, g = v >> 2 & 7, b = v & 3;
                    dst[dOff + i] = (r << 5 | r << 2 | r >> 1) << 16 | (g << 5 | g << 2 | g >> 1) << 8 | b * 0x55;
                }
                break;
            case R8:
                for (int i = 0; i < w; i++) {
                    dst[dOff + i] = (p[line + i] & 0xFF) * 0x010101;
                }
                break;
            case XRGB1111:
                for (int i = 0; i < w; i++) {
                    int v = (p[line + i / 2] & 0xFF) >> ((i & 1) == 0 ? 4 : 0);
                    dst[dOff + i] = (v >> 2 & 1) * 0xFF0000 | (v >> 1 & 1) * 0xFF00 | (v & 1) * 0xFF;
                }
                break;
            case R1:
                for (int i = 0; i < w; i++) {
                    dst[dOff + i] = (p[line + i / 8] & (0x80 >> (i & 7))) != 0 ? 0xFFFFFF : 0;
                }
                break;
            default:
                throw new AssertionError(this);
        }
    }
}
