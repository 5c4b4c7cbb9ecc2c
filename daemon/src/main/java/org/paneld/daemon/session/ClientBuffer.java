package org.paneld.daemon.session;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.core.Errno;
import org.paneld.drivers.pixel.Framebuffer;
import org.paneld.drivers.pixel.PixelFormat;
import org.paneld.drivers.pixel.Rect;

/**
 * One client buffer of a session: display-sized pixels in XRGB8888 or RGB565. Inline buffers
 * live on the heap and are filled by WRITE requests; shared buffers live in a {@link SharedMemory}
 * the client maps, and are copied (damage only) into a private shadow before the driver reads
 * them, so a client that scribbles or truncates during a flush can never fault the driver.
 * Lifetime: from CREATE_BUFFER to DESTROY_BUFFER or the session's close. Threads: created on the
 * event loop; pixels touched only on the device worker.
 */
public final class ClientBuffer {
    private final int handle;
    private final int width;
    private final int height;
    private final PixelFormat format;
    private final int stride;
    private final Framebuffer framebuffer;
    private final SharedMemory shared;
    private volatile boolean destroyed;

    public ClientBuffer(int handle, int width, int height, PixelFormat format, SharedMemory shared) {
        this.handle = handle;
        this.width = width;
        this.height = height;
        this.format = format;
        this.stride = Math.toIntExact(format.lineBytes(width));
        this.shared = shared;
        this.framebuffer = new Framebuffer(width, height, stride, format,
                ByteBuffer.allocate(Math.multiplyExact(stride, height)).order(ByteOrder.LITTLE_ENDIAN));
    }

    public int handle() { return handle; }
    public int width() { return width; }
    public int height() { return height; }
    public PixelFormat format() { return format; }
    public int stride() { return stride; }
    public long size() { return (long) stride * height; }
    public boolean isShared() { return shared != null; }
    public SharedMemory shared() { return shared; }
    public boolean isDestroyed() { return destroyed; }

    /** Bytes this buffer costs the connection (the shadow, plus the mapping when shared). */
    public long cost() {
        return shared == null ? size() : 2 * size();
    }

    /**
     * Copies a WRITE's pixels (rows of {@code w} pixels, tightly packed) into the buffer at
     * {@code x, y}. Worker thread. The rectangle has been checked by the caller.
     */
    public void write(int x, int y, int w, int h, byte[] data) throws DeviceException {
        int line = w * format.bytesPerPixel();
        if (shared == null) {
            ByteBuffer px = framebuffer.pixels();
            for (int row = 0; row < h; row++) {
                px.put((y + row) * stride + x * format.bytesPerPixel(), data, row * line, line);
            }
            return;
        }
        checkIntact();
        try {
            ByteBuffer px = shared.map();
            for (int row = 0; row < h; row++) {
                px.put((y + row) * stride + x * format.bytesPerPixel(), data, row * line, line);
            }
        } catch (InternalError e) {
            throw truncated(e);
        }
    }

    /**
     * The framebuffer to give the driver for {@code damage}: for shared buffers the damaged rows
     * are first copied from the mapping into the shadow. Worker thread.
     */
    public Framebuffer prepare(Rect damage) throws DeviceException {
        if (shared == null) {
            return framebuffer;
        }
        checkIntact();
        try {
            ByteBuffer src = shared.map();
            ByteBuffer dst = framebuffer.pixels();
            int bpp = format.bytesPerPixel();
            int line = damage.width() * bpp;
            byte[] row = new byte[line];
            for (int yy = damage.y(); yy < damage.y() + damage.height(); yy++) {
                int off = yy * stride + damage.x() * bpp;
                src.get(off, row, 0, line);
                dst.put(off, row, 0, line);
            }
        } catch (InternalError e) {
            throw truncated(e);
        }
        return framebuffer;
    }

    private void checkIntact() throws DeviceException {
        if (!shared.intact()) {
            throw new DeviceException(Errno.EINVAL, "shared buffer " + handle + " was truncated by the client to "
                    + shared.currentSize() + " bytes (it needs " + size() + ")");
        }
    }

    private DeviceException truncated(InternalError e) {
        return new DeviceException(Errno.EINVAL, "shared buffer " + handle + " faulted while being read (the client shrank it"
                + " to " + shared.currentSize() + " of " + size() + " bytes): " + e.getMessage());
    }

    /** Frees the buffer (idempotent). Worker thread or, at forced close, any. */
    public void destroy() {
        destroyed = true;
        if (shared != null) {
            shared.close();
        }
    }

    /** True when {@code r} lies inside the buffer and is not empty. */
    public boolean contains(Rect r) {
        return r.isInside(width, height);
    }
}
