package org.paneld.drivers.gud;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Locale;
import org.paneld.drivers.pixel.Framebuffer;
import org.paneld.drivers.pixel.PixelFormat;
import org.paneld.drivers.pixel.Rgb;

/**
 * GUD pixel formats (include/drm/gud.h) and the host-side conversion from a client buffer
 * (XRGB8888 or RGB565) into the device's wire layout. Layouts are DRM's, little-endian:
 * XRGB8888/ARGB8888 bytes B,G,R,X/A; RGB888 bytes B,G,R; RGB565 a little-endian word; RGB332
 * one byte RRRGGGBB; XRGB1111 two pixels per byte, the left one in the high nibble (0RGB);
 * R8 one grey byte; R1 eight pixels per byte, the leftmost in the most significant bit.
 *
 * <p>Grey and monochrome conversions use {@link Rgb#luma} (the kernel's BT.601 gray8 weights); R1 and
 * XRGB1111 threshold each channel/luma at 128 (the top bit), as the kernel's gud_pipe.c does —
 * no dithering, so the result is exact and predictable. Immutable; any thread.
 */
public enum GudFormat {
    R1(0x01, 1, "MONO"),
    R8(0x08, 8, "GREY8"),
    XRGB1111(0x20, 4, "RGB111"),
    RGB332(0x30, 8, "RGB332"),
    RGB565(0x40, 16, "RGB565"),
    RGB888(0x50, 24, "RGB888"),
    XRGB8888(0x80, 32, "XRGB8888"),
    ARGB8888(0x81, 32, "XRGB8888");

    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORT_LE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    private final int code;
    private final int bitsPerPixel;
    private final String panelFormat;

    GudFormat(int code, int bitsPerPixel, String panelFormat) {
        this.code = code;
        this.bitsPerPixel = bitsPerPixel;
        this.panelFormat = panelFormat;
    }

    /** The GUD_PIXEL_FORMAT_* byte. */
    public int code() {
        return code;
    }

    public int bitsPerPixel() {
        return bitsPerPixel;
    }

    /** What {@link org.paneld.drivers.display.DisplayInfo#panelFormat()} says for a panel fed this format. */
    public String panelFormat() {
        return panelFormat;
    }

    /** Pixels per byte for sub-byte formats (8 for R1, 2 for XRGB1111), else 1: x positions are aligned down to it. */
    public int pixelsPerByte() {
        return bitsPerPixel < 8 ? 8 / bitsPerPixel : 1;
    }

    /** Bytes of one packed line of {@code width} pixels. */
    public int lineBytes(int width) {
        return (int) (((long) width * bitsPerPixel + 7) / 8);
    }

    /** The format with GUD code {@code code}, or null for codes this host does not know. */
    public static GudFormat ofCode(int code) {
        for (GudFormat f : values()) {
            if (f.code == code) {
                return f;
            }
        }
        return null;
    }

