package org.paneld.drivers.gud;

import static org.paneld.drivers.gud.GudProtocol.*;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.core.Errno;
import org.paneld.drivers.core.NoDeviceException;
import org.paneld.drivers.display.Display;
import org.paneld.drivers.display.DisplayInfo;
import org.paneld.drivers.pixel.Framebuffer;
import org.paneld.drivers.pixel.PixelFormat;
import org.paneld.drivers.pixel.Rect;
import org.paneld.drivers.usb.UsbStallException;
import org.paneld.drivers.usb.UsbTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GUD host driver's display functions for one bound device (the driver data of
 * {@link GudDriver}): the protocol state learnt at probe (descriptor, formats, connector, mode,
 * properties) and the flush pipeline (damage → device format → LZ4 → pieces of whole lines →
 * SET_BUFFER + bulk OUT).
 *
 * <p>Lifetime: created at probe, lives as long as the device object; its hardware resources
 * (the transport, the connector poll thread) are in the device's hardware scope, so after unbind
 * {@link #info()} still works and every other call fails with ENODEV at the guard.
 * Threads: the device model serialises enable/disable/flush/setProperty; the poll thread only
 * issues control requests, which {@code ctrlLock} serialises with everyone else's (a request and
 * its GET_STATUS belong together).
 */
public final class GudDisplay implements Display {
    private static final Logger LOG = LoggerFactory.getLogger(GudDisplay.class);
    private static final long MAX_BULK = 64L << 20; // the kernel's cap: 4096x4096 XRGB8888

    private final Device device;
    private final UsbTransport usb;
    private final GudOptions options;
    private final Descriptor descriptor;
    private final List<GudFormat> deviceFormats;
    private final List<Property> deviceProperties;
    private final List<Property> connectorProperties; // known ones, values updated as we set them
    private final int connectorFlags;
    private final Mode mode;
    private final int widthMm;
    private final int heightMm;
    private final int bulkLen;
    private final boolean fullUpdate;
    private final boolean statusOnSet;
    private final LZ4Compressor lz4;
    private final Object ctrlLock = new Object();
    private final Stats stats = new Stats();

    /** Flush pieces are at most this big when pipelined (not on FULL_UPDATE devices). */
    static final int PIPELINE_BYTES = 256 * 1024;

    // flush state: touched only by the serialised display operations
    private final Piece[] pieces = {new Piece(), new Piece()};
    private TxWorker tx;
    private GudFormat committedFormat;
    private boolean prevFlushFailed;

    private volatile boolean connected;
    private volatile boolean displayOn;
    private volatile long backlight = -1;

    private GudDisplay(Device device, UsbTransport usb, GudOptions options, Descriptor descriptor,
                       List<GudFormat> deviceFormats, List<Property> deviceProperties, List<Property> connectorProperties,
                       int connectorFlags, Mode mode, int widthMm, int heightMm, boolean connected) {
        this.device = device;
        this.usb = usb;
        this.options = options;
        this.descriptor = descriptor;
        this.deviceFormats = List.copyOf(deviceFormats);
        this.deviceProperties = List.copyOf(deviceProperties);
        this.connectorProperties = new ArrayList<>(connectorProperties);
        this.connectorFlags = connectorFlags;
        this.mode = mode;
        this.widthMm = widthMm;
        this.heightMm = heightMm;
        this.connected = connected;
        this.fullUpdate = (descriptor.flags() & FLAG_FULL_UPDATE) != 0;
        this.statusOnSet = (descriptor.flags() & FLAG_STATUS_ON_SET) != 0;
        this.lz4 = options.useCompression() && (descriptor.compression() & COMPRESSION_LZ4) != 0
                ? LZ4Factory.fastestInstance().fastCompressor() : null;
        long len = descriptor.maxBufferSize();
        if (len == 0) {
            for (GudFormat f : deviceFormats) {
                len = Math.max(len, (long) f.lineBytes((int) Math.min(descriptor.maxWidth(), 65535)) * descriptor.maxHeight());
            }
        }
        this.bulkLen = (int) Math.min(len, MAX_BULK);
        for (Property p : connectorProperties) {
            if (p.prop() == PROPERTY_BACKLIGHT_BRIGHTNESS) {
                backlight = p.value();
            }
        }
    }

