package org.paneld.drivers.gud;

import static org.paneld.drivers.gud.GudProtocol.*;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.core.Errno;
import org.paneld.drivers.display.Display;
import org.paneld.drivers.display.DisplayInfo;
import org.paneld.drivers.pixel.Framebuffer;
import org.paneld.drivers.pixel.PixelFormat;
import org.paneld.drivers.pixel.Rect;
import org.paneld.drivers.usb.UsbTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GUD host driver's display functions for one bound device (the driver data of
 * {@link GudDriver}): the protocol state learnt at probe ({@link GudProbe}: descriptor, formats,
 * connector, mode, properties), the committed state, and flushes handed to {@link GudFlusher}
 * (control requests go through {@link GudControl}, connector polling is {@link GudConnectorPoller}).
 *
 * <p>Lifetime: created at probe, lives as long as the device object; its hardware resources
 * (the transport, the connector poll and transfer threads) are in the device's hardware scope, so
 * after unbind {@link #info()} still works and every other call fails with ENODEV at the guard.
 * Threads: the device model serialises enable/disable/flush/setProperty; the poll thread only
 * issues control requests, which {@link GudControl} serialises with everyone else's.
 */
public final class GudDisplay implements Display {
    private static final Logger LOG = LoggerFactory.getLogger(GudDisplay.class);
    private static final long MAX_BULK = 64L << 20; // the kernel's cap: 4096x4096 XRGB8888

    private final Device device;
    private final GudControl control;
    private final GudOptions options;
    private final Descriptor descriptor;
    private final List<GudFormat> deviceFormats;
    private final List<Property> deviceProperties;
    private final List<Property> connectorProperties; // known ones, values updated as we set them
    private final Mode mode;
    private final int widthMm;
    private final int heightMm;
    private final int bulkLen;
    private final boolean fullUpdate;
    private final LZ4Compressor lz4;
    private final Stats stats;
    private final GudFlusher flusher;

    // touched only by the serialised display operations
    private GudFormat committedFormat;

    private volatile boolean connected;
    private volatile boolean displayOn;
    private volatile long backlight = -1;

    GudDisplay(Device device, GudControl control, GudOptions options, Stats stats, Descriptor descriptor,
               List<GudFormat> deviceFormats, List<Property> deviceProperties, List<Property> connectorProperties,
               Mode mode, int widthMm, int heightMm, boolean connected) {
        this.device = device;
        this.control = control;
        this.options = options;
        this.stats = stats;
        this.descriptor = descriptor;
        this.deviceFormats = List.copyOf(deviceFormats);
        this.deviceProperties = List.copyOf(deviceProperties);
        this.connectorProperties = new ArrayList<>(connectorProperties);
        this.mode = mode;
        this.widthMm = widthMm;
        this.heightMm = heightMm;
        this.connected = connected;
        this.fullUpdate = (descriptor.flags() & FLAG_FULL_UPDATE) != 0;
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
        this.flusher = new GudFlusher(device, control, options, stats, lz4, fullUpdate, bulkLen);
    }

    /** Probes the device over {@code usb}; see {@link GudProbe}. */
    static GudDisplay probe(Device device, UsbTransport usb, GudOptions options) throws IOException {
        return GudProbe.probe(device, usb, options);
    }

    void startPolling() {
        new GudConnectorPoller(device, control, this::connectorStatus).start(options.pollInterval());
    }

    /** The pipelined transfer thread (not on FULL_UPDATE devices, which take one frame at a time). */
    void startTransfers() {
        if (!fullUpdate) {
            flusher.startTransferThread();
        }
    }

    private void connectorStatus(boolean now, boolean changed) {
        if (now != connected || changed) {
            LOG.info("{}: connector {}", device.id(),
                    now ? "connected" : "disconnected");
        }
        connected = now;
        stats.polls.incrementAndGet();
    }

    /** GET_CONNECTOR_STATUS once, as the poll does (tests). Runs inside the guard. */
    void pollConnector() throws IOException {
        new GudConnectorPoller(device, control, this::connectorStatus).poll();
    }

    private void setU8(int req, int value) throws IOException {
        control.setU8(req, value);
    }

    private void set(int req, int index, byte[] data, int len) throws IOException {
        control.set(req, index, data, len);
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
        flusher.distrust(); // a new format or state: what the device shows is not what the shadow holds
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
     * (in the device's order) that the kernel uses to emulate XRGB8888. A FULL_UPDATE device
     * always gets the format chosen for XRGB8888: it keeps its endpoint armed for a whole frame of
     * the format checked first and re-arms that length after every frame, so a frame in another
     * format would not fit it.
     */
    GudFormat formatFor(PixelFormat client) {
        if (fullUpdate && client != PixelFormat.XRGB8888) {
            return formatFor(PixelFormat.XRGB8888);
        }
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
        flusher.flush(source, format, damage, format == GudFormat.of(source.format()));
        stats.frames.incrementAndGet();
    }

    /**
     * The daemon's shadow of the device's framebuffer as RGB, for the live view (see
     * {@link GudFlusher#copyShown()}): under the device's operation lock only a byte copy; null
     * before the first flush.
     */
    @Override
    public java.util.function.Supplier<org.paneld.drivers.pixel.RgbImage> copyShownPicture() {
        return flusher.copyShown();
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

    @Override
    public long wireBytes() {
        return stats.wireBytes();
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
