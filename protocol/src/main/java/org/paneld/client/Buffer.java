package org.paneld.client;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.paneld.protocol.Message;
import org.paneld.protocol.Message.*;

/**
 * A display-sized client buffer. A shared one is mapped here ({@link #pixels()}, zero-copy: draw
 * into it, then {@link #flush}); an inline one is filled with {@link #write} (pixels travel in the
 * frame). {@link #close()} destroys it on the server. Lifetime: CREATE_BUFFER to close, or its
 * session's close. Threads: any, but drawing into {@link #pixels()} is the caller's to order.
 */
public final class Buffer implements AutoCloseable {
    private final Session session;
    private final int handle;
    private final int width;
    private final int height;
    private final int format;
    private final int stride;
    private final ByteBuffer map;
    private volatile boolean closed;

    Buffer(Session session, BufferCreated reply, int width, int height, int format, ByteBuffer map) {
        this.session = session;
        this.handle = reply.buffer();
        this.width = width;
        this.height = height;
        this.format = format;
        this.stride = reply.stride();
        this.map = map;
    }

    public int handle() { return handle; }
    public int width() { return width; }
    public int height() { return height; }
    public int format() { return format; }
    public int stride() { return stride; }
    public int bytesPerPixel() { return Message.bytesPerPixel(format); }
    public boolean isShared() { return map != null; }
    public Session session() { return session; }

    /** The shared mapping (little-endian; line y at y * stride), or null for an inline buffer. */
    public ByteBuffer pixels() {
        return map;
    }

    /** Pixels of the rectangle x,y w x h (rows of w pixels, tightly packed). Shared buffers are written locally. */
    public CompletableFuture<Void> writeAsync(int x, int y, int w, int h, byte[] data) {
        if (map != null && x >= 0 && y >= 0 && w > 0 && h > 0 && x + w <= width && y + h <= height
                && data.length == w * h * bytesPerPixel()) {
            int line = w * bytesPerPixel();
            for (int r = 0; r < h; r++) {
                map.put((y + r) * stride + x * bytesPerPixel(), data, r * line, line);
            }
            return CompletableFuture.completedFuture(null);
        }
        int line = Math.max(1, w) * bytesPerPixel();
        int maxData = session.client().serverInfo().maxFrame() - 64;
        int rowsPerFrame = Math.max(1, maxData / Math.max(1, line));
        if (h <= rowsPerFrame || line <= 0 || w <= 0 || h <= 0) {
            return session.client().request(new Write(session.id(), handle, x, y, w, h, data)).thenApply(m -> null);
        }
        CompletableFuture<?> last = null;
        for (int r = 0; r < h; r += rowsPerFrame) {
            int n = Math.min(rowsPerFrame, h - r);
            byte[] part = Arrays.copyOfRange(data, r * line, (r + n) * line);
            last = session.client().request(new Write(session.id(), handle, x, y + r, w, n, part));
        }
        return last.thenApply(m -> null);
    }

    public void write(int x, int y, int w, int h, byte[] data) throws PaneldException {
        session.client().await(writeAsync(x, y, w, h, data));
    }

    /** Sets every pixel to {@code rgb} (0xRRGGBB) — in the mapping, or with inline WRITEs. */
    public void fill(int rgb) throws PaneldException {
        int[] px = new int[width * height];
        Arrays.fill(px, rgb);
        writeRgb(px);
    }

    /** Writes a whole image of 0xRRGGBB pixels (width x height, row-major), converted to the buffer's format. */
    public void writeRgb(int[] rgb) throws PaneldException {
        if (rgb.length != width * height) {
            throw new IllegalArgumentException("image has " + rgb.length + " pixels, the buffer " + width * height);
        }
        int bpp = bytesPerPixel();
        byte[] data = new byte[width * height * bpp];
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < rgb.length; i++) {
            int c = rgb[i];
            if (bpp == 4) {
                b.putInt(i * 4, c & 0xFFFFFF);
            } else {
                int r = c >> 16 & 0xFF, g = c >> 8 & 0xFF, bl = c & 0xFF;
                b.putShort(i * 2, (short) ((r >> 3) << 11 | (g >> 2) << 5 | bl >> 3));
            }
        }
        write(0, 0, width, height, data);
    }

    /** Flushes the damage rectangles to the display; completes when the device has them. */
    public CompletableFuture<Void> flushAsync(List<Region> damage) {
        return session.client().request(new Flush(session.id(), handle, damage)).thenApply(m -> null);
    }

    public void flush(Region... damage) throws PaneldException {
        session.client().await(flushAsync(List.of(damage)));
    }

    /** Flushes the whole buffer. */
    public void flushAll() throws PaneldException {
        flush(new Region(0, 0, width, height));
    }

    /** Page flip: makes this the scanout buffer; the future completes with the FLIP_COMPLETE event. */
    public CompletableFuture<FlipComplete> flipAsync() {
        return session.flip(handle);
    }

    public FlipComplete flip() throws PaneldException {
        return session.client().await(flipAsync());
    }

    public CompletableFuture<Void> closeAsync() {
        if (closed) {
            return CompletableFuture.completedFuture(null);
        }
        closed = true;
        return session.client().request(new DestroyBuffer(session.id(), handle)).thenApply(m -> null);
    }

    /** Destroys the buffer on the server (the mapping here stays valid memory until collected, but is no longer shown). */
    @Override
    public void close() throws PaneldException {
        if (!session.client().isOpen()) {
            closed = true;
            return;
        }
        session.client().await(closeAsync());
    }
}
