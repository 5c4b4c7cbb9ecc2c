package org.paneld.drivers.virtual;

import static org.paneld.drivers.gud.GudProtocol.*;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import org.paneld.drivers.core.ConfigException;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.core.DeviceConfig;
import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.core.Errno;
import org.paneld.drivers.core.NoDeviceException;
import org.paneld.drivers.core.UnplugGuard;
import org.paneld.drivers.core.VirtualHardware;
import org.paneld.drivers.gud.GudFormat;
import org.paneld.drivers.gud.GudProtocol;
import org.paneld.drivers.pixel.RgbImage;
import org.paneld.drivers.usb.UsbStallException;
import org.paneld.drivers.usb.UsbTransport;
import org.paneld.drivers.usb.UsbTransportFactory;

/**
 * A GUD device emulator behind the {@link UsbTransport} interface: it answers the vendor control
 * requests the way gud-pico does (descriptor, formats, properties, one panel connector, its
 * status, modes or EDID, SET_BUFFER, STATE_CHECK/COMMIT, controller and display enable),
 * decompresses (LZ4) and applies bulk data into its framebuffer, and {@link #snapshot()} shows
 * what the panel would. Fault injection: stall a request, answer BUSY / PROTOCOL_ERROR (or any
 * status), time out a bulk transfer, disconnect in the middle of a bulk transfer.
 *
 * <p>Config keys ({@code backend = "virtual"}): {@code width} (default 320), {@code height}
 * (240), {@code formats} (list of names, default ["xrgb8888", "rgb565"]; known: r1, r8,
 * xrgb1111, rgb332, rgb565, rgb888, xrgb8888, argb8888), {@code lz4} (false: offer LZ4
 * compression), {@code max_buffer_size} (0 = none), {@code full_update} (false; not with lz4),
 * {@code status_on_set} (false), {@code connector_poll} (true: the connector asks for status
 * polling), {@code backlight} (true: offer the backlight property, initially 100),
 * {@code bulk_mb_per_s} (0 = instant; 40 times the bulk endpoint like USB 2.0 high speed),
 * {@code watchdog_ms} (0 = off; gud-pico resets itself after 15000 ms without a request: the
 * device then drops off the bus).
 *
 * <p>Lifetime: the bus device's (it plays the physical device: it outlives bindings and keeps
 * its picture across unbind/rebind). Threads: any; requests are serialised internally.
 */
public final class VirtualGudDevice implements VirtualHardware, UsbTransportFactory {

    /** The config keys of the emulator. */
    public static final Set<String> CONFIG_KEYS = Set.of("width", "height", "formats", "lz4", "max_buffer_size",
            "full_update", "status_on_set", "connector_poll", "backlight", "bulk_mb_per_s", "watchdog_ms");

    /** The emulated device's build. */
    public record Config(int width, int height, List<GudFormat> formats, boolean lz4, long maxBufferSize,
                         boolean fullUpdate, boolean statusOnSet, boolean connectorPoll, boolean backlight,
                         double bulkMbPerS, boolean modesViaEdid) {
        public Config {
            formats = List.copyOf(formats);
            if (formats.isEmpty()) {
                throw new IllegalArgumentException("a GUD device needs at least one format");
            }
        }

        public static Config defaults(int width, int height) {
            return new Config(width, height, List.of(GudFormat.XRGB8888, GudFormat.RGB565), false, 0, false, false,
                    true, true, 0, false);
        }

        public Config withFormats(GudFormat... f) {
            return new Config(width, height, List.of(f), lz4, maxBufferSize, fullUpdate, statusOnSet, connectorPoll,
                    backlight, bulkMbPerS, modesViaEdid);
        }

        public Config withLz4(boolean on) {
            return new Config(width, height, formats, on, maxBufferSize, fullUpdate, statusOnSet, connectorPoll,
                    backlight, bulkMbPerS, modesViaEdid);
        }

        public Config withMaxBufferSize(long n) {
            return new Config(width, height, formats, lz4, n, fullUpdate, statusOnSet, connectorPoll, backlight,
                    bulkMbPerS, modesViaEdid);
        }

        public Config withFullUpdate(boolean on) {
            return new Config(width, height, formats, lz4, maxBufferSize, on, statusOnSet, connectorPoll, backlight,
                    bulkMbPerS, modesViaEdid);
        }

        public Config withStatusOnSet(boolean on) {
            return new Config(width, height, formats, lz4, maxBufferSize, fullUpdate, on, connectorPoll, backlight,
                    bulkMbPerS, modesViaEdid);
        }

        public Config withConnectorPoll(boolean on) {
            return new Config(width, height, formats, lz4, maxBufferSize, fullUpdate, statusOnSet, on, backlight,
                    bulkMbPerS, modesViaEdid);
        }

        public Config withBacklight(boolean on) {
            return new Config(width, height, formats, lz4, maxBufferSize, fullUpdate, statusOnSet, connectorPoll, on,
                    bulkMbPerS, modesViaEdid);
        }

        public Config withBulkMbPerS(double mbPerS) {
            return new Config(width, height, formats, lz4, maxBufferSize, fullUpdate, statusOnSet, connectorPoll,
                    backlight, mbPerS, modesViaEdid);
        }

        /** Report no mode list, only an EDID (exercises the host's EDID path). */
        public Config withModesViaEdid(boolean on) {
            return new Config(width, height, formats, lz4, maxBufferSize, fullUpdate, statusOnSet, connectorPoll,
                    backlight, bulkMbPerS, on);
        }
    }

