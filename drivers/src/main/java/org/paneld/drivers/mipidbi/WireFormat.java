package org.paneld.drivers.mipidbi;

import org.paneld.drivers.pixel.Convert;
import org.paneld.drivers.pixel.Framebuffer;
import org.paneld.drivers.pixel.PixelFormat;
import org.paneld.drivers.pixel.Rect;

/**
 * How pixels travel on a MIPI DBI bus after RAMWR, and the conversion of client pixels
 * (XRGB8888, RGB565 little-endian) into it, a row segment at a time. Stateless; any thread.
 */
public enum WireFormat {
    /** 16 bits big-endian RGB565 (COLMOD 0x55). */
    RGB565_BE(2, "RGB565"),
    /** 18 bits as three bytes R, G, B, six significant bits each (COLMOD 0x66). */
    RGB666(3, "RGB666"),
    /** panel-mipi-dbi's b6x2g6x2r6x2: three bytes B, G, R (DRM_FORMAT_RGB888 in memory order). */
    BGR666(3, "RGB666");

    private final int bytesPerPixel;
    private final String panelFormat;

    WireFormat(int bytesPerPixel, String panelFormat) {
        this.bytesPerPixel = bytesPerPixel;
        this.panelFormat = panelFormat;
    }

    public int bytesPerPixel() {
        return bytesPerPixel;
    }

    /** The DisplayInfo panel format name ("RGB565" or "RGB666"). */
    public String panelFormat() {
        return panelFormat;
    }

    /** What the panel shows for 0xRRGGBB. */
    public int quantize(int rgb) {
        return this == RGB565_BE ? org.paneld.drivers.pixel.Rgb.quantize565(rgb)
                : org.paneld.drivers.pixel.Rgb.quantize666(rgb);
    }

    /** What the panel shows (0xRRGGBB) for the pixel whose wire bytes start at {@code b[off]}. */
    public int unpack(byte[] b, int off) {
        switch (this) {
            case RGB565_BE:
                return org.paneld.drivers.pixel.Rgb.from565((b[off] & 0xFF) << 8 | b[off + 1] & 0xFF);
            case RGB666:
                return expand6(b[off]) << 16 | expand6(b[off + 1]) << 8 | expand6(b[off + 2]);
            default:
                return expand6(b[off + 2]) << 16 | expand6(b[off + 1]) << 8 | expand6(b[off]);
        }
    }

    /** The controller's 6 significant bits of a channel byte, expanded back to 8 (as {@link #quantize}). */
    private static int expand6(byte v) {
        int c = v & 0xFC;
        return c | c >> 6;
    }

    /**
     * Converts {@code n} pixels of {@code src} starting at {@code x, y} (one row) into
     * {@code dst} at {@code off}; returns the bytes written. Uses {@link Convert} (its fast path
     * for XRGB8888/RGB565 to RGB565 big-endian).
     */
    public int pack(Framebuffer src, int x, int y, int n, byte[] dst, int off) {
        Rect row = new Rect(x, y, n, 1);
        switch (this) {
            case RGB565_BE:
                return Convert.convert(src, row, PixelFormat.RGB565_BE, dst, off);
            case RGB666:
                return Convert.convert(src, row, 0, PixelFormat.RGB666, false, dst, off);
            default:
                return Convert.convert(src, row, 0, PixelFormat.RGB666, true, dst, off);
        }
    }
}