    /** Parses a name case-insensitively ("rgb565"); IllegalArgumentException naming the choices. */
    public static GudFormat parse(String name) {
        for (GudFormat f : values()) {
            if (f.name().equalsIgnoreCase(name.trim())) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown GUD pixel format '" + name + "' (known: "
                + java.util.Arrays.toString(values()).toLowerCase(Locale.ROOT) + ")");
    }

    /** The GUD format that carries {@code client} unchanged, if any. */
    public static GudFormat of(PixelFormat client) {
        switch (client) {
            case XRGB8888: return XRGB8888;
            case RGB565: return RGB565;
            case R8: return R8;
            default: return null;
        }
    }

    /**
     * Converts the rectangle {@code x, y, w x h} of {@code src} into packed lines of this format
     * at {@code dst[off]}; {@code x} must be aligned to {@link #pixelsPerByte()}. Returns the
     * number of bytes written ({@code lineBytes(w) * h}). {@code line} is scratch space of at
     * least {@code w * 4} bytes.
     */
    public int convert(Framebuffer src, int x, int y, int w, int h, byte[] dst, int off, byte[] line) {
        PixelFormat sf = src.format();
        int lineOut = lineBytes(w);
        int srcLine = (int) sf.lineBytes(w);
        GudFormat same = of(sf);
        for (int row = 0; row < h; row++) {
            int so = src.offset(x, y + row);
            int dOff = off + row * lineOut;
            if (same == this) {
                src.pixels().get(so, dst, dOff, lineOut);
                continue;
            }
            src.pixels().get(so, line, 0, srcLine);
            switch (sf) {
                case XRGB8888:
                    fromXrgb(line, w, dst, dOff);
                    break;
                case RGB565:
                    from565(line, w, dst, dOff);
                    break;
                default:
                    for (int i = 0; i < w; i++) {
                        put(dst, dOff, i, src.rgb(x + i, y + row));
                    }
                    break;
            }
        }
        return lineOut * h;
    }

    /**
     * What a panel fed this format shows for the {@code w} pixels of the packed line at
     * {@code p[off]}, as 0xRRGGBB into {@code dst[dOff..]}: the inverse of {@link #convert} as the
     * device shows it, channels of fewer than 8 bits widened by bit replication (RGB565, RGB332),
     * XRGB1111 and R1 full on or off, R8 a grey. Used for the live view's picture of the shadow.
     */
    public void toRgb(byte[] p, int off, int w, int[] dst, int dOff) {
        for (int i = 0; i < w; i++) {
            int v;
            switch (this) {
                case XRGB8888:
                case ARGB8888:
                    v = (int) INT_LE.get(p, off + i * 4) & 0xFFFFFF;
                    break;
                case RGB888:
                    v = (p[off + i * 3 + 2] & 0xFF) << 16 | (p[off + i * 3 + 1] & 0xFF) << 8 | (p[off + i * 3] & 0xFF);
                    break;
                case RGB565:
                    v = Rgb.from565((short) SHORT_LE.get(p, off + i * 2) & 0xFFFF);
                    break;
                case RGB332: {
                    int b8 = p[off + i] & 0xFF, r = b8 >> 5, g = b8 >> 2 & 7, b = b8 & 3;
                    v = (r << 5 | r << 2 | r >> 1) << 16 | (g << 5 | g << 2 | g >> 1) << 8 | b * 0x55;
                    break;
                }
                case R8:
                    v = (p[off + i] & 0xFF) * 0x010101;
                    break;
                case XRGB1111: {
                    int nib = (p[off + i / 2] & 0xFF) >> ((i & 1) == 0 ? 4 : 0);
                    v = (nib >> 2 & 1) * 0xFF0000 | (nib >> 1 & 1) * 0xFF00 | (nib & 1) * 0xFF;
                    break;
                }
                case R1:
                    v = (p[off + i / 8] & 0x80 >> (i & 7)) != 0 ? 0xFFFFFF : 0;
                    break;
                default:
                    throw new AssertionError(this);
            }
            dst[dOff + i] = v;
        }
    }

    private void fromXrgb(byte[] line, int w, byte[] dst, int dOff) {
        switch (this) {
            case ARGB8888:
            case XRGB8888:
                for (int i = 0; i < w; i++) {
                    int v = (int) INT_LE.get(line, i * 4);
                    INT_LE.set(dst, dOff + i * 4, this == ARGB8888 ? v | 0xFF000000 : v & 0xFFFFFF);
                }
                break;
            case RGB565:
                for (int i = 0; i < w; i++) {
                    SHORT_LE.set(dst, dOff + i * 2, (short) Rgb.to565((int) INT_LE.get(line, i * 4)));
                }
                break;
            default:
                for (int i = 0; i < w; i++) {
                    put(dst, dOff, i, (int) INT_LE.get(line, i * 4) & 0xFFFFFF);
                }
                break;
        }
    }

    private void from565(byte[] line, int w, byte[] dst, int dOff) {
        for (int i = 0; i < w; i++) {
            put(dst, dOff, i, Rgb.from565((short) SHORT_LE.get(line, i * 2) & 0xFFFF));
        }
    }

    /** Stores pixel {@code i} of a line starting at {@code dOff} from 0xRRGGBB (sub-byte formats OR into zeroed bytes). */
    private void put(byte[] dst, int dOff, int i, int rgb) {
        int r = rgb >> 16 & 0xFF, g = rgb >> 8 & 0xFF, b = rgb & 0xFF;
        switch (this) {
            case XRGB8888:
                INT_LE.set(dst, dOff + i * 4, rgb & 0xFFFFFF);
                break;
            case ARGB8888:
                INT_LE.set(dst, dOff + i * 4, rgb | 0xFF000000);
                break;
            case RGB888:
                dst[dOff + i * 3] = (byte) b;
                dst[dOff + i * 3 + 1] = (byte) g;
                dst[dOff + i * 3 + 2] = (byte) r;
                break;
            case RGB565:
                SHORT_LE.set(dst, dOff + i * 2, (short) Rgb.to565(rgb));
                break;
            case RGB332:
                dst[dOff + i] = (byte) ((r >> 5) << 5 | (g >> 5) << 2 | b >> 6);
                break;
            case R8:
                dst[dOff + i] = (byte) Rgb.luma(rgb);
                break;
            case XRGB1111: {
                int nib = (r >> 7) << 2 | (g >> 7) << 1 | b >> 7;
                int idx = dOff + i / 2;
                if ((i & 1) == 0) {
                    dst[idx] = (byte) (nib << 4);
                } else {
                    dst[idx] |= (byte) nib;
                }
                break;
            }
            case R1: {
                int idx = dOff + i / 8;
                if ((i & 7) == 0) {
                    dst[idx] = 0;
                }
                if (Rgb.luma(rgb) >= 128) {
                    dst[idx] |= (byte) (0x80 >> (i & 7));
                }
                break;
            }
            default:
                throw new AssertionError(this);
        }
    }
}