    /** Reads the emulator's keys from a panel config; errors name the key and the place. */
    public static VirtualGudDevice fromConfig(DeviceConfig c) throws ConfigException {
        int w = c.intValue("width", 320, 1, 4096);
        int h = c.intValue("height", 240, 1, 4096);
        List<GudFormat> formats = new ArrayList<>();
        if (c.has("formats")) {
            for (Object o : c.list("formats")) {
                if (!(o instanceof String)) {
                    throw c.error("formats", "must be a list of format names, got " + o);
                }
                try {
                    GudFormat f = GudFormat.parse((String) o);
                    if (!formats.contains(f)) {
                        formats.add(f);
                    }
                } catch (IllegalArgumentException e) {
                    throw c.error("formats", e.getMessage());
                }
            }
            if (formats.isEmpty()) {
                throw c.error("formats", "must name at least one format");
            }
        } else {
            formats.add(GudFormat.XRGB8888);
            formats.add(GudFormat.RGB565);
        }
        boolean lz4 = c.bool("lz4", false);
        long maxBuf = c.integer("max_buffer_size", 0, 0, 64L << 20);
        boolean full = c.bool("full_update", false);
        if (full && lz4) {
            throw c.error("full_update", "cannot be combined with lz4 = true (the GUD protocol forbids compression"
                    + " on FULL_UPDATE devices)");
        }
        if (maxBuf != 0) {
            int maxLine = 0;
            for (GudFormat f : formats) {
                maxLine = Math.max(maxLine, f.lineBytes(w));
            }
            if (maxBuf < maxLine) {
                throw c.error("max_buffer_size", "must hold at least one line (" + maxLine + " bytes at width " + w + ")");
            }
        }
        double rate;
        if (!c.has("bulk_mb_per_s")) {
            rate = 0;
        } else {
            Object v = c.asMap().get("bulk_mb_per_s");
            if (!(v instanceof Number) || ((Number) v).doubleValue() < 0) {
                throw c.error("bulk_mb_per_s", "must be a number ≥ 0 (MB/s of the emulated bulk endpoint), got " + v);
            }
            rate = ((Number) v).doubleValue();
        }
        VirtualGudDevice dev = new VirtualGudDevice(new Config(w, h, formats, lz4, maxBuf, full,
                c.bool("status_on_set", false), c.bool("connector_poll", true), c.bool("backlight", true), rate, false));
        dev.setWatchdogMillis(c.integer("watchdog_ms", 0, 0, 3_600_000));
        return dev;
    }

    private enum FaultKind { STALL, STATUS, BULK_TIMEOUT, DISCONNECT_MID_BULK }

    private record Fault(FaultKind kind, int request, int status) {
    }

    private final Config config;
    private final int[] framebuffer;
    private final List<Fault> faults = new ArrayList<>();
    private final List<Runnable> disconnectListeners = new CopyOnWriteArrayList<>();
    private final AtomicInteger openTransports = new AtomicInteger();
    private final AtomicInteger opens = new AtomicInteger();
    private final LZ4SafeDecompressor lz4 = LZ4Factory.fastestInstance().safeDecompressor();
    private Descriptor descriptorOverride;
    private volatile long watchdogNanos;

