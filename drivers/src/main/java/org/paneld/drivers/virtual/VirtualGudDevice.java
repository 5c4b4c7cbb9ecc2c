package org.paneld.drivers.virtual;

import static org.paneld.drivers.virtual.VirtualGudWire.*;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.paneld.drivers.core.ConfigException;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.core.DeviceConfig;
import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.core.Errno;
import org.paneld.drivers.core.NoDeviceException;
import org.paneld.drivers.core.UnplugGuard;
import org.paneld.drivers.core.VirtualHardware;
import org.paneld.drivers.pixel.RgbImage;
import org.paneld.drivers.usb.UsbStallException;
import org.paneld.drivers.usb.UsbTransport;
import org.paneld.drivers.usb.UsbTransportFactory;

/**
 * A GUD USB display emulated behind {@link UsbTransport}, strict like gud-pico (the RP2040
 * firmware): the cable and handles, fault injection, the watchdog and what the panel shows; the
 * protocol itself is in {@link VirtualGudControl} (control requests), {@link VirtualGudEndpoint}
 * (bulk OUT) and {@link VirtualGudFramebuffer} (the picture), written from include/drm/gud.h and
 * gud-pico, sharing nothing with the host driver.
 *
 * <p>A wrong host stream is a recorded violation ({@link #violations()},
 * {@link #assertNoViolations()}; the test kit fails a test that leaves any): SET_BUFFER while the
 * endpoint is armed (stalled, status OK), bulk data while not armed (NAKed: the host times out), a
 * short packet before the armed length (the frame is dropped), a packet past it, LZ4 that does not
 * shrink the data or does not decompress, bad requests, and letting the 15 s watchdog fire while
 * the controller is enabled. The record is bounded ({@value VirtualGudViolations#KEPT} kept, the
 * rest counted).
 *
 * <p>Config keys ({@code backend = "virtual"}): {@code width} (default 320), {@code height}
 * (240), {@code formats} (list of names, default ["xrgb8888", "rgb565"]; known: r1, r8,
 * xrgb1111, rgb332, rgb565, rgb888, xrgb8888, argb8888), {@code lz4} (false: offer LZ4
 * compression), {@code max_buffer_size} (0 = none), {@code full_update} (false; not with lz4),
 * {@code status_on_set} (false), {@code connector_poll} (true: the connector asks for status
 * polling), {@code backlight} (true: offer the backlight property, initially 100),
 * {@code bulk_mb_per_s} (0 = instant; 40 is like USB 2.0 high speed), {@code watchdog_ms}
 * (15000 as gud-pico, 0 = off: a device whose controller is enabled and which gets no request for
 * that long resets itself and drops off the bus).
 *
 * <p>Lifetime: the bus device's (it plays the physical device: it outlives bindings and keeps
 * its picture across unbind/rebind). Threads: any; requests are serialised on this object.
 */
public final class VirtualGudDevice implements VirtualHardware, UsbTransportFactory {

    /** The config keys of the emulator. */
    public static final Set<String> CONFIG_KEYS = Set.of("width", "height", "formats", "lz4", "max_buffer_size",
            "full_update", "status_on_set", "connector_poll", "backlight", "bulk_mb_per_s", "watchdog_ms");

    /** gud-pico's watchdog: 15 s without a request while the controller is enabled. */
    public static final long DEFAULT_WATCHDOG_MS = 15_000;

