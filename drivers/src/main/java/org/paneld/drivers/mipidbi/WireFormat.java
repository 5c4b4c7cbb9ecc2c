package org.paneld.drivers.mipidbi;

import java.nio.ByteBuffer;
import org.paneld.drivers.pixel.Framebuffer;
import org.paneld.drivers.pixel.PixelFormat;

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

    /**
     * Converts {@code n} pixels of {@code src} starting at {@code x, y} (one row) into
     * {@code dst} at {@code off}; returns the bytes written.
     */
    public int pack(Framebuffer src, int x, int y, int n, byte[] dst, int off) {
        ByteBuffer b = src.pixels();
        int s = src.offset(x, y);
        int d = off;
        PixelFormat f = src.format();
        if (f == PixelFormat.XRGB8888) {
            switch (this) {
                case RGB565_BE:
                    for (int i = 0; i < n; i++, s += 4) {
                        int v = b.getInt(s);
                        int p = (v >> 8 & 0xF800) | (v >> 5 & 0x07E0) | (v >> 3 & 0x001F);
                        dst[d++] = (byte) (p >> 8);
                        dst[d++] = (byte) p;
                    }
                    break;
                case RGB666:
                    for (int i = 0; i < n; i++, s += 4) {
                        int v = b.getInt(s);
                        dst[d++] = (byte) (v >> 16);
                        dst[d++] = (byte) (v >> 8);
                        dst[d++] = (byte) v;
                    }
                    break;
                default:
                    for (int i = 0; i < n; i++, s += 4) {
                        int v = b.getInt(s);
                        dst[d++] = (byte) v;
                        dst[d++] = (byte) (v >> 8);
                        dst[d++] = (byte) (v >> 16);
                    }
                    break;
            }
        } else if (f == PixelFormat.RGB565) {
            switch (this) {
                case RGB565_BE:
                    for (int i = 0; i < n; i++, s += 2) {
                        dst[d++] = b.get(s + 1);
                        dst[d++] = b.get(s);
                    }
                    break;
                case RGB666:
                    for (int i = 0; i < n; i++, s += 2) {
                        int v = org.paneld.drivers.pixel.Rgb.from565(b.getShort(s) & 0xFFFF);
                        dst[d++] = (byte) (v >> 16);
                        dst[d++] = (byte) (v >> 8);
                        dst[d++] = (byte) v;
                    }
                    break;
                default:
                    for (int i = 0; i < n; i++, s += 2) {
                        int v = org.paneld.drivers.pixel.Rgb.from565(b.getShort(s) & 0xFFFF);
                        dst[d++] = (byte) v;
                        dst[d++] = (byte) (v >> 8);
                        dst[d++] = (byte) (v >> 16);
                    }
                    break;
            }
        } else {
            throw new IllegalArgumentException("cannot flush from a " + f + " framebuffer (XRGB8888 or RGB565)");
        }
        return d - off;
    }
}