    // device state, guarded by this
    private boolean disconnected;
    /** Bumped at every reconnect: handles opened before a disconnect stay dead, like a re-enumerated USB device's. */
    private int plugGeneration;
    private int status = STATUS_OK;
    private boolean controllerEnabled;
    private boolean displayEnabled;
    private State pendingState;
    private State committedState;
    private SetBuffer setBuffer;
    private long backlight;
    private int connectorStatus = CONNECTOR_STATUS_CONNECTED;
    private long frames;
    private long bulkBytes;
    private long requests;
    private long statusPolls;
    private long lastRequestNanos = System.nanoTime();
    private String lastError;
    private int protocolErrors;
    private byte[] scratch = new byte[0];

    public VirtualGudDevice(Config config) {
        this.config = config;
        this.framebuffer = new int[config.width * config.height];
        this.backlight = config.backlight ? 100 : -1;
    }

    public Config config() {
        return config;
    }

    /** Emulates gud-pico's watchdog: after {@code ms} without a request the device resets and drops off the bus (0 = off). */
    public void setWatchdogMillis(long ms) {
        watchdogNanos = ms * 1_000_000L;
    }

    private long watchdogResets;

    /** Times the watchdog reset the device. */
    public synchronized long watchdogResets() {
        return watchdogResets;
    }

    /** Before every transfer: a device left alone longer than its watchdog has reset itself and is gone. */
    private void checkWatchdog(int generation) throws NoDeviceException {
        long limit = watchdogNanos;
        if (limit <= 0) {
            return;
        }
        List<Runnable> listeners;
        synchronized (this) {
            if (disconnected || generation != plugGeneration || System.nanoTime() - lastRequestNanos <= limit) {
                return;
            }
            watchdogResets++;
            disconnected = true;
            controllerEnabled = false;
            displayEnabled = false;
            listeners = List.copyOf(disconnectListeners);
        }
        for (Runnable r : listeners) {
            r.run();
        }
        throw new NoDeviceException("virtual GUD device: reset by its watchdog after "
                + limit / 1_000_000 + " ms without a request (LIBUSB_ERROR_NO_DEVICE)", null);
    }

    // ------------------------------------------------------------------ UsbTransportFactory

    @Override
    public UsbTransport open(Device device) throws IOException {
        UnplugGuard guard = device.guard();
        guard.enter();
        try {
            int generation;
            synchronized (this) {
                checkConnected(plugGeneration);
                generation = plugGeneration;
            }
            Transport t = new Transport(guard, generation);
            openTransports.incrementAndGet();
            opens.incrementAndGet();
            try {
                device.hardware().addOrReset("close virtual USB handle of " + device.id(), t::close);
            } catch (Exception e) {
                throw new IOException("registering the virtual USB handle failed", e);
            }
            return t;
        } finally {
            guard.exit();
        }
    }

    @Override
    public String describe() {
        synchronized (this) {
            return "virtual GUD " + config.width + "x" + config.height + " " + config.formats.toString().toLowerCase(Locale.ROOT)
                    + (disconnected ? ", disconnected" : "") + (displayEnabled ? ", on" : ", off") + ", " + frames + " frames";
        }
    }

    /** Transports opened and not yet closed (0 after every binding ended: nothing leaked). */
    public int openTransports() {
        return openTransports.get();
    }

    /** Transports ever opened. */
    public int opens() {
        return opens.get();
    }

    private final class Transport implements UsbTransport {
        private final UnplugGuard guard;
        private final int generation;
        private volatile boolean closed;

        Transport(UnplugGuard guard, int generation) {
            this.guard = guard;
            this.generation = generation;
        }

        private void checkOpen() throws DeviceException {
            if (closed) {
                // cannot happen through the guard; a real closed libusb handle would crash the JVM
                throw new IllegalStateException("virtual GUD transport used after close");
            }
        }

        @Override
        public int controlIn(int request, int value, byte[] buffer, int length, int timeoutMs) throws IOException {
            guard.enter();
            try {
                checkOpen();
                checkWatchdog(generation);
                return handleIn(generation, request, value, buffer, length);
            } finally {
                guard.exit();
            }
        }

