package org.paneld.drivers.pixel;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Pixel conversion from a client {@link Framebuffer} (XRGB8888 or RGB565) to the bytes a panel
 * takes on its wire: {@link PixelFormat#RGB565_BE} (2 bytes, high byte first),
 * {@link PixelFormat#RGB565} (little-endian), {@link PixelFormat#RGB666} (3 bytes R, G, B with each
 * colour in the top 6 bits, the low 2 bits zero — what a MIPI DBI controller with COLMOD 0x66
 * reads) and {@link PixelFormat#RGB888} (3 bytes R, G, B). With {@code swapRedBlue} the red and
 * blue channels trade places (the 3-byte formats then go out B, G, R). The kernel's 18-bit path
 * (panel-mipi-dbi's {@code b6x2g6x2r6x2}) is DRM_FORMAT_RGB888 through drm_fb_xrgb8888_to_rgb888,
 * i.e. bytes B, G, R with all 8 bits of each: here {@code RGB888} with {@code swapRedBlue}, which is
 * byte-identical on the wire; the controller reads the top 6 bits of each byte.
 *
 * <p>The rectangle's pixels are written row by row, tightly packed. With a {@code rotation} of
 * 90, 180 or 270 the output is the rectangle as it appears in the source image rotated by that
 * many degrees <em>counter-clockwise</em> (the DRM convention, and the one
 * {@code VirtualDbiPanel.snapshot(int)} uses): for 90 the rectangle's rightmost column becomes the
 * first output row. {@link #rotate(Rect, int, int, int)} says where that rectangle lands in the
 * rotated frame. Drivers use this for software rotation on controllers that cannot rotate with
 * MADCTL.
 *
 * <p>Colour rules: XRGB8888 is truncated (as DRM's drm_fb_xrgb8888_to_rgb565 does); an RGB565
 * source is expanded by bit replication ({@link Rgb#from565}) before it is cut to 6 or kept at 8
 * bits; RGB565 to RGB565_BE is an exact byte swap.
 *
 * <p>Stateless; any thread. The hot path (XRGB8888 to RGB565_BE, no rotation, heap buffers) runs
 * SIMD rows through the Vector API when available ({@link #VECTORIZED}), else reads four source
 * pixels per step through a byte-array view {@link VarHandle} and writes big-endian words — no
 * per-pixel virtual calls or buffer bounds checks either way.
 */
public final class Convert {
    private static final VarHandle LONG_LE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_LE =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_BE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle SHORT_LE =
            MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORT_BE =
            MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);

    /**
     * True when the XRGB8888 to RGB565_BE path uses SIMD ({@link VectorConvert}): the JVM has
     * {@code jdk.incubator.vector} (started with {@code --add-modules jdk.incubator.vector}), the
     * CPU has 256-bit or wider vectors, and {@code -Dpaneld.convert.scalar=true} is not set.
     */
    public static final boolean VECTORIZED = vectorUsable();

    private Convert() {
    }

    private static boolean vectorUsable() {
        if (Boolean.getBoolean("paneld.convert.scalar")
                || ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return false;
        }
        try {
            return VectorConvert.usable();
        } catch (LinkageError e) {
            return false;
        }
    }

    /** Bytes per pixel of a conversion target; IllegalArgumentException for formats this class cannot write. */
    public static int bytesPerPixel(PixelFormat target) {
        switch (Objects.requireNonNull(target, "target")) {
            case RGB565_BE:
            case RGB565:
                return 2;
            case RGB666:
            case RGB888:
                return 3;
            default:
                throw new IllegalArgumentException("cannot convert to " + target
                        + " (targets: RGB565_BE, RGB565, RGB666, RGB888)");
        }
    }

    /** Bytes the conversion of {@code rect} to {@code target} produces. */
    public static int outputBytes(Rect rect, PixelFormat target) {
        return Math.multiplyExact(Math.multiplyExact(rect.width(), rect.height()), bytesPerPixel(target));
    }

    /**
     * Where {@code rect} of a {@code width x height} frame lands once the frame is rotated by
     * {@code rotation} degrees counter-clockwise (the rotated frame is {@code height x width}
     * for 90 and 270).
     */
    public static Rect rotate(Rect rect, int width, int height, int rotation) {
        switch (checkRotation(rotation)) {
            case 0:
                return rect;
            case 90:
                return new Rect(rect.y(), width - rect.x() - rect.width(), rect.height(), rect.width());
            case 180:
                return new Rect(width - rect.x() - rect.width(), height - rect.y() - rect.height(),
                        rect.width(), rect.height());
            default:
                return new Rect(height - rect.y() - rect.height(), rect.x(), rect.height(), rect.width());
        }
    }

    /** {@link #convert(Framebuffer, Rect, int, PixelFormat, boolean, byte[], int)} without rotation or swap. */
    public static int convert(Framebuffer src, Rect rect, PixelFormat target, byte[] dst, int dstOffset) {
        return convert(src, rect, 0, target, false, dst, dstOffset);
    }

    /**
     * Converts {@code rect} of {@code src} into {@code dst} from {@code dstOffset}; returns the
     * number of bytes written ({@link #outputBytes}). IllegalArgumentException naming the problem
     * when the rectangle is empty or outside the framebuffer, the rotation is not 0/90/180/270,
     * a format is unsupported, or {@code dst} is too small.
     */
    public static int convert(Framebuffer src, Rect rect, int rotation, PixelFormat target, boolean swapRedBlue,
                              byte[] dst, int dstOffset) {
        int n = check(src, rect, rotation, target);
        if (dstOffset < 0 || (long) dstOffset + n > dst.length) {
            throw new IllegalArgumentException("destination of " + dst.length + " bytes cannot take " + n
                    + " bytes at offset " + dstOffset + " (" + rect + " as " + target + ")");
        }
        ByteBuffer px = src.pixels();
        if (rotation == 0 && !swapRedBlue && px.hasArray()) {
            if (src.format() == PixelFormat.XRGB8888 && target == PixelFormat.RGB565_BE) {
                xrgb8888ToRgb565Be(px.array(), px.arrayOffset(), src.stride(), rect, dst, dstOffset, VECTORIZED);
                return n;
            }
            if (src.format() == PixelFormat.XRGB8888
                    && (target == PixelFormat.RGB666 || target == PixelFormat.RGB888)) {
                xrgb8888To3Bytes(px.array(), px.arrayOffset(), src.stride(), rect, dst, dstOffset,
                        target == PixelFormat.RGB666 ? 0xFC : 0xFF);
                return n;
            }
            if (src.format() == PixelFormat.RGB565 && target == PixelFormat.RGB565_BE) {
                rgb565ToRgb565Be(px.array(), px.arrayOffset(), src.stride(), rect, dst, dstOffset);
                return n;
            }
        }
        generic(src, rect, rotation, target, swapRedBlue, dst, dstOffset);
        return n;
    }

    /**
     * As {@link #convert(Framebuffer, Rect, int, PixelFormat, boolean, byte[], int)} into
     * {@code dst} at its position, which advances by the bytes written. Works on heap and direct
     * buffers (a direct one is filled through a temporary heap array).
     */
    public static int convert(Framebuffer src, Rect rect, int rotation, PixelFormat target, boolean swapRedBlue,
                              ByteBuffer dst) {
        int n = check(src, rect, rotation, target);
        if (dst.remaining() < n) {
            throw new IllegalArgumentException("destination buffer has " + dst.remaining() + " bytes left, "
                    + rect + " as " + target + " needs " + n);
        }
        if (dst.hasArray()) {
            convert(src, rect, rotation, target, swapRedBlue, dst.array(), dst.arrayOffset() + dst.position());
            dst.position(dst.position() + n);
        } else {
            byte[] tmp = new byte[n];
            convert(src, rect, rotation, target, swapRedBlue, tmp, 0);
            dst.put(tmp);
        }
        return n;
    }

    private static int check(Framebuffer src, Rect rect, int rotation, PixelFormat target) {
        Objects.requireNonNull(src, "src");
        Objects.requireNonNull(rect, "rect");
        checkRotation(rotation);
        if (!src.format().isClientFormat()) {
            throw new IllegalArgumentException("cannot convert from " + src.format() + " (sources: XRGB8888, RGB565)");
        }
        if (!rect.isInside(src.width(), src.height())) {
            throw new IllegalArgumentException("rectangle " + rect + " is empty or outside the "
                    + src.width() + "x" + src.height() + " framebuffer");
        }
        return outputBytes(rect, target);
    }

    private static int checkRotation(int rotation) {
        if (rotation != 0 && rotation != 90 && rotation != 180 && rotation != 270) {
            throw new IllegalArgumentException("rotation must be 0, 90, 180 or 270, got " + rotation);
        }
        return rotation;
    }

    // ---------------------------------------------------------------- fast paths

    /**
     * XRGB8888 (little-endian words) to big-endian RGB565: four pixels per step, read as two
     * little-endian longs, packed with shifts and masks into one big-endian long.
     */
    static void xrgb8888ToRgb565Be(byte[] s, int base, int stride, Rect r, byte[] d, int o, boolean simd) {
        int w = r.width();
        for (int y = r.y(), end = r.y() + r.height(); y < end; y++) {
            int i = base + y * stride + r.x() * 4;
            int x = 0;
            if (simd) {
                x = VectorConvert.row(s, i, d, o, w);
                i += x * 4;
                o += x * 2;
            }
            for (; x + 4 <= w; x += 4, i += 16, o += 8) {
                long p = (long) LONG_LE.get(s, i);
                long q = (long) LONG_LE.get(s, i + 8);
                // two RGB565 values per long: pixel 0 in bits 0..15, pixel 1 in bits 32..47
                long u = (p >>> 8 & 0x0000F8000000F800L) | (p >>> 5 & 0x000007E0000007E0L)
                        | (p >>> 3 & 0x0000001F0000001FL);
                long v = (q >>> 8 & 0x0000F8000000F800L) | (q >>> 5 & 0x000007E0000007E0L)
                        | (q >>> 3 & 0x0000001F0000001FL);
                LONG_BE.set(d, o, u << 48 | (u >>> 32) << 32 | (v & 0xFFFFL) << 16 | v >>> 32);
            }
            for (; x < w; x++, i += 4, o += 2) {
                int p = (int) INT_LE.get(s, i);
                SHORT_BE.set(d, o, (short) ((p >> 8 & 0xF800) | (p >> 5 & 0x07E0) | (p >> 3 & 0x001F)));
            }
        }
    }

    /** XRGB8888 to three bytes R, G, B, each masked with {@code mask} (0xFC for RGB666, 0xFF for RGB888). */
    static void xrgb8888To3Bytes(byte[] s, int base, int stride, Rect r, byte[] d, int o, int mask) {
        int w = r.width();
        for (int y = r.y(), end = r.y() + r.height(); y < end; y++) {
            int i = base + y * stride + r.x() * 4 + 2;
            for (int x = 0; x < w; x++, i += 4, o += 3) {
                d[o] = (byte) (s[i] & mask);
                d[o + 1] = (byte) (s[i - 1] & mask);
                d[o + 2] = (byte) (s[i - 2] & mask);
            }
        }
    }

    /** RGB565 little-endian to big-endian: a byte swap per pixel. */
    static void rgb565ToRgb565Be(byte[] s, int base, int stride, Rect r, byte[] d, int o) {
        int w = r.width();
        for (int y = r.y(), end = r.y() + r.height(); y < end; y++) {
            int i = base + y * stride + r.x() * 2;
            for (int x = 0; x < w; x++, i += 2, o += 2) {
                d[o] = s[i + 1];
                d[o + 1] = s[i];
            }
        }
    }

    // ---------------------------------------------------------------- general path

    /** Every format, rotation and swap: gathers one output row as 0xRRGGBB, then encodes it. */
    private static void generic(Framebuffer src, Rect r, int rotation, PixelFormat target, boolean swap,
                                byte[] d, int o) {
        int outW = rotation == 90 || rotation == 270 ? r.height() : r.width();
        int outH = rotation == 90 || rotation == 270 ? r.width() : r.height();
        int[] row = new int[outW];
        int bpp = bytesPerPixel(target);
        for (int k = 0; k < outH; k++) {
            // start pixel and step (in source coordinates) of output row k
            int sx, sy, dx, dy;
            switch (rotation) {
                case 0:
                    sx = r.x(); sy = r.y() + k; dx = 1; dy = 0;
                    break;
                case 90: // row k = source column (right to left), read top to bottom
                    sx = r.x() + r.width() - 1 - k; sy = r.y(); dx = 0; dy = 1;
                    break;
                case 180:
                    sx = r.x() + r.width() - 1; sy = r.y() + r.height() - 1 - k; dx = -1; dy = 0;
                    break;
                default: // 270: row k = source column (left to right), read bottom to top
                    sx = r.x() + k; sy = r.y() + r.height() - 1; dx = 0; dy = -1;
                    break;
            }
            gather(src, sx, sy, dx, dy, outW, row);
            encode(row, outW, target, swap, d, o);
            o += outW * bpp;
        }
    }

    private static void gather(Framebuffer src, int x, int y, int dx, int dy, int n, int[] out) {
        ByteBuffer px = src.pixels();
        int stride = src.stride();
        if (px.hasArray()) {
            byte[] a = px.array();
            int base = px.arrayOffset();
            if (src.format() == PixelFormat.XRGB8888) {
                int step = dy * stride + dx * 4;
                int at = base + y * stride + x * 4;
                for (int i = 0; i < n; i++, at += step) {
                    out[i] = (int) INT_LE.get(a, at) & 0xFFFFFF;
                }
            } else {
                int step = dy * stride + dx * 2;
                int at = base + y * stride + x * 2;
                for (int i = 0; i < n; i++, at += step) {
                    out[i] = Rgb.from565((short) SHORT_LE.get(a, at) & 0xFFFF);
                }
            }
            return;
        }
        if (src.format() == PixelFormat.XRGB8888) {
            int step = dy * stride + dx * 4;
            int at = y * stride + x * 4;
            for (int i = 0; i < n; i++, at += step) {
                out[i] = px.getInt(at) & 0xFFFFFF;
            }
        } else {
            int step = dy * stride + dx * 2;
            int at = y * stride + x * 2;
            for (int i = 0; i < n; i++, at += step) {
                out[i] = Rgb.from565(px.getShort(at) & 0xFFFF);
            }
        }
    }

    private static void encode(int[] rgb, int n, PixelFormat target, boolean swap, byte[] d, int o) {
        switch (target) {
            case RGB565_BE:
                for (int i = 0; i < n; i++, o += 2) {
                    int v = Rgb.to565(swap ? swapRb(rgb[i]) : rgb[i]);
                    d[o] = (byte) (v >> 8);
                    d[o + 1] = (byte) v;
                }
                break;
            case RGB565:
                for (int i = 0; i < n; i++, o += 2) {
                    int v = Rgb.to565(swap ? swapRb(rgb[i]) : rgb[i]);
                    d[o] = (byte) v;
                    d[o + 1] = (byte) (v >> 8);
                }
                break;
            case RGB666:
            case RGB888: {
                int mask = target == PixelFormat.RGB666 ? 0xFC : 0xFF;
                for (int i = 0; i < n; i++, o += 3) {
                    int c = swap ? swapRb(rgb[i]) : rgb[i];
                    d[o] = (byte) (c >> 16 & mask);
                    d[o + 1] = (byte) (c >> 8 & mask);
                    d[o + 2] = (byte) (c & mask);
                }
                break;
            }
            default:
                throw new IllegalArgumentException("cannot convert to " + target);
        }
    }

    private static int swapRb(int c) {
        return (c & 0x00FF00) | (c >> 16 & 0xFF) | (c & 0xFF) << 16;
    }
}
