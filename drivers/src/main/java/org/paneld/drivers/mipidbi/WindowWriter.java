package org.paneld.drivers.mipidbi;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.paneld.drivers.pixel.PanelShadow;
import org.paneld.drivers.pixel.Rect;
import org.paneld.drivers.spi.DbiBus;

/**
 * How a {@link MipiDbiDisplay} puts windows on the wire: CASET/RASET (RAM offsets added) and
 * RAMWR for each, then its bytes from the shadow, in chunks and through the transfer thread when
 * larger than one; the shadow's plan as it is or, with TE, cut into bands behind the scan
 * ({@link #sendPlan}); a full-change update streamed while it is compared
 * ({@link #updateStreamed}); and plain black over the panel ({@link #writeBlack}). Counts the
 * windows and bytes it sent. Lifetime: the display's. Threads: the display's (the device's
 * serialised operations).
 */
final class WindowWriter {
    private final DbiBus bus;
    private final TransferPipeline pipeline; // null: every chunk written on the caller's thread
    private final PanelShadow shadow;
    private final int bpp;
    private final int chunkBytes;
    private final byte[] scratch;
    private final int left;
    private final int top;
    private long windowsSent;
    private long bytesPlanned;

    WindowWriter(DbiBus bus, TransferPipeline pipeline, PanelShadow shadow, int chunkBytes, int left, int top) {
        this.bus = bus;
        this.pipeline = pipeline;
        this.shadow = shadow;
        this.bpp = shadow.bytesPerPixel();
        this.chunkBytes = chunkBytes;
        this.scratch = new byte[chunkBytes];
        this.left = left;
        this.top = top;
    }

    /**
     * The largest chunk of pixel bytes for one transfer: a multiple of the pixel size and of
     * the bus's data alignment, no larger than the bus's max data size.
     */
    static int chunkBytes(DbiBus bus, WireFormat wire) {
        int bpp = wire.bytesPerPixel();
        int align = bus.dataAlign();
        int unit = lcm(bpp, align);
        int n = bus.maxData() / unit * unit;
        return Math.max(unit, n);
    }

    private static int lcm(int a, int b) {
        int x = a, y = b;
        while (y != 0) {
            int t = x % y;
            x = y;
            y = t;
        }
        return a / x * b;
    }

    /** Windows written by flushes since probe. */
    long windowsSent() {
        return windowsSent;
    }

    /** Bytes (pixels and window commands) flushes put on the wire since probe. */
    long bytesPlanned() {
        return bytesPlanned;
    }

    /** Black over the {@code width x height} display, one window, from zeroed chunks (not the shadow). */
    void writeBlack(int width, int height) throws IOException {
        bus.setWindow(left, left + width - 1, top, top + height - 1);
        bus.writeMemoryStart();
        long total = (long) width * height * bpp;
        java.util.Arrays.fill(scratch, (byte) 0);
        while (total > 0) {
            int n = (int) Math.min(total, scratch.length);
            bus.writeData(scratch, 0, n);
            total -= n;
        }
    }

    /**
     * Compares {@code box} with the shadow ({@link PanelShadow#update}, new pixels from
     * {@code inside}), planning windows; without TE ({@code withTe} false) and with a transfer
     * thread, a full-change window is streamed while it is compared ({@link StreamedWindow}) and
     * wholly on the panel before this returns. The windows left planned go out with
     * {@link #sendPlan}.
     */
    void updateStreamed(Rect box, PanelShadow.RowSource inside, int windowCost, boolean withTe) throws IOException {
        // with TE no early streamed window: its write would be paced by the comparison, not the scan
        StreamedWindow streamed = pipeline == null || withTe ? null : new StreamedWindow(shadow, pipeline,
                chunkBytes, bpp, (x, y, w, h) -> startWindow(x, y, w, h, null));
        try {
            shadow.update(box, inside, true, windowCost, streamed);
            if (streamed != null && streamed.area != null) {
                streamed.finish(); // the streamed window is on the panel before the next one starts
                windowsSent++;
                bytesPlanned += streamed.bytes + PanelShadow.COMMAND_BYTES;
            }
        } catch (java.io.UncheckedIOException e) {
            if (streamed != null && streamed.area != null) {
                streamed.abort();
            }
            throw e.getCause();
        } catch (IOException | RuntimeException e) {
            if (streamed != null && streamed.area != null) {
                streamed.abort();
            }
            throw e;
        }
    }

