package org.paneld.drivers.gud;

import static org.paneld.drivers.gud.GudProtocol.*;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import net.jpountz.lz4.LZ4Compressor;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.core.Errno;
import org.paneld.drivers.pixel.Framebuffer;
import org.paneld.drivers.pixel.PanelShadow;
import org.paneld.drivers.pixel.Rect;
import org.paneld.drivers.usb.UsbTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The flush pipeline of one GUD binding: damage → device format → LZ4 (only when it shrinks the
 * data) → pieces of whole lines, each SET_BUFFER + bulk OUT, the next piece converted while the
 * transfer thread sends the previous; a failed piece is retried once unless the error says the
 * device is gone. FULL_UPDATE devices get the whole frame, without SET_BUFFER except after a failed
 * transfer (include/drm/gud.h), split into bulk transfers of whole packets so that the device's
 * single armed transfer is never ended early by a short packet.
 *
 * <p>Partial updates are diffed first: the damage is converted into a {@link PanelShadow} of
 * the device's framebuffer (in the device format; for sub-byte formats its columns are bytes, so
 * windows are byte-aligned: 8 pixels for R1) and only the planned windows of changed pixels go
 * out, each as its own SET_BUFFER pieces (a window costs {@link #WINDOW_COST} byte-equivalents).
 *
 * <p>Lifetime: the binding's; the transfer thread lives in the hardware scope. Threads: the
 * serialised display operations call {@link #flush}; the transfer thread only sends.
 */
final class GudFlusher {
    private static final Logger LOG = LoggerFactory.getLogger(GudFlusher.class);

    /** Flush pieces are at most this big when pipelined (not on FULL_UPDATE devices). */
    static final int PIPELINE_BYTES = 256 * 1024;

    /**
     * Bulk transfers of a split FULL_UPDATE frame are whole multiples of this: a multiple of every
     * USB 2.0 bulk packet size (64 at full speed, 512 at high speed), so no piece but the last
     * ends in a short packet.
     */
    static final int PACKET_MULTIPLE = 512;

    /** The smallest bulk packet (full speed, gud-pico): pieces must at least be multiples of it. */
    static final int MIN_PACKET = 64;

    private final Device device;
    private final UsbTransport usb;
    private final GudControl control;
    private final GudOptions options;
    private final GudDisplay.Stats stats;
    private final LZ4Compressor lz4;
    private final boolean fullUpdate;
    private final int bulkLen;

    // touched only by the serialised display operations
    private final Piece[] pieces = {new Piece(), new Piece()};
    private TxWorker tx;
    private boolean prevFlushFailed;
    /** What the device's framebuffer holds, in the device format; null before the first flush. */
    private PanelShadow shadow;
    private GudFormat shadowFormat;
    private int shadowWidth;
    private byte[] rowLine = new byte[0];
    /** The format and size of the last whole frame sent to a FULL_UPDATE device (in pieces[0].conv); null before. */
    private GudFormat fullFormat;
    private int fullWidth, fullHeight;
    /**
     * A window's cost in byte-equivalents: a SET_BUFFER control transfer (its 20-byte request plus
     * set-up and status stages) and one more bulk transfer, about 64 bytes of bulk data each.
     */
    static final int WINDOW_COST = 20 + 2 * 64;

    GudFlusher(Device device, GudControl control, GudOptions options, GudDisplay.Stats stats, LZ4Compressor lz4,
               boolean fullUpdate, int bulkLen) {
        this.device = device;
        this.usb = control.usb();
        this.control = control;
        this.options = options;
        this.stats = stats;
        this.lz4 = lz4;
        this.fullUpdate = fullUpdate;
        this.bulkLen = bulkLen;
    }

    /**
     * The bulk transfer size for a FULL_UPDATE frame of {@code frameBytes} with a device buffer of
     * {@code bulkLen}: the whole frame when it fits, else the largest whole multiple of
     * {@link #PACKET_MULTIPLE} (or of {@link #MIN_PACKET}) that fits; 0 when not even one packet fits.
     */
    static int fullUpdateChunk(long frameBytes, int bulkLen) {
        if (frameBytes <= bulkLen) {
            return (int) frameBytes;
        }
        int c = bulkLen - bulkLen % PACKET_MULTIPLE;
        return c > 0 ? c : bulkLen - bulkLen % MIN_PACKET;
    }

    void startTransferThread() {
        TxWorker w = new TxWorker();
        device.hardware().add("stop transfer thread of " + device.id(), w::stop);
        tx = w;
        w.start();
    }

    /** Sends {@code r} of {@code source} in {@code format} (the whole frame on FULL_UPDATE devices). */
    void flush(Framebuffer source, GudFormat format, Rect damage, boolean plainCopy) throws IOException {
        if (fullUpdate) {
            flushFullFrame(source, format);
            return;
        }
        if (shadow == null || shadowFormat != format || shadowWidth != source.width() || shadow.height() != source.height()) {
            int ppb = format.pixelsPerByte();
            shadow = ppb > 1 ? new PanelShadow(format.lineBytes(source.width()), source.height(), 1, 1)
                    : new PanelShadow(source.width(), source.height(), format.lineBytes(1), 1);
            shadowFormat = format;
            shadowWidth = source.width();
        }
        int ppb = format.pixelsPerByte();
        // the shadow's columns: pixels, or bytes of ppb pixels for sub-byte formats (GUD's R1: 8)
        Rect area = ppb == 1 ? damage : new Rect(damage.x() / ppb, damage.y(),
                (int) ((damage.right() + ppb - 1) / ppb - damage.x() / ppb), damage.height());
        int width = source.width();
        PanelShadow.RowSource conv = (x, y, n, dst, off) -> {
            int px = x * ppb, pw = Math.min(n * ppb, width - px);
            if (rowLine.length < pw * 4) {
                rowLine = new byte[pw * 4];
            }
            format.convert(source, px, y, pw, 1, dst, off, rowLine);
        };
        int planned;
        try {
            planned = shadow.update(area, conv, true, WINDOW_COST);
        } catch (RuntimeException e) {
            shadow.distrust();
            throw e;
        }
        try {
            for (int i = 0; i < planned; i++) {
                int px = shadow.x(i) * ppb, pw = Math.min(shadow.w(i) * ppb, width - px);
                sendRect(source, format, new Rect(px, shadow.y(i), pw, shadow.h(i)), plainCopy);
            }
        } catch (IOException | RuntimeException e) {
            shadow.distrust();
            throw e;
        }
        if (damage.area() == (long) width * source.height()) {
            shadow.trust();
        }
    }

    /** The device's picture is unknown (enable, a new mode or format): the next flush sends its whole damage. */
    void distrust() {
        if (shadow != null) {
            shadow.distrust();
        }
    }

    /**
     * What the device's framebuffer holds, for the live view: the shadow (or, on a FULL_UPDATE
     * device, the last whole frame) in the device format, copied here — a byte copy, called under
     * the device's operation lock — and converted to RGB by the returned supplier on the caller's
     * thread ({@link GudFormat#toRgb}). Null before the first flush. The picture is in client
     * coordinates: GUD devices are sent unrotated pixels (rotation 0, {@link GudProbe}).
     */
    java.util.function.Supplier<org.paneld.drivers.pixel.RgbImage> copyShown() {
        byte[] px;
        GudFormat f;
        int w, h;
        if (fullUpdate) {
            if (fullFormat == null) {
                return null;
            }
            f = fullFormat;
            w = fullWidth;
            h = fullHeight;
            px = java.util.Arrays.copyOf(pieces[0].conv, f.lineBytes(w) * h);
        } else {
            if (shadow == null) {
                return null;
            }
            f = shadowFormat;
            w = shadowWidth;
            h = shadow.height();
            px = shadow.bytes().clone(); // its stride is the format's line: lineBytes(w)
        }
        return () -> {
            int[] rgb = new int[w * h];
            int pitch = f.lineBytes(w);
            for (int y = 0; y < h; y++) {
                f.toRgb(px, y * pitch, w, rgb, y * w);
            }
            return new org.paneld.drivers.pixel.RgbImage(w, h, rgb);
        };
    }

    /** Sends rectangle {@code r} (one planned window) as SET_BUFFER pieces, LZ4 on top where it shrinks them. */
    private void sendRect(Framebuffer source, GudFormat format, Rect r, boolean plainCopy) throws IOException {
        int ppb = format.pixelsPerByte();
        int x0 = r.x() - r.x() % ppb;
        int w = (int) (r.right() - x0);
        int pitch = format.lineBytes(w);
        int lines = Math.min(r.height(), bulkLen / pitch);
        if (lines == 0) {
            throw new DeviceException(Errno.EINVAL, "one line of the damage (" + pitch + " bytes) does not fit the"
                    + " device's buffer of " + bulkLen + " bytes");
        }
        if (tx != null && (!plainCopy || lz4 != null)) {
            // Real work per byte (conversion, compression): pieces of about PIPELINE_BYTES, so that
            // preparing one overlaps sending the previous. A plain copy is not worth the extra
            // SET_BUFFERs.
            lines = Math.min(lines, Math.max(1, PIPELINE_BYTES / pitch));
        }
        boolean split = lines < r.height();
        if (!split || tx == null) {
            sendAll(source, format, x0, r.y(), w, r.height(), lines);
        } else {
            sendPipelined(source, format, x0, r.y(), w, r.height(), lines);
        }
    }

    /**
     * A FULL_UPDATE device keeps its endpoint armed for one whole frame and re-arms it after each:
     * the frame goes as bulk transfers of whole packets with no SET_BUFFER; only after a failed
     * transfer (the device's endpoint then idle) does a SET_BUFFER for the whole frame come first.
     * A failure is retried once, from the start of the frame.
     */
    private void flushFullFrame(Framebuffer src, GudFormat format) throws IOException {
        Piece p = pieces[0];
        prepare(p, src, format, 0, 0, src.width(), src.height(), false);
        fullFormat = format; // pieces[0].conv now holds the frame (uncompressed) the device is sent
        fullWidth = src.width();
        fullHeight = src.height();
        int chunk = fullUpdateChunk(p.outLen, bulkLen);
        if (chunk == 0) {
            throw new DeviceException(Errno.EOPNOTSUPP, "the FULL_UPDATE device's buffer of " + bulkLen
                    + " bytes holds no whole USB packet");
        }
        boolean retried = false;
        DeviceException e = sendFrame(p, chunk, prevFlushFailed);
        while (e != null) {
            retried = failed(e, retried);
            e = sendFrame(p, chunk, true);
        }
        prevFlushFailed = false;
    }

    private DeviceException sendFrame(Piece p, int chunk, boolean withSetBuffer) {
        try {
            if (withSetBuffer) {
                byte[] req = p.request.encode();
                control.set(REQ_SET_BUFFER, 0, req, req.length);
            }
            for (int off = 0; off < p.outLen; off += chunk) {
                usb.bulkOut(p.out, off, Math.min(chunk, p.outLen - off), options.bulkTimeoutMs());
            }
            stats.bytes.addAndGet(p.request.length());
            stats.wireBytes.addAndGet(p.outLen);
            return null;
        } catch (DeviceException e) {
            return e;
        } catch (IOException | RuntimeException e) {
            return new DeviceException(Errno.EIO, "sending a frame to " + usb.describe() + " failed: " + e, e);
        }
    }

    /** Pieces one after the other on this thread, each retried once when the error allows. */
    private void sendAll(Framebuffer src, GudFormat format, int x, int y0, int w, int h, int lines) throws IOException {
        Piece piece = pieces[0];
        boolean retried = false;
        for (int y = y0; y < y0 + h; ) {
            int n = Math.min(lines, y0 + h - y);
            prepare(piece, src, format, x, y, w, n, true);
            DeviceException e = send(piece);
            while (e != null) {
                retried = failed(e, retried);
                e = send(piece);
            }
            prevFlushFailed = false;
            y += n;
        }
    }

    /** Converts piece k+1 while the transfer thread sends piece k; a failed piece is retried once. */
    private void sendPipelined(Framebuffer src, GudFormat format, int x, int y0, int w, int h, int lines)
            throws IOException {
        boolean retried = false;
        Piece inFlight = null;
        int k = 0;
        try {
            for (int y = y0; y < y0 + h || inFlight != null; ) {
                Piece next = null;
                if (y < y0 + h) {
                    int n = Math.min(lines, y0 + h - y);
                    next = pieces[k++ & 1];
                    prepare(next, src, format, x, y, w, n, true);
                    y += n;
                }
                if (inFlight != null) {
                    DeviceException e = tx.await();
                    Piece failedPiece = inFlight;
                    inFlight = null;
                    while (e != null) {
                        retried = failed(e, retried);
                        e = send(failedPiece);
                    }
                    prevFlushFailed = false;
                }
                if (next != null) {
                    tx.submit(next);
                    inFlight = next;
                }
            }
        } finally {
            if (inFlight != null) {
                tx.await(); // never leave a piece's buffer to the next flush while it is being sent
            }
        }
    }

    /** Books a failed piece; throws when it may not be retried, returns true (now retried) otherwise. */
    private boolean failed(DeviceException e, boolean retried) throws DeviceException {
        stats.errors.incrementAndGet();
        Errno errno = e.errno();
        if (errno != Errno.ENODEV) {
            prevFlushFailed = true; // a FULL_UPDATE device gets SET_BUFFER again to reset its state
        }
        if (retried || errno == Errno.ENODEV || errno == Errno.EPROTO) {
            throw e; // gone (or a protocol error): the kernel does not retry these either
        }
        stats.retries.incrementAndGet();
        LOG.debug("{}: flush piece failed ({}), retrying once", device.id(), e.toString());
        return true;
    }

    /** One piece of a flush: converted (and compressed) pixels of whole lines, with its SET_BUFFER. */
    private static final class Piece {
        byte[] conv = new byte[0];
        byte[] comp = new byte[0];
        byte[] line = new byte[0];
        byte[] out;
        int outLen;
        SetBuffer request;
    }

    private void prepare(Piece p, Framebuffer src, GudFormat format, int x, int y, int w, int h, boolean compress) {
        int bytes = format.lineBytes(w) * h;
        if (p.conv.length < bytes) {
            p.conv = new byte[bytes];
        }
        if (p.line.length < w * 4) {
            p.line = new byte[w * 4];
        }
        int len = format.convert(src, x, y, w, h, p.conv, 0, p.line);
        p.out = p.conv;
        p.outLen = len;
        int compression = 0;
        if (compress && lz4 != null) {
            if (p.comp.length < lz4.maxCompressedLength(len)) {
                p.comp = new byte[lz4.maxCompressedLength(len)];
            }
            int cl = lz4.compress(p.conv, 0, len, p.comp, 0, p.comp.length);
            if (cl < len) { // LZ4 only when it shrinks the data (equal lengths read as raw on the device)
                p.out = p.comp;
                p.outLen = cl;
                compression = COMPRESSION_LZ4;
            }
        }
        p.request = new SetBuffer(x, y, w, h, len, compression, compression != 0 ? p.outLen : 0);
    }

    /** SET_BUFFER then the bulk OUT; the error or null. */
    private DeviceException send(Piece p) {
        try {
            byte[] req = p.request.encode();
            control.set(REQ_SET_BUFFER, 0, req, req.length);
            usb.bulkOut(p.out, 0, p.outLen, options.bulkTimeoutMs());
            stats.bytes.addAndGet(p.request.length());
            stats.wireBytes.addAndGet(p.outLen);
            return null;
        } catch (DeviceException e) {
            return e;
        } catch (IOException | RuntimeException e) {
            return new DeviceException(Errno.EIO, "sending a piece to " + usb.describe() + " failed: " + e, e);
        }
    }

    /**
     * The transfer thread of the flush pipeline: sends one piece at a time (SET_BUFFER + bulk
     * OUT) while the flushing thread converts the next. It talks to hardware, so it lives in the
     * hardware scope (stopped there); every transfer enters the unplug guard in the transport.
     */
    private final class TxWorker {
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();
        private final Thread thread;
        private Piece job;
        private boolean busy;
        private DeviceException result;
        private boolean stop;

        TxWorker() {
            thread = new Thread(this::run, "gud-tx-" + device.id());
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        void submit(Piece p) {
            lock.lock();
            try {
                job = p;
                busy = true;
                result = null;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        DeviceException await() {
            lock.lock();
            try {
                while (busy) {
                    changed.awaitUninterruptibly();
                }
                return result;
            } finally {
                lock.unlock();
            }
        }

        private void run() {
            while (true) {
                Piece p;
                lock.lock();
                try {
                    while (job == null && !stop) {
                        changed.awaitUninterruptibly();
                    }
                    if (job == null) {
                        return;
                    }
                    p = job;
                    job = null;
                } finally {
                    lock.unlock();
                }
                DeviceException e = send(p);
                lock.lock();
                try {
                    result = e;
                    busy = false;
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        }

        void stop() throws InterruptedException {
            lock.lock();
            try {
                stop = true;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            thread.join(TimeUnit.SECONDS.toMillis(10));
            if (thread.isAlive()) {
                LOG.warn("{}: transfer thread did not stop within 10 s", device.id());
            }
        }
    }
}
