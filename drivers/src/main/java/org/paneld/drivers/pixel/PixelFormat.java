package org.paneld.drivers.pixel;

/**
 * Pixel formats of client buffers and of panels. Memory layouts follow DRM's fourcc codes:
 * multi-byte pixels are little-endian words, so XRGB8888 is the bytes B, G, R, X in memory and
 * RGB565 is a little-endian 16-bit word {@code RRRRRGGG GGGBBBBB}. Panel-side wire formats that
 * differ (big-endian RGB565 on a MIPI DBI bus, 18-bit RGB666) are named explicitly.
 * Immutable; any thread.
 */
public enum PixelFormat {
    /** 32 bits, little-endian word 0xXXRRGGBB: bytes B, G, R, X. The usual client format. */
    XRGB8888(4),
    /** 16 bits, little-endian word RRRRRGGGGGGBBBBB. */
    RGB565(2),
    /** 8-bit grey (DRM R8): one byte per pixel, 0 black, 255 white. */
    R8(1),
    /** 16 bits big-endian (high byte first): what a MIPI DBI controller in 16-bit mode takes on the wire. */
    RGB565_BE(2),
    /** 18 bits in three bytes R, G, B, each colour in the top 6 bits (MIPI DBI COLMOD 0x66). */
    RGB666(3),
    /** 24 bits in three bytes R, G, B. */
    RGB888(3),
    /** 1 bit per pixel, 8 pixels per byte, most significant bit first; 1 = white (DRM R1 / GUD). */
    R1(0);

    private final int bytesPerPixel;

    PixelFormat(int bytesPerPixel) {
        this.bytesPerPixel = bytesPerPixel;
    }

    /** Bytes per pixel; 0 for sub-byte formats (R1), whose lines are {@code ceil(width / 8)} bytes. */
    public int bytesPerPixel() {
        return bytesPerPixel;
    }

    /** Bytes of one tightly packed line of {@code width} pixels. */
    public long lineBytes(int width) {
        return this == R1 ? (width + 7L) / 8 : (long) width * bytesPerPixel;
    }

    /** The formats a client may use for its buffers. */
    public boolean isClientFormat() {
        return this == XRGB8888 || this == RGB565;
    }

    /** Parses a name case-insensitively ("xrgb8888", "RGB565"); throws IllegalArgumentException naming the choices. */
    public static PixelFormat parse(String name) {
        for (PixelFormat f : values()) {
            if (f.name().equalsIgnoreCase(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown pixel format '" + name + "' (known: "
                + java.util.Arrays.toString(values()) + ")");
    }
}
