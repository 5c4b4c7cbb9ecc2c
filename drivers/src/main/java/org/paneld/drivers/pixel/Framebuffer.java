package org.paneld.drivers.pixel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * A view of pixels a driver reads from during a flush: {@code width x height} pixels of
 * {@code format}, line {@code y} starting at byte {@code y * stride} of {@code pixels}.
 * The buffer is owned by whoever created the view (a client buffer in the daemon, a test);
 * drivers only read it, and only during the call they were given it in.
 * Not thread-safe: the flushing thread reads it.
 */
public final class Framebuffer {
    private final int width;
    private final int height;
    private final int stride;
    private final PixelFormat format;
    private final ByteBuffer pixels;

    public Framebuffer(int width, int height, int stride, PixelFormat format, ByteBuffer pixels) {
        this.format = Objects.requireNonNull(format, "format");
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("framebuffer size must be positive, got " + width + "x" + height);
        }
        if (stride < format.lineBytes(width)) {
            throw new IllegalArgumentException("stride " + stride + " is smaller than a line of "
                    + width + " " + format + " pixels (" + format.lineBytes(width) + " bytes)");
        }
        long need = (long) stride * (height - 1) + format.lineBytes(width);
        if (pixels.capacity() < need) {
            throw new IllegalArgumentException("framebuffer of " + width + "x" + height + " " + format
                    + " stride " + stride + " needs " + need + " bytes, the buffer holds " + pixels.capacity());
        }
        this.width = width;
        this.height = height;
        this.stride = stride;
        this.pixels = pixels.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** A tightly packed framebuffer backed by a new heap array. */
    public static Framebuffer allocate(int width, int height, PixelFormat format) {
        int stride = Math.toIntExact(format.lineBytes(width));
        return new Framebuffer(width, height, stride, format,
                ByteBuffer.allocate(Math.multiplyExact(stride, height)));
    }

    public int width() { return width; }
    public int height() { return height; }
    public int stride() { return stride; }
    public PixelFormat format() { return format; }
    /** Little-endian view with position 0; callers may use absolute gets and puts. */
    public ByteBuffer pixels() { return pixels; }

    public Rect bounds() {
        return Rect.of(width, height);
    }

    /** Byte offset of pixel {@code x, y}. */
    public int offset(int x, int y) {
        return y * stride + x * format.bytesPerPixel();
    }

    /** Reads pixel {@code x, y} as 0xRRGGBB (XRGB8888, RGB565 expanded by bit replication, R8 as grey). */
    public int rgb(int x, int y) {
        int o = offset(x, y);
        switch (format) {
            case XRGB8888:
                return pixels.getInt(o) & 0xFFFFFF;
            case RGB565:
                return Rgb.from565(pixels.getShort(o) & 0xFFFF);
            case R8: {
                int g = pixels.get(o) & 0xFF;
                return g << 16 | g << 8 | g;
            }
            default:
                throw new UnsupportedOperationException("rgb() of a " + format + " framebuffer");
        }
    }

    /** Writes pixel {@code x, y} from 0xRRGGBB (truncating to the format). */
    public void setRgb(int x, int y, int rgb) {
        int o = offset(x, y);
        switch (format) {
            case XRGB8888:
                pixels.putInt(o, rgb & 0xFFFFFF);
                break;
            case RGB565:
                pixels.putShort(o, (short) Rgb.to565(rgb));
                break;
            case R8:
                pixels.put(o, (byte) Rgb.luma(rgb));
                break;
            default:
                throw new UnsupportedOperationException("setRgb() on a " + format + " framebuffer");
        }
    }
}