    // ------------------------------------------------------------------ probe

    /**
     * Reads the device's description over {@code usb} (inside the device's guard, at probe) and
     * starts connector polling when the connector asks for it. Errors name the request and what
     * was wrong with the answer.
     */
    static GudDisplay probe(Device device, UsbTransport usb, GudOptions options) throws IOException {
        Probe p = new Probe(usb, options);
        byte[] buf = new byte[CONNECTOR_MAX_NUM_MODES * MODE_SIZE];

        int n = p.get(REQ_GET_DESCRIPTOR, 0, buf, DESCRIPTOR_SIZE);
        Descriptor desc = Descriptor.decode(buf, n);

        n = p.get(REQ_GET_FORMATS, 0, buf, FORMATS_MAX_NUM);
        List<GudFormat> formats = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            GudFormat f = GudFormat.ofCode(buf[i] & 0xFF);
            if (f == null) {
                LOG.debug("{}: ignoring unknown GUD format 0x{}", device.id(), Integer.toHexString(buf[i] & 0xFF));
            } else if (!formats.contains(f)) {
                formats.add(f);
            }
        }
        if (formats.isEmpty()) {
            throw new DeviceException(Errno.EOPNOTSUPP, "GET_FORMATS: the device offers no pixel format this host knows ("
                    + n + " format bytes)");
        }

        n = p.get(REQ_GET_PROPERTIES, 0, buf, PROPERTIES_MAX_NUM * PROPERTY_SIZE);
        List<Property> devProps = new ArrayList<>();
        for (Property prop : Property.decode(buf, n, "GET_PROPERTIES")) {
            if (prop.prop() == PROPERTY_ROTATION) {
                devProps.add(new Property(PROPERTY_ROTATION, ROTATION_0)); // we send unrotated pixels
            }
        }

        n = p.get(REQ_GET_CONNECTORS, 0, buf, CONNECTORS_MAX_NUM * CONNECTOR_SIZE);
        List<Connector> connectors = Connector.decode(buf, n);
        int connectorFlags = connectors.get(0).flags();

        n = p.get(REQ_GET_CONNECTOR_PROPERTIES, 0, buf, CONNECTOR_PROPERTIES_MAX_NUM * PROPERTY_SIZE);
        List<Property> connProps = new ArrayList<>();
        for (Property prop : Property.decode(buf, n, "GET_CONNECTOR_PROPERTIES")) {
            if (prop.prop() == PROPERTY_BACKLIGHT_BRIGHTNESS) {
                if (prop.value() < 0 || prop.value() > 100) {
                    throw new DeviceException(Errno.EPROTO, "GET_CONNECTOR_PROPERTIES: backlight " + prop.value()
                            + " is outside 0..100");
                }
                connProps.add(prop);
            } else if (prop.prop() >= 1 && prop.prop() <= 11) {
                connProps.add(prop); // TV properties: handed back unchanged in every state
            }
        }

        n = p.get(REQ_GET_CONNECTOR_STATUS, 0, buf, 1);
        boolean connected = n == 1 && (buf[0] & CONNECTOR_STATUS_CONNECTED_MASK) == CONNECTOR_STATUS_CONNECTED;