    /**
     * Sends the windows the shadow planned. Without TE ({@code t} null) each as planned; with TE
     * each is cut into the bands that stay behind the scan ({@link TearingSync#windows}) and all
     * bands go out in the order the scan meets them ({@link TearingSync#order}; bands of several
     * windows over the same lines then share one pass of the scan: with MV, where every window
     * is a block, ordering whole windows instead cost a refresh per window), each started by
     * {@link TearingSync#beforeWindow} and wholly on the wire before the next one starts.
     */
    void sendPlan(TearingSync t) throws IOException {
        int n = shadow.planned();
        if (t == null) {
            for (int i = 0; i < n; i++) {
                writeWindow(shadow.x(i), shadow.y(i), shadow.w(i), shadow.h(i), null);
            }
            windowsSent += n;
            bytesPlanned += shadow.plannedBytes();
            return;
        }
        List<Rect> planned = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            planned.add(new Rect(shadow.x(i), shadow.y(i), shadow.w(i), shadow.h(i)));
        }
        List<Rect> bands = new ArrayList<>(n);
        for (Rect r : planned) {
            bands.addAll(t.windows(r));
        }
        // all bands in scan order: the bands of different windows over the same lines go out in one pass of the scan
        for (Rect b : t.order(bands)) {
            writeWindow(b.x(), b.y(), b.width(), b.height(), t);
            windowsSent++;
            bytesPlanned += b.area() * bpp + PanelShadow.COMMAND_BYTES;
        }
    }

    /** Writes the window {@code x, y, w x h} (display coordinates): {@link #startWindow}, then its bytes from the shadow. */
    private void writeWindow(int x, int y, int w, int h, TearingSync t) throws IOException {
        startWindow(x, y, w, h, t);
        stream(x, y, w, h);
    }

    /**
     * CASET/RASET (RAM offsets added) and RAMWR for the window {@code x, y, w x h} in display
     * coordinates: the one place where every window's write starts, planned or streamed. With
     * {@code t} (TE, for the windows of a flush) it first waits until the write can start behind
     * the controller's scan.
     */
    private void startWindow(int x, int y, int w, int h, TearingSync t) throws IOException {
        int x0 = x + left, y0 = y + top;
        if (t != null) {
            t.beforeWindow(x0, x0 + w - 1, y0, y0 + h - 1);
        }
        bus.setWindow(x0, x0 + w - 1, y0, y0 + h - 1);
        bus.writeMemoryStart();
    }

    /**
     * Streams the bytes of the shadow's rectangle {@code x, y, w x h}, through the transfer thread
     * when larger than a chunk; returns when they are on the wire.
     */
    private void stream(int x, int y, int w, int h) throws IOException {
        long total = (long) w * h * bpp;
        if (total <= chunkBytes || pipeline == null) {
            long pos = 0;
            while (pos < total) {
                int n = (int) Math.min(chunkBytes, total - pos);
                shadow.copyRect(x, y, w, pos, scratch, 0, n);
                bus.writeData(scratch, 0, n);
                pos += n;
            }
            return;
        }
        long pos = 0;
        try {
            while (pos < total) {
                byte[] buf = pipeline.acquire();
                int n = (int) Math.min(chunkBytes, total - pos);
                try {
                    shadow.copyRect(x, y, w, pos, buf, 0, n);
                } catch (RuntimeException e) {
                    pipeline.giveBack(buf);
                    throw e;
                }
                pipeline.submit(buf, n);
                pos += n;
            }
            pipeline.finish();
        } catch (IOException | RuntimeException e) {
            pipeline.abort();
            throw e;
        }
    }
}