        @Override
        public void controlOut(int request, int value, byte[] data, int length, int timeoutMs) throws IOException {
            guard.enter();
            try {
                checkOpen();
                checkWatchdog(generation);
                handleOut(generation, request, value, data, length);
            } finally {
                guard.exit();
            }
        }

        @Override
        public void bulkOut(byte[] data, int offset, int length, int timeoutMs) throws IOException {
            guard.enter();
            try {
                checkOpen();
                checkWatchdog(generation);
                handleBulk(generation, data, offset, length);
            } finally {
                guard.exit();
            }
        }

        void close() {
            if (!guard.isDrained()) {
                guard.unplug();
            }
            if (!closed) {
                closed = true;
                openTransports.decrementAndGet();
            }
        }

        @Override
        public String describe() {
            return VirtualGudDevice.this.describe();
        }
    }

    // ------------------------------------------------------------------ faults and plugging

    /** The next {@code times} requests {@code request} stall; GET_STATUS then reports {@code status}. */
    public synchronized void injectStall(int request, int status, int times) {
        for (int i = 0; i < times; i++) {
            faults.add(new Fault(FaultKind.STALL, request, status));
        }
    }

    /**
     * The next {@code times} requests {@code request} fail with {@code status} (BUSY,
     * PROTOCOL_ERROR …): a SET on a STATUS_ON_SET device completes and GET_STATUS reports it
     * (as the Linux gadget does), otherwise the request stalls.
     */
    public synchronized void injectStatus(int request, int status, int times) {
        for (int i = 0; i < times; i++) {
            faults.add(new Fault(FaultKind.STATUS, request, status));
        }
    }

    /** The next {@code times} bulk transfers time out (ETIMEDOUT; the device drops the data). */
    public synchronized void injectBulkTimeout(int times) {
        for (int i = 0; i < times; i++) {
            faults.add(new Fault(FaultKind.BULK_TIMEOUT, -1, 0));
        }
    }

    /** The next bulk transfer is cut half-way: the cable is pulled, the device is gone. */
    public synchronized void injectDisconnectMidBulk() {
        faults.add(new Fault(FaultKind.DISCONNECT_MID_BULK, -1, 0));
    }

    /** Replaces the descriptor the device answers (tests of bad descriptors). */
    public synchronized void overrideDescriptor(Descriptor d) {
        this.descriptorOverride = d;
    }

    /** Pulls the cable: every transfer fails with ENODEV; disconnect listeners run (on this thread). */
    public void disconnect() {
        List<Runnable> listeners;
        synchronized (this) {
            if (disconnected) {
                return;
            }
            disconnected = true;
            controllerEnabled = false;
            displayEnabled = false;
            listeners = List.copyOf(disconnectListeners); // those of this plug-in, not of the next
        }
        for (Runnable r : listeners) {
            r.run();
        }
    }

    /** Plugs the cable back in: a freshly powered device (state reset, picture black, faults cleared). */
    public synchronized void reconnect() {
        if (disconnected) {
            plugGeneration++;
        }
        lastRequestNanos = System.nanoTime();
        disconnected = false;
        faults.clear();
        status = STATUS_OK;
        controllerEnabled = false;
        displayEnabled = false;
        pendingState = null;
        committedState = null;
        setBuffer = null;
        java.util.Arrays.fill(framebuffer, 0);
        backlight = config.backlight ? 100 : -1;
    }

    public synchronized boolean isDisconnected() {
        return disconnected;
    }

    /** Runs {@code r} when the device gets disconnected (a virtual hotplug source removes it from its bus). */
    public void addDisconnectListener(Runnable r) {
        disconnectListeners.add(r);
    }

    public void removeDisconnectListener(Runnable r) {
        disconnectListeners.remove(r);
    }

    /** Sets what GET_CONNECTOR_STATUS reports (CHANGED is added once). */
    public synchronized void setConnectorConnected(boolean on) {
        connectorStatus = (on ? CONNECTOR_STATUS_CONNECTED : CONNECTOR_STATUS_DISCONNECTED) | CONNECTOR_STATUS_CHANGED;
    }

    // ------------------------------------------------------------------ what the device shows and knows

