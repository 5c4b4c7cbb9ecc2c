package org.paneld.drivers.mipidbi;

import java.io.IOException;
import org.paneld.drivers.pixel.PanelShadow;
import org.paneld.drivers.pixel.Rect;

/**
 * A full-change update of a {@link MipiDbiDisplay} sent while it is compared
 * ({@link PanelShadow.Streamer}) by the display's {@link WindowWriter}: one window over the area,
 * started through its {@link Starter}, its rows queued on the transfer thread band by band; the
 * flush waits for them ({@link #finish}) before anything else goes on the wire. Never used with
 * {@code te_gpio}.
 * Lifetime: one flush. Threads: the flush's (the device's serialised operations).
 */
final class StreamedWindow implements PanelShadow.Streamer {
    /** CASET/RASET/RAMWR for a window in display coordinates ({@link WindowWriter}'s one place every window starts). */
    interface Starter {
        void start(int x, int y, int w, int h) throws IOException;
    }

    private final PanelShadow shadow;
    private final TransferPipeline pipeline;
    private final int chunkBytes;
    private final int bpp;
    private final Starter starter;
    Rect area;
    long bytes;
    private byte[] cur;
    private int curLen;
    private boolean first = true;

    StreamedWindow(PanelShadow shadow, TransferPipeline pipeline, int chunkBytes, int bytesPerPixel, Starter starter) {
        this.shadow = shadow;
        this.pipeline = pipeline;
        this.chunkBytes = chunkBytes;
        this.bpp = bytesPerPixel;
        this.starter = starter;
    }

    @Override
    public void start(Rect a) {
        try {
            starter.start(a.x(), a.y(), a.width(), a.height());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        area = a;
    }

    /**
     * Copies the rows into transfer buffers, queueing each when full (whole chunks, as an
     * unstreamed window); the first band goes at once, to start the wire.
     */
    @Override
    public void rows(int y0, int y1) {
        long total = (long) (y1 - y0) * area.width() * bpp;
        try {
            long pos = 0;
            while (pos < total) {
                if (cur == null) {
                    cur = pipeline.acquire();
                    curLen = 0;
                }
                int n = (int) Math.min(chunkBytes - curLen, total - pos);
                shadow.copyRect(area.x(), y0, area.width(), pos, cur, curLen, n);
                curLen += n;
                pos += n;
                if (curLen == chunkBytes) {
                    submitCurrent();
                }
            }
            if (first && cur != null) {
                submitCurrent();
            }
            first = false;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        bytes += total;
    }

    /** Queues what the current buffer holds. */
    void submitCurrent() throws IOException {
        byte[] b = cur;
        cur = null;
        pipeline.submit(b, curLen);
    }

    /** After the comparison: queues the rest and waits until the window is on the wire. */
    void finish() throws IOException {
        if (cur != null) {
            submitCurrent();
        }
        pipeline.finish();
    }

    /** After a failure: gives back an unqueued buffer, drops what is queued. */
    void abort() {
        if (cur != null) {
            pipeline.giveBack(cur);
            cur = null;
        }
        pipeline.abort();
    }
}
