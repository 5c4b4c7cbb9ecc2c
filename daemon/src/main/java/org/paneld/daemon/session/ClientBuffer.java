package org.paneld.daemon.session;

import java.io.IOException;
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
 * file the client maps, and before each flush the damaged rows are read (pread, never a mapping)
 * into a private shadow that the driver reads, so a client that scribbles or truncates during a
 * flush can neither fault the daemon nor change pixels under the driver.
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
    /** A shared buffer's shadow as allocated (the framebuffer holds a duplicate), to free it at once. */
    private final ByteBuffer shadow;

    public ClientBuffer(int handle, int width, int height, PixelFormat format, SharedMemory shared) {
        this.handle = handle;
        this.width = width;
        this.height = height;
        this.format = format;
        this.stride = Math.toIntExact(format.lineBytes(width));
        this.shared = shared;
        int size = Math.multiplyExact(stride, height);
        ByteBuffer px = shared == null ? ByteBuffer.allocate(size) : ByteBuffer.allocateDirect(size);
        this.shadow = shared == null ? null : px;
        this.framebuffer = new Framebuffer(width, height, stride, format, px.order(ByteOrder.LITTLE_ENDIAN));
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

    /**
     * Bytes this buffer costs the daemon: its pixels (inline, on the heap) or its shadow (shared,
     * direct memory). A shared buffer's file is not counted: it is tmpfs memory the client maps
     * and writes (charged to whoever touches its pages), never mapped by the daemon.
     */
    public long cost() {
        return size();
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
            for (int row = 0; row < h; row++) {
                shared.write(ByteBuffer.wrap(data, row * line, line), (long) (y + row) * stride + (long) x * format.bytesPerPixel());
            }
        } catch (IOException e) {
            throw new DeviceException(Errno.EIO, "writing shared buffer " + handle + " failed: " + e.getMessage());
        }
    }

    /**
     * Copies a piece of a streamed WRITE: {@code data} are the bytes at {@code offset} of the
     * rectangle's pixels (rows of {@code w} pixels, tightly packed), which may start and end
     * inside a row. Worker thread. The rectangle and the total length have been checked.
     */
    public void writePart(int x, int y, int w, int h, long offset, byte[] data) throws DeviceException {
        int bpp = format.bytesPerPixel();
        long line = (long) w * bpp;
        if (shared != null) {
            checkIntact();
        }
        ByteBuffer px = shared == null ? framebuffer.pixels() : null;
        int pos = 0;
        while (pos < data.length) {
            long at = offset + pos;
            long row = at / line;
            int col = (int) (at % line);
            int n = (int) Math.min(line - col, data.length - pos);
            if (row >= h) {
                throw new IllegalArgumentException("WRITE piece at byte " + at + " is outside the " + w + "x" + h + " rectangle");
            }
            long dst = (y + row) * stride + (long) x * bpp + col;
            if (px != null) {
                px.put((int) dst, data, pos, n);
            } else {
                try {
                    shared.write(ByteBuffer.wrap(data, pos, n), dst);
                } catch (IOException e) {
                    throw new DeviceException(Errno.EIO, "writing shared buffer " + handle + " failed: " + e.getMessage());
                }
            }
            pos += n;
        }
    }

    /**
     * The framebuffer to give the driver for {@code damage}: for shared buffers the file's size is
     * checked (EINVAL when the client truncated it, even if the damaged rows are still inside) and
     * the damaged rows are read from the file into the shadow. Worker thread.
     */
    public Framebuffer prepare(Rect damage) throws DeviceException {
        if (shared == null) {
            return framebuffer;
        }
        checkIntact(); // PROTOCOL.md §7: the file's whole size is checked before each FLUSH/FLIP/WRITE
        copyDamage(damage); // a short read (shrunk after the check) is reported with the file's current size
        return framebuffer;
    }

    /** Reads the rows of {@code damage} from the file into the shadow (one pread); a short read is EINVAL. */
    void copyDamage(Rect damage) throws DeviceException {
        ByteBuffer dst = framebuffer.pixels().duplicate();
        int from = damage.y() * stride;
        dst.position(from).limit(from + damage.height() * stride);
        boolean whole;
        try {
            whole = shared.read(dst, from);
        } catch (IOException e) {
            throw new DeviceException(Errno.EIO, "reading shared buffer " + handle + " failed: " + e.getMessage());
        }
        if (!whole) {
            throw new DeviceException(Errno.EINVAL, "shared buffer " + handle + " was truncated by the client"
                    + " (the file now has " + shared.currentSize() + " of its " + size() + " bytes)");
        }
    }

    private void checkIntact() throws DeviceException {
        if (!shared.intact()) {
            throw new DeviceException(Errno.EINVAL, "shared buffer " + handle + " was truncated by the client to "
                    + shared.currentSize() + " bytes (it needs " + size() + ")");
        }
    }

    /**
     * {@link #destroy()}, and a shared buffer's shadow (direct memory) is freed at once instead of
     * whenever the GC finds it, so its memory is back for the next buffer. Only on the device
     * worker, where nothing else can be reading the shadow.
     */
    public void destroyOnWorker() {
        destroy();
        if (shadow != null && !shadowFreed) {
            shadowFreed = true;
            try {
                io.netty.util.internal.PlatformDependent.freeDirectBuffer(shadow);
            } catch (RuntimeException e) {
                // no cleaner to call: the GC frees it
            }
        }
    }

    private boolean shadowFreed;

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