    @Override
    public RgbImage snapshot() {
        synchronized (this) {
            if (!controllerEnabled || !displayEnabled || disconnected) {
                return RgbImage.blank(config.width, config.height);
            }
            return new RgbImage(config.width, config.height, framebuffer.clone());
        }
    }

    public synchronized boolean controllerEnabled() {
        return controllerEnabled;
    }

    public synchronized boolean displayEnabled() {
        return displayEnabled;
    }

    /** The committed backlight (0–100), -1 when the device has none. */
    public synchronized long backlight() {
        return backlight;
    }

    /** The format of the committed state, or null. */
    public synchronized GudFormat committedFormat() {
        return committedState == null ? null : GudFormat.ofCode(committedState.format());
    }

    /** Bulk transfers applied to the framebuffer. */
    public synchronized long frames() {
        return frames;
    }

    public synchronized long bulkBytes() {
        return bulkBytes;
    }

    public synchronized long requests() {
        return requests;
    }

    /** GET_CONNECTOR_STATUS requests answered (the host's polls). */
    public synchronized long statusPolls() {
        return statusPolls;
    }

    /** Nanoseconds since the last request (what gud-pico's 15 s watchdog measures). */
    public synchronized long nanosSinceLastRequest() {
        return System.nanoTime() - lastRequestNanos;
    }

    /** Bulk data the device had to drop (no SET_BUFFER, wrong length, bad LZ4 …). */
    public synchronized int protocolErrors() {
        return protocolErrors;
    }

    public synchronized String lastError() {
        return lastError;
    }

    // ------------------------------------------------------------------ control requests

    private void checkConnected(int generation) throws NoDeviceException {
        if (disconnected || generation != plugGeneration) {
            throw new NoDeviceException("virtual GUD device: disconnected (LIBUSB_ERROR_NO_DEVICE)", null);
        }
    }

    private Fault takeFault(int request, boolean bulk) {
        for (int i = 0; i < faults.size(); i++) {
            Fault f = faults.get(i);
            boolean isBulk = f.kind == FaultKind.BULK_TIMEOUT || f.kind == FaultKind.DISCONNECT_MID_BULK;
            if (bulk == isBulk && (bulk || f.request == request)) {
                return faults.remove(i);
            }
        }
        return null;
    }

    private static UsbStallException stall(int request) {
        return new UsbStallException("virtual GUD device stalled " + requestName(request));
    }

    private synchronized int handleIn(int generation, int request, int value, byte[] buf, int length) throws IOException {
        checkConnected(generation);
        requests++;
        lastRequestNanos = System.nanoTime();
        if (request == REQ_GET_STATUS) {
            if (length < 1) {
                throw stall(request);
            }
            buf[0] = (byte) status;
            return 1;
        }
        Fault f = takeFault(request, false);
        if (f != null) {
            status = f.status;
            throw stall(request);
        }
        byte[] answer;
        int st = STATUS_OK;
        if (value != 0 || length == 0) {
            st = STATUS_PROTOCOL_ERROR; // gud-pico: one connector, index 0 only
            answer = null;
        } else {
            switch (request) {
                case REQ_GET_DESCRIPTOR:
                    answer = descriptor().encode();
                    break;
                case REQ_GET_FORMATS: {
                    answer = new byte[config.formats.size()];
                    for (int i = 0; i < answer.length; i++) {
                        answer[i] = (byte) config.formats.get(i).code();
                    }
                    break;
                }
                case REQ_GET_PROPERTIES:
                    answer = Property.encode(List.of(new Property(PROPERTY_ROTATION, ROTATION_0)));
                    break;
                case REQ_GET_CONNECTORS:
                    answer = Connector.encode(List.of(new Connector(0, config.connectorPoll ? CONNECTOR_FLAG_POLL_STATUS : 0)));
                    break;
                case REQ_GET_CONNECTOR_PROPERTIES:
                    answer = Property.encode(config.backlight
                            ? List.of(new Property(PROPERTY_BACKLIGHT_BRIGHTNESS, backlight)) : List.of());
                    break;
                case REQ_GET_CONNECTOR_STATUS:
                    answer = new byte[] {(byte) connectorStatus};
                    connectorStatus &= ~CONNECTOR_STATUS_CHANGED;
                    statusPolls++;
                    break;
                case REQ_GET_CONNECTOR_MODES:
                    answer = config.modesViaEdid ? new byte[0]
                            : Mode.encode(List.of(Mode.simple(config.width, config.height, true)));
                    break;
                case REQ_GET_CONNECTOR_EDID:
                    answer = config.modesViaEdid && length >= 128 ? edid() : new byte[0];
                    break;
                default:
                    st = STATUS_REQUEST_NOT_SUPPORTED;
                    answer = null;
                    break;
            }
        }
        status = st;
        if (st != STATUS_OK) {
            throw stall(request);
        }
        int n = Math.min(length, answer.length);
        System.arraycopy(answer, 0, buf, 0, n);
        return n;
    }