    /** The emulated device's build. */
    public record Config(int width, int height, List<VirtualGudFormat> formats, boolean lz4, long maxBufferSize,
                         boolean fullUpdate, boolean statusOnSet, boolean connectorPoll, boolean backlight,
                         double bulkMbPerS, boolean modesViaEdid) {
        public Config {
            formats = List.copyOf(formats);
            if (formats.isEmpty()) {
                throw new IllegalArgumentException("a GUD device needs at least one format");
            }
        }

        public static Config defaults(int width, int height) {
            return new Config(width, height, List.of(VirtualGudFormat.XRGB8888, VirtualGudFormat.RGB565), false, 0,
                    false, false, true, true, 0, false);
        }

        public Config withFormats(VirtualGudFormat... f) {
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
        List<VirtualGudFormat> formats = new ArrayList<>();
        if (c.has("formats")) {
            for (Object o : c.list("formats")) {
                if (!(o instanceof String)) {
                    throw c.error("formats", "must be a list of format names, got " + o);
                }
                try {
                    VirtualGudFormat f = VirtualGudFormat.parse((String) o);
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
            formats.add(VirtualGudFormat.XRGB8888);
            formats.add(VirtualGudFormat.RGB565);
        }
        boolean lz4 = c.bool("lz4", false);
        long maxBuf = c.integer("max_buffer_size", 0, 0, 64L << 20);
        boolean full = c.bool("full_update", false);
        if (full && lz4) {
            throw c.error("full_update", "cannot be combined with lz4 = true (the GUD protocol forbids compression"
                    + " on FULL_UPDATE devices)");
        }
        if (maxBuf != 0) {
            long maxLine = 0;
            for (VirtualGudFormat f : formats) {
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
        dev.setWatchdogMillis(c.integer("watchdog_ms", DEFAULT_WATCHDOG_MS, 0, 3_600_000));
        return dev;
    }

    private enum FaultKind { STALL, STATUS, BULK_TIMEOUT, DISCONNECT_MID_BULK }

    private record Fault(FaultKind kind, int request, int status) {
    }

    private final Config config;
    private final VirtualGudViolations violations = new VirtualGudViolations();
    private final VirtualGudFramebuffer framebuffer;
    private final VirtualGudControl control;
    private final List<Fault> faults = new ArrayList<>();
    private final List<Runnable> disconnectListeners = new CopyOnWriteArrayList<>();
    private final AtomicInteger openTransports = new AtomicInteger();
    private final AtomicInteger opens = new AtomicInteger();
    private volatile long watchdogNanos = DEFAULT_WATCHDOG_MS * 1_000_000L;

    // guarded by this
    private boolean disconnected;
    /** Bumped at every reconnect: handles opened before a disconnect stay dead, like a re-enumerated USB device's. */
    private int plugGeneration;
    private long requests;
    private long bulkTransfers;
    private long lastRequestNanos = System.nanoTime();
    private long watchdogResets;

    public VirtualGudDevice(Config config) {
        this.config = config;
        this.framebuffer = new VirtualGudFramebuffer(config.width(), config.height());
        this.control = new VirtualGudControl(config, violations, framebuffer);
    }

    public Config config() {
        return config;
    }

    /** gud-pico's watchdog: after {@code ms} without a request (controller enabled) the device resets and drops off the bus (0 = off). */
    public void setWatchdogMillis(long ms) {
        watchdogNanos = ms * 1_000_000L;
    }

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
            if (disconnected || generation != plugGeneration || !control.controllerEnabled
                    || System.nanoTime() - lastRequestNanos <= limit) {
                return;
            }
            watchdogResets++;
            violations.add("watchdog: no request for more than " + limit / 1_000_000 + " ms while the controller was"
                    + " enabled; the device reset itself (the host must poll the connector status)");
            disconnected = true;
            control.reset();
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
            Transport t = connect(guard);
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

    /**
     * A handle on the device whose transfers enter {@code guard} (a host without the device model,
     * e.g. a test writing raw streams). It stays counted in {@link #openTransports()}: such a host
     * holds it for the device's life.
     */
    public Transport connect(UnplugGuard guard) throws NoDeviceException {
        int generation;
        synchronized (this) {
            checkConnected(plugGeneration);
            generation = plugGeneration;
        }
        Transport t = new Transport(guard, generation);
        openTransports.incrementAndGet();
        opens.incrementAndGet();
        return t;
    }

    @Override
    public String describe() {
        synchronized (this) {
            long v = violations.count();
            return "virtual GUD " + config.width() + "x" + config.height() + " "
                    + config.formats().toString().toLowerCase(Locale.ROOT)
                    + (disconnected ? ", disconnected" : "") + (control.displayEnabled ? ", on" : ", off") + ", "
                    + control.endpoint.frames() + " frames" + (v > 0 ? ", " + v + " violations" : "");
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

    /**
     * One handle on the device, like an open libusb handle with its claimed interface: every
     * transfer enters the holder's unplug guard. Lifetime: until closed (for {@link #open}, by the
     * binding's hardware scope); a handle from before a disconnect stays dead. Threads: any.
     */
    public final class Transport implements UsbTransport {
        private final UnplugGuard guard;
        private final int generation;
        private volatile boolean closed;

        Transport(UnplugGuard guard, int generation) {
            this.guard = guard;
            this.generation = generation;
        }

        private void checkOpen() {
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
                handleBulk(this, generation, data, offset, length);
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

    // ------------------------------------------------------------------ transfers

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
        if (request != REQ_GET_STATUS) {
            Fault f = takeFault(request, false);
            if (f != null) {
                control.status = f.status;
                throw stall(request);
            }
        }
        byte[] answer = control.get(request, value, length);
        if (answer == null) {
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
            control.status = f.status;
            if (f.kind == FaultKind.STALL || !config.statusOnSet()) {
                throw stall(request);
            }
            return; // the Linux gadget way: the SET completes, GET_STATUS tells
        }
        VirtualGudControl.SetResult r = control.set(request, value, data, length);
        if (r.stall() || (r.status() != STATUS_OK && !config.statusOnSet())) {
            throw stall(request);
        }
    }

    /**
     * One host bulk OUT transfer: faults first, then the bytes reach the endpoint (the device
     * decodes while the wire time of {@code bulk_mb_per_s} runs), and the host's call returns when
     * the wire time is over. A handle closed before then is a violation: unplug must wait for the
     * transfer in flight.
     */
    private void handleBulk(Transport t, int generation, byte[] data, int off, int len) throws IOException {
        long start = System.nanoTime();
        boolean gone = false;
        List<Runnable> listeners = List.of();
        synchronized (this) {
            bulkTransfers++; // attempts, also those on a device that is gone
            checkConnected(generation);
            Fault f = takeFault(-1, true);
            if (f != null && f.kind == FaultKind.BULK_TIMEOUT) {
                // the device lost the transfer: like gud-pico after a failed transfer, its endpoint is idle
                control.endpoint.disarm();
                throw new DeviceException(Errno.ETIMEDOUT, "virtual GUD device: bulk OUT timed out (LIBUSB_ERROR_TIMEOUT)");
            }
            if (f != null) {
                gone = true; // half the data went out, then the cable was pulled
                listeners = List.copyOf(disconnectListeners);
                disconnected = true;
                control.reset();
            } else if (control.endpoint.receive(data, off, len) == VirtualGudEndpoint.Outcome.NAKED) {
                throw new DeviceException(Errno.ETIMEDOUT, "virtual GUD device: bulk OUT of " + len
                        + " bytes NAKed, the endpoint is not armed (LIBUSB_ERROR_TIMEOUT)");
            }
        }
        if (gone) {
            for (Runnable r : listeners) {
                r.run();
            }
            throw new NoDeviceException("virtual GUD device: disconnected during a bulk transfer (LIBUSB_ERROR_NO_DEVICE)", null);
        }
        if (config.bulkMbPerS() > 0) {
            long deadline = start + (long) (len * 1000.0 / config.bulkMbPerS()); // bytes / (MB/s) in ns
            long left;
            while ((left = deadline - System.nanoTime()) > 0) {
                LockSupport.parkNanos(left);
            }
        }
        synchronized (this) {
            if (t.closed) {
                violations.add("bulk OUT: the host closed its handle while " + len + " bytes were on the wire"
                        + " (unplug did not wait for the transfer in flight)");
                throw new NoDeviceException("virtual GUD device: handle closed during a bulk transfer", null);
            }
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

    /** The next {@code times} bulk transfers time out (ETIMEDOUT; the device drops the data, its endpoint goes idle). */
    public synchronized void injectBulkTimeout(int times) {
        for (int i = 0; i < times; i++) {
            faults.add(new Fault(FaultKind.BULK_TIMEOUT, -1, 0));
        }
    }

    /** The next bulk transfer is cut half-way: the cable is pulled, the device is gone. */
    public synchronized void injectDisconnectMidBulk() {
        faults.add(new Fault(FaultKind.DISCONNECT_MID_BULK, -1, 0));
    }

    /** Replaces the descriptor the device answers (tests of bad descriptors); null restores the real one. */
    public synchronized void overrideDescriptor(VirtualGudWire.Descriptor d) {
        control.descriptorOverride = d;
    }

    /** Pulls the cable: every transfer fails with ENODEV; disconnect listeners run (on this thread). */
    public void disconnect() {
        List<Runnable> listeners;
        synchronized (this) {
            if (disconnected) {
                return;
            }
            disconnected = true;
            control.controllerEnabled = false;
            control.displayEnabled = false;
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
        control.reset();
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
        control.connectorStatus = (on ? CONNECTOR_STATUS_CONNECTED : CONNECTOR_STATUS_DISCONNECTED)
                | CONNECTOR_STATUS_CHANGED;
    }

    // ------------------------------------------------------------------ what the device shows and knows

    @Override
    public RgbImage snapshot() {
        synchronized (this) {
            if (!control.controllerEnabled || !control.displayEnabled || disconnected) {
                return RgbImage.blank(config.width(), config.height());
            }
            return framebuffer.image();
        }
    }

    /** Wrong host streams seen so far (the first {@value VirtualGudViolations#KEPT}, then a count). */
    public synchronized List<String> violations() {
        return violations.list();
    }

    /** Throws AssertionError listing the violations, if there are any. */
    public synchronized void assertNoViolations() {
        if (violations.count() > 0) {
            throw new AssertionError("virtual GUD device: " + violations.count() + " protocol violation(s):\n  "
                    + String.join("\n  ", violations.list()));
        }
    }

    /** Forgets the violations recorded so far (after a test provoked some on purpose). */
    public synchronized void clearViolations() {
        violations.clear();
    }

    public synchronized boolean controllerEnabled() {
        return control.controllerEnabled;
    }

    public synchronized boolean displayEnabled() {
        return control.displayEnabled;
    }

    /** The committed backlight (0–100), -1 when the device has none. */
    public synchronized long backlight() {
        return control.backlight;
    }

    /** The format of the committed state, or null. */
    public synchronized VirtualGudFormat committedFormat() {
        return control.committedFormat();
    }

    /** Bulk transfers that completed and were shown (frames or pieces of frames). */
    public synchronized long frames() {
        return control.endpoint.frames();
    }

    /** Bytes received on the bulk endpoint. */
    public synchronized long bulkBytes() {
        return control.endpoint.bytes();
    }

    /** Host bulk OUT transfers attempted (also those that found the device gone). */
    public synchronized long bulkTransfers() {
        return bulkTransfers;
    }

    public synchronized long requests() {
        return requests;
    }

    /** GET_CONNECTOR_STATUS requests answered (the host's polls). */
    public synchronized long statusPolls() {
        return control.statusPolls;
    }

    /** SET_CONNECTOR_FORCE_DETECT requests received. */
    public synchronized long forceDetects() {
        return control.forceDetects;
    }

    /** Nanoseconds since the last request (what gud-pico's 15 s watchdog measures). */
    public synchronized long nanosSinceLastRequest() {
        return System.nanoTime() - lastRequestNanos;
    }

    @Override
    public String toString() {
        return describe();
    }
}