        // Modes: the device's list; when it has none, the EDID's preferred timing (as the kernel).
        Edid edid = null;
        try {
            n = p.get(REQ_GET_CONNECTOR_EDID, 0, buf, CONNECTOR_MAX_EDID_LEN);
            if (n >= 128 && n % 128 == 0) {
                edid = Edid.parse(buf, n);
            }
        } catch (NoDeviceException e) {
            throw e;
        } catch (DeviceException e) {
            LOG.debug("{}: no EDID: {}", device.id(), e.getMessage());
        }
        List<Mode> modes = List.of();
        try {
            n = p.get(REQ_GET_CONNECTOR_MODES, 0, buf, CONNECTOR_MAX_NUM_MODES * MODE_SIZE);
            modes = Mode.decode(buf, n);
        } catch (NoDeviceException e) {
            throw e;
        } catch (DeviceException e) {
            LOG.debug("{}: GET_CONNECTOR_MODES failed: {}", device.id(), e.getMessage());
        }
        Mode mode = null;
        for (Mode m : modes) {
            if (m.preferred()) {
                mode = m;
                break;
            }
        }
        if (mode == null && !modes.isEmpty()) {
            mode = modes.get(0);
        }
        if (mode == null && edid != null) {
            mode = edid.mode();
        }
        if (mode == null && desc.minWidth() == desc.maxWidth() && desc.minHeight() == desc.maxHeight()) {
            mode = Mode.simple((int) desc.maxWidth(), (int) desc.maxHeight(), true);
        }
        if (mode == null || mode.hdisplay() == 0 || mode.vdisplay() == 0) {
            throw new DeviceException(Errno.EPROTO, "the GUD connector reports no usable display mode (no modes, no EDID)");
        }
        if (mode.hdisplay() > desc.maxWidth() || mode.vdisplay() > desc.maxHeight()) {
            throw new DeviceException(Errno.EPROTO, "the GUD mode " + mode.hdisplay() + "x" + mode.vdisplay()
                    + " exceeds the descriptor's maximum " + desc.maxWidth() + "x" + desc.maxHeight());
        }
        GudDisplay d = new GudDisplay(device, usb, options, desc, formats, devProps, connProps, connectorFlags, mode,
                edid == null ? 0 : edid.widthMm(), edid == null ? 0 : edid.heightMm(), connected);
        if ((connectorFlags & CONNECTOR_FLAG_POLL_STATUS) != 0 && !options.pollInterval().isZero()) {
            d.startPolling();
        }
        if (!d.fullUpdate) {
            d.startTransferThread();
        }
        LOG.info("{}: GUD v{} {}x{} formats {} flags 0x{} compression {} max_buffer {} on {}", device.id(), desc.version(),
                mode.hdisplay(), mode.vdisplay(), formats, Integer.toHexString(desc.flags()), desc.compression(),
                d.bulkLen, usb.describe());
        return d;
    }

    /** Probe-time requests, before the display object exists (same rules as {@link #get}). */
    private static final class Probe {
        final UsbTransport usb;
        final GudOptions options;

        Probe(UsbTransport usb, GudOptions options) {
            this.usb = usb;
            this.options = options;
        }

        int get(int req, int index, byte[] buf, int len) throws IOException {
            try {
                return usb.controlIn(req, index, buf, len, options.controlTimeoutMs());
            } catch (UsbStallException stall) {
                throw afterStall(usb, options, req, stall);
            }
        }
    }

    // ------------------------------------------------------------------ control requests

    /** A GET request; a stall is followed by GET_STATUS to learn why. Returns the length received. */
    int get(int req, int index, byte[] buf, int len) throws IOException {
        synchronized (ctrlLock) {
            try {
                return usb.controlIn(req, index, buf, len, options.controlTimeoutMs());
            } catch (UsbStallException stall) {
                stats.errors.incrementAndGet();
                throw afterStall(usb, options, req, stall);
            }
        }
    }

    /** A SET request; with STATUS_ON_SET every SET is followed by GET_STATUS, a stall always is. */
    void set(int req, int index, byte[] data, int len) throws IOException {
        synchronized (ctrlLock) {
            try {
                usb.controlOut(req, index, data, len, options.controlTimeoutMs());
            } catch (UsbStallException stall) {
                stats.errors.incrementAndGet();
                throw afterStall(usb, options, req, stall);
            }
            if (statusOnSet) {
                int status = readStatus(usb, options);
                if (status != STATUS_OK) {
                    stats.errors.incrementAndGet();
                    throw statusError(req, status);
                }
            }
        }
    }

    private static DeviceException afterStall(UsbTransport usb, GudOptions options, int req, UsbStallException stall)
            throws IOException {
        int status = readStatus(usb, options);
        if (status == STATUS_OK) {
            return new DeviceException(Errno.EIO, requestName(req) + " stalled, yet the device reports status OK", stall);
        }
        return statusError(req, status);
    }

    private static int readStatus(UsbTransport usb, GudOptions options) throws IOException {
        byte[] b = new byte[1];
        int n = usb.controlIn(REQ_GET_STATUS, 0, b, 1, options.controlTimeoutMs());
        if (n != 1) {
            throw new DeviceException(Errno.EPROTO, "GET_STATUS returned " + n + " bytes, expected 1");
        }
        return b[0] & 0xFF;
    }

    private static DeviceException statusError(int req, int status) {
        return new DeviceException(statusErrno(status), requestName(req) + " failed: the device reports "
                + statusName(status));
    }

    private void setU8(int req, int value) throws IOException {
        set(req, 0, new byte[] {(byte) value}, 1);
    }

    // ------------------------------------------------------------------ display functions

    @Override
    public DisplayInfo info() {
        List<DisplayInfo.Property> props = new ArrayList<>();
        long bl = backlight;
        if (bl >= 0) {
            props.add(new DisplayInfo.Property("backlight", 0, 100, bl));
        }
        props.add(new DisplayInfo.Property("power", 0, 1, displayOn ? 1 : 0));
        GudFormat f = committedFormat;
        if (f == null) {
            f = formatFor(PixelFormat.XRGB8888);
        }
        return new DisplayInfo(GudDriver.NAME, mode.hdisplay(), mode.vdisplay(), widthMm, heightMm,
                List.of(PixelFormat.XRGB8888, PixelFormat.RGB565), f.panelFormat(), 0, props, connected, "fast");
    }

    @Override
    public void enable() throws IOException {
        setU8(REQ_SET_CONTROLLER_ENABLE, 1);
        commitState(committedFormat != null ? committedFormat : formatFor(PixelFormat.XRGB8888), backlight);
        setU8(REQ_SET_DISPLAY_ENABLE, 1);
        displayOn = true;
    }

    @Override
    public void disable() throws IOException {
        displayOn = false;
        setU8(REQ_SET_DISPLAY_ENABLE, 0);
        setU8(REQ_SET_CONTROLLER_ENABLE, 0);
        committedFormat = null; // re-check the state at the next enable
    }

    @Override
    public void setProperty(String name, long value) throws IOException {
        switch (name) {
            case "backlight":
                if (backlight < 0) {
                    throw new DeviceException(Errno.EINVAL, "this GUD display has no backlight property");
                }
                if (value < 0 || value > 100) {
                    throw new DeviceException(Errno.EINVAL, "backlight must be from 0 to 100, got " + value);
                }
                commitState(committedFormat != null ? committedFormat : formatFor(PixelFormat.XRGB8888), value);
                backlight = value;
                break;
            case "power":
                if (value != 0 && value != 1) {
                    throw new DeviceException(Errno.EINVAL, "power must be 0 or 1, got " + value);
                }
                setU8(REQ_SET_DISPLAY_ENABLE, (int) value);
                displayOn = value == 1;
                break;
            default:
                throw new DeviceException(Errno.EINVAL, "unknown property '" + name + "' (GUD displays have: "
                        + (backlight >= 0 ? "backlight, " : "") + "power)");
        }
    }

    /** STATE_CHECK then STATE_COMMIT with the whole state (the protocol sends it whole at every change). */
    private void commitState(GudFormat format, long backlightValue) throws IOException {
        List<Property> props = new ArrayList<>();
        for (Property p : connectorProperties) {
            props.add(p.prop() == PROPERTY_BACKLIGHT_BRIGHTNESS ? new Property(p.prop(), backlightValue) : p);
        }
        props.addAll(deviceProperties);
        byte[] state = new State(mode, format.code(), 0, props).encode();
        set(REQ_SET_STATE_CHECK, 0, state, state.length);
        set(REQ_SET_STATE_COMMIT, 0, null, 0);
        committedFormat = format;
    }

    /**
     * The device format for a client format, as the kernel chooses: the client's own format when
     * the device takes it; else XRGB8888 when offered; else the first of the device's formats
     * (in the device's order) that the kernel uses to emulate XRGB8888.
     */
    GudFormat formatFor(PixelFormat client) {
        GudFormat same = GudFormat.of(client);
        if (same != null && deviceFormats.contains(same)) {
            return same;
        }
        if (deviceFormats.contains(GudFormat.XRGB8888)) {
            return GudFormat.XRGB8888;
        }
        for (GudFormat f : deviceFormats) {
            if (f != GudFormat.ARGB8888) {
                return f;
            }
        }
        return deviceFormats.get(0);
    }

    // ------------------------------------------------------------------ flush

    @Override
    public void flush(Framebuffer source, Rect damage) throws IOException {
        if (source.width() != mode.hdisplay() || source.height() != mode.vdisplay()) {
            throw new DeviceException(Errno.EINVAL, "flush source is " + source.width() + "x" + source.height()
                    + ", the display is " + mode.hdisplay() + "x" + mode.vdisplay());
        }
        if (!damage.isInside(source.width(), source.height())) {
            throw new DeviceException(Errno.EINVAL, "damage " + damage + " is not inside the "
                    + source.width() + "x" + source.height() + " display");
        }
        if (source.format() != PixelFormat.XRGB8888 && source.format() != PixelFormat.RGB565) {
            throw new DeviceException(Errno.EINVAL, "flush source format " + source.format()
                    + " is not one this display takes (XRGB8888, RGB565)");
        }
        GudFormat format = formatFor(source.format());
        if (format != committedFormat) {
            commitState(format, backlight);
        }
        Rect r = fullUpdate ? source.bounds() : damage;
        int ppb = format.pixelsPerByte();
        int x0 = r.x() - r.x() % ppb;
        int w = (int) (r.right() - x0);
        int pitch = format.lineBytes(w);
        int lines = Math.min(r.height(), bulkLen / pitch);
        if (lines == 0) {
            throw new DeviceException(Errno.EINVAL, "one line of the damage (" + pitch + " bytes) does not fit the"
                    + " device's buffer of " + bulkLen + " bytes");
        }
        if (!fullUpdate && tx != null && (format != GudFormat.of(source.format()) || lz4 != null)) {
            // Real work per byte (conversion, compression): pieces of about PIPELINE_BYTES, so that
            // preparing one overlaps sending the previous. A plain copy is not worth the extra
            // SET_BUFFERs.
            lines = Math.min(lines, Math.max(1, PIPELINE_BYTES / pitch));
        }
        boolean split = lines < r.height();
        if (!split || tx == null) {
            sendAll(source, format, x0, r.y(), w, r.height(), lines, split);
        } else {
            sendPipelined(source, format, x0, r.y(), w, r.height(), lines);
        }
        stats.frames.incrementAndGet();
    }

    /** Pieces one after the other on this thread, each retried once when the error allows. */
    private void sendAll(Framebuffer src, GudFormat format, int x, int y0, int w, int h, int lines, boolean split)
            throws IOException {
        Piece piece = pieces[0];
        boolean retried = false;
        for (int y = y0; y < y0 + h; ) {
            int n = Math.min(lines, y0 + h - y);
            prepare(piece, src, format, x, y, w, n);
            DeviceException e = send(piece, !fullUpdate || prevFlushFailed || split);
            while (e != null) {
                retried = failed(e, retried);
                e = send(piece, true);
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
                    prepare(next, src, format, x, y, w, n);
                    y += n;
                }
                if (inFlight != null) {
                    DeviceException e = tx.await();
                    Piece failedPiece = inFlight;
                    inFlight = null;
                    while (e != null) {
                        retried = failed(e, retried);
                        e = send(failedPiece, true);
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
            throw e;
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

    private void prepare(Piece p, Framebuffer src, GudFormat format, int x, int y, int w, int h) {
        int bytes = format.lineBytes(w) * h;
        if (p.conv.length < bytes) {
            p.conv = new byte[bytes];
            if (lz4 != null) {
                p.comp = new byte[lz4.maxCompressedLength(bytes)];
            }
        }
        if (p.line.length < w * 4) {
            p.line = new byte[w * 4];
        }
        int len = format.convert(src, x, y, w, h, p.conv, 0, p.line);
        p.out = p.conv;
        p.outLen = len;
        int compression = 0;
        if (lz4 != null) {
            int cl = lz4.compress(p.conv, 0, len, p.comp, 0, p.comp.length);
            if (cl < len) { // send raw when compression does not help
                p.out = p.comp;
                p.outLen = cl;
                compression = COMPRESSION_LZ4;
            }
        }
        p.request = new SetBuffer(x, y, w, h, len, compression, compression != 0 ? p.outLen : 0);
    }

    /** SET_BUFFER (unless a FULL_UPDATE device may go without) then the bulk OUT; the error or null. */
    private DeviceException send(Piece p, boolean withSetBuffer) {
        try {
            if (withSetBuffer) {
                byte[] req = p.request.encode();
                set(REQ_SET_BUFFER, 0, req, req.length);
            }
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
                DeviceException e = send(p, true);
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

    // ------------------------------------------------------------------ connector polling

    private final ReentrantLock pollLock = new ReentrantLock();
    private final Condition pollWake = pollLock.newCondition();
    private boolean pollStop;

    private void startTransferThread() {
        TxWorker w = new TxWorker();
        device.hardware().add("stop transfer thread of " + device.id(), w::stop);
        tx = w;
        w.start();
    }

    private void startPolling() {
        Thread t = new Thread(this::pollLoop, "gud-poll-" + device.id());
        t.setDaemon(true);
        // The poll thread talks to hardware: it lives in the hardware scope and is stopped there.
        device.hardware().add("stop connector poll thread of " + device.id(), () -> {
            pollLock.lock();
            try {
                pollStop = true;
                pollWake.signalAll();
            } finally {
                pollLock.unlock();
            }
            t.join(TimeUnit.SECONDS.toMillis(10));
            if (t.isAlive()) {
                LOG.warn("{}: connector poll thread did not stop within 10 s", device.id());
            }
        });
        t.start();
    }

    private void pollLoop() {
        long periodNanos = options.pollInterval().toNanos();
        while (true) {
            pollLock.lock();
            try {
                long left = periodNanos;
                while (!pollStop && left > 0) {
                    left = pollWake.awaitNanos(left);
                }
                if (pollStop) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                pollLock.unlock();
            }
            try {
                pollConnector();
            } catch (NoDeviceException e) {
                device.reportGone("connector poll: " + e.getMessage()); // harmless when already unplugging
                return;
            } catch (IOException | RuntimeException e) {
                LOG.debug("{}: connector poll failed: {}", device.id(), e.toString());
            }
        }
    }

    /** GET_CONNECTOR_STATUS once (also what keeps gud-pico's 15 s watchdog fed). Runs inside the guard. */
    void pollConnector() throws IOException {
        device.guard().enter();
        try {
            byte[] b = new byte[1];
            int n = get(REQ_GET_CONNECTOR_STATUS, 0, b, 1);
            if (n != 1) {
                throw new DeviceException(Errno.EPROTO, "GET_CONNECTOR_STATUS returned " + n + " bytes");
            }
            boolean now = (b[0] & CONNECTOR_STATUS_CONNECTED_MASK) == CONNECTOR_STATUS_CONNECTED;
            if (now != connected || (b[0] & CONNECTOR_STATUS_CHANGED) != 0) {
                LOG.info("{}: connector {}", device.id(), now ? "connected" : "disconnected");
            }
            connected = now;
            stats.polls.incrementAndGet();
        } finally {
            device.guard().exit();
        }
    }

    // ------------------------------------------------------------------ introspection

    public Descriptor descriptor() {
        return descriptor;
    }

    public List<GudFormat> deviceFormats() {
        return deviceFormats;
    }

    public Mode mode() {
        return mode;
    }

    /** The maximum bytes of one SET_BUFFER piece (uncompressed). */
    public int bufferLength() {
        return bulkLen;
    }

    public boolean compressing() {
        return lz4 != null;
    }

    public Stats stats() {
        return stats;
    }

    /** Counters of one binding. Threads: any. */
    public static final class Stats {
        final AtomicLong frames = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        final AtomicLong wireBytes = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final AtomicLong retries = new AtomicLong();
        final AtomicLong polls = new AtomicLong();

        public long frames() { return frames.get(); }
        /** Pixel bytes sent before compression. */
        public long bytes() { return bytes.get(); }
        /** Bytes that went over the bulk endpoint. */
        public long wireBytes() { return wireBytes.get(); }
        public long errors() { return errors.get(); }
        public long retries() { return retries.get(); }
        public long polls() { return polls.get(); }

        @Override
        public String toString() {
            return "frames=" + frames() + " bytes=" + bytes() + " wire=" + wireBytes() + " errors=" + errors()
                    + " retries=" + retries() + " polls=" + polls();
        }
    }
}