    private synchronized void handleOut(int generation, int request, int value, byte[] data, int length) throws IOException {
        checkConnected(generation);
        requests++;
        lastRequestNanos = System.nanoTime();
        Fault f = takeFault(request, false);
        if (f != null) {
            status = f.status;
            if (f.kind == FaultKind.STALL || !config.statusOnSet) {
                throw stall(request);
            }
            return; // the Linux gadget way: the SET completes, GET_STATUS tells
        }
        int st = value != 0 ? STATUS_PROTOCOL_ERROR : set(request, data, length);
        status = st;
        if (st != STATUS_OK && !config.statusOnSet) {
            throw stall(request);
        }
    }

    private int set(int request, byte[] data, int length) {
        switch (request) {
            case REQ_SET_CONNECTOR_FORCE_DETECT:
                return STATUS_OK;
            case REQ_SET_BUFFER: {
                if (length != SET_BUFFER_SIZE) {
                    return STATUS_PROTOCOL_ERROR;
                }
                if (committedState == null) {
                    return error(STATUS_PROTOCOL_ERROR, "SET_BUFFER before a committed state");
                }
                SetBuffer sb = SetBuffer.decode(data, length);
                if (sb.x() >= config.width || sb.y() >= config.height || sb.width() == 0 || sb.height() == 0
                        || sb.x() + sb.width() > config.width || sb.y() + sb.height() > config.height) {
                    return error(STATUS_INVALID_PARAMETER, "SET_BUFFER rectangle outside the display: " + sb);
                }
                GudFormat fmt = GudFormat.ofCode(committedState.format());
                if (sb.length() != (long) fmt.lineBytes((int) sb.width()) * sb.height()) {
                    return error(STATUS_INVALID_PARAMETER, "SET_BUFFER length " + sb.length() + " is not "
                            + sb.width() + "x" + sb.height() + " " + fmt);
                }
                if (config.maxBufferSize != 0 && sb.length() > config.maxBufferSize) {
                    return error(STATUS_INVALID_PARAMETER, "SET_BUFFER length " + sb.length() + " exceeds max_buffer_size "
                            + config.maxBufferSize);
                }
                if (sb.compression() != 0 && (!config.lz4 || sb.compression() != COMPRESSION_LZ4 || sb.compressedLength() == 0)) {
                    return error(STATUS_INVALID_PARAMETER, "SET_BUFFER compression " + sb.compression() + " not offered");
                }
                setBuffer = sb;
                return STATUS_OK;
            }
            case REQ_SET_STATE_CHECK: {
                State s = State.decode(data, length);
                if (s == null || s.properties().size() > 2) {
                    return error(STATUS_PROTOCOL_ERROR, "malformed STATE_CHECK of " + length + " bytes");
                }
                GudFormat fmt = GudFormat.ofCode(s.format());
                if (s.mode().hdisplay() != config.width || s.mode().vdisplay() != config.height || s.connector() != 0
                        || fmt == null || !config.formats.contains(fmt)) {
                    return error(STATUS_INVALID_PARAMETER, "STATE_CHECK with an unsupported mode, connector or format: " + s);
                }
                for (Property p : s.properties()) {
                    if (p.prop() == PROPERTY_BACKLIGHT_BRIGHTNESS && (!config.backlight || p.value() > 100 || p.value() < 0)) {
                        return error(STATUS_INVALID_PARAMETER, "STATE_CHECK backlight " + p.value());
                    }
                }
                pendingState = s;
                if (config.fullUpdate) {
                    setBuffer = new SetBuffer(0, 0, config.width, config.height,
                            (long) fmt.lineBytes(config.width) * config.height, 0, 0);
                }
                return STATUS_OK;
            }
            case REQ_SET_STATE_COMMIT:
                if (length != 0 || pendingState == null) {
                    return error(STATUS_PROTOCOL_ERROR, "STATE_COMMIT without a checked state");
                }
                committedState = pendingState;
                for (Property p : committedState.properties()) {
                    if (p.prop() == PROPERTY_BACKLIGHT_BRIGHTNESS) {
                        backlight = p.value();
                    }
                }
                return STATUS_OK;
            case REQ_SET_CONTROLLER_ENABLE:
                if (length != 1) {
                    return STATUS_PROTOCOL_ERROR;
                }
                controllerEnabled = data[0] != 0;
                return STATUS_OK;
            case REQ_SET_DISPLAY_ENABLE:
                if (length != 1) {
                    return STATUS_PROTOCOL_ERROR;
                }
                displayEnabled = data[0] != 0;
                return STATUS_OK;
            default:
                return STATUS_REQUEST_NOT_SUPPORTED;
        }
    }

    private int error(int st, String why) {
        lastError = why;
        return st;
    }

    private Descriptor descriptor() {
        if (descriptorOverride != null) {
            return descriptorOverride;
        }
        int flags = (config.statusOnSet ? FLAG_STATUS_ON_SET : 0) | (config.fullUpdate ? FLAG_FULL_UPDATE : 0);
        return new Descriptor(MAGIC, 1, flags, config.lz4 ? COMPRESSION_LZ4 : 0, config.maxBufferSize,
                config.width, config.width, config.height, config.height);
    }

    /** A 128-byte EDID 1.3 base block with one detailed timing (60 Hz, no blanking) and a 1 px/0.2 mm size. */
    private byte[] edid() {
        byte[] e = new byte[128];
        e[1] = e[2] = e[3] = e[4] = e[5] = e[6] = (byte) 0xFF;
        e[18] = 1;
        e[19] = 3;
        e[20] = (byte) 0x80;
        int w = config.width, h = config.height;
        int wmm = w / 5, hmm = h / 5;
        e[21] = (byte) ((wmm + 9) / 10);
        e[22] = (byte) ((hmm + 9) / 10);
        int clock10k = Math.max(1, w * h * 60 / 10000);
        e[54] = (byte) clock10k;
        e[55] = (byte) (clock10k >> 8);
        e[56] = (byte) w;
        e[58] = (byte) ((w >> 8) << 4);
        e[59] = (byte) h;
        e[61] = (byte) ((h >> 8) << 4);
        e[63] = 1; // sync pulse width 1
        e[64] = 0x01;
        e[66] = (byte) wmm;
        e[67] = (byte) hmm;
        e[68] = (byte) ((wmm >> 8) << 4 | hmm >> 8);
        int sum = 0;
        for (int i = 0; i < 127; i++) {
            sum += e[i] & 0xFF;
        }
        e[127] = (byte) (256 - (sum & 0xFF));
        return e;
    }

    // ------------------------------------------------------------------ bulk

    private void handleBulk(int generation, byte[] data, int off, int len) throws IOException {
        long start = System.nanoTime();
        boolean gone = false;
        List<Runnable> listeners = List.of();
        synchronized (this) {
            checkConnected(generation);
            Fault f = takeFault(-1, true);
            if (f != null && f.kind == FaultKind.BULK_TIMEOUT) {
                if (!config.fullUpdate) {
                    setBuffer = null; // the data was lost; a new SET_BUFFER must come
                }
                throw new DeviceException(Errno.ETIMEDOUT, "virtual GUD device: bulk OUT timed out (LIBUSB_ERROR_TIMEOUT)");
            }
            if (f != null) {
                gone = true; // half the data went out, then the cable was pulled
                listeners = List.copyOf(disconnectListeners);
                disconnected = true;
                controllerEnabled = false;
                displayEnabled = false;
            } else {
                apply(data, off, len);
            }
        }
        if (gone) {
            for (Runnable r : listeners) {
                r.run();
            }
            throw new NoDeviceException("virtual GUD device: disconnected during a bulk transfer (LIBUSB_ERROR_NO_DEVICE)", null);
        }
        if (config.bulkMbPerS > 0) {
            long deadline = start + (long) (len * 1000.0 / config.bulkMbPerS); // bytes / (MB/s) in ns
            long left;
            while ((left = deadline - System.nanoTime()) > 0) {
                LockSupport.parkNanos(left);
            }
        }
    }

    private void apply(byte[] data, int off, int len) {
        bulkBytes += len;
        SetBuffer sb = setBuffer;
        if (sb == null || committedState == null) {
            drop("bulk data of " + len + " bytes without SET_BUFFER");
            return;
        }
        if (!config.fullUpdate) {
            setBuffer = null;
        }
        if (len != sb.transferLength()) {
            drop("bulk data of " + len + " bytes, SET_BUFFER announced " + sb.transferLength());
            return;
        }
        byte[] px = data;
        int pxOff = off;
        int n = (int) sb.length();
        if (sb.compression() != 0) {
            if (scratch.length < n) {
                scratch = new byte[n];
            }
            int got;
            try {
                got = lz4.decompress(data, off, len, scratch, 0, n);
            } catch (LZ4Exception e) {
                drop("LZ4 data does not decompress: " + e.getMessage());
                return;
            }
            if (got != n) {
                drop("LZ4 data decompressed to " + got + " bytes, SET_BUFFER announced " + n);
                return;
            }
            px = scratch;
            pxOff = 0;
        }
        decode(GudFormat.ofCode(committedState.format()), px, pxOff, (int) sb.x(), (int) sb.y(), (int) sb.width(),
                (int) sb.height());
        frames++;
    }

    private void drop(String why) {
        protocolErrors++;
        lastError = why;
    }

    /** Writes a packed rectangle of {@code f} pixels into the framebuffer, as the panel would show them. */
    private void decode(GudFormat f, byte[] p, int off, int x, int y, int w, int h) {
        int pitch = f.lineBytes(w);
        for (int row = 0; row < h; row++) {
            int lo = off + row * pitch;
            int fo = (y + row) * config.width + x;
            for (int i = 0; i < w; i++) {
                int rgb;
                switch (f) {
                    case XRGB8888:
                    case ARGB8888:
                    case RGB888: {
                        int bpp = f == GudFormat.RGB888 ? 3 : 4;
                        int o = lo + i * bpp;
                        rgb = (p[o + 2] & 0xFF) << 16 | (p[o + 1] & 0xFF) << 8 | (p[o] & 0xFF);
                        break;
                    }
                    case RGB565: {
                        int v = (p[lo + i * 2] & 0xFF) | (p[lo + i * 2 + 1] & 0xFF) << 8;
                        int r5 = v >> 11, g6 = v >> 5 & 0x3F, b5 = v & 0x1F;
                        rgb = (r5 << 3 | r5 >> 2) << 16 | (g6 << 2 | g6 >> 4) << 8 | (b5 << 3 | b5 >> 2);
                        break;
                    }
                    case RGB332: {
                        int v = p[lo + i] & 0xFF;
                        int r3 = v >> 5, g3 = v >> 2 & 7, b2 = v & 3;
                        rgb = (r3 << 5 | r3 << 2 | r3 >> 1) << 16 | (g3 << 5 | g3 << 2 | g3 >> 1) << 8 | b2 * 0x55;
                        break;
                    }
                    case R8: {
                        int g = p[lo + i] & 0xFF;
                        rgb = g << 16 | g << 8 | g;
                        break;
                    }
                    case XRGB1111: {
                        int v = (p[lo + i / 2] & 0xFF) >> ((i & 1) == 0 ? 4 : 0);
                        rgb = ((v & 4) != 0 ? 0xFF0000 : 0) | ((v & 2) != 0 ? 0xFF00 : 0) | ((v & 1) != 0 ? 0xFF : 0);
                        break;
                    }
                    case R1: {
                        int bit = (p[lo + i / 8] >> (7 - (i & 7))) & 1;
                        rgb = bit != 0 ? 0xFFFFFF : 0;
                        break;
                    }
                    default:
                        throw new AssertionError(f);
                }
                framebuffer[fo + i] = rgb;
            }
        }
    }

    @Override
    public String toString() {
        return describe();
    }
}
