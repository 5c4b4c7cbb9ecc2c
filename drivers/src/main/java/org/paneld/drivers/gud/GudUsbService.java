package org.paneld.drivers.gud;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.paneld.drivers.core.Bus;
import org.paneld.drivers.core.BusDevice;
import org.paneld.drivers.core.DeviceConfig;
import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.core.Errno;
import org.paneld.drivers.usb.Usb4JavaDevice;
import org.paneld.drivers.usb.UsbErrors;
import org.paneld.drivers.usb.UsbHotplug;
import org.paneld.drivers.usb.UsbTransportFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.usb4java.ConfigDescriptor;
import org.usb4java.Context;
import org.usb4java.Device;
import org.usb4java.DeviceDescriptor;
import org.usb4java.DeviceList;
import org.usb4java.EndpointDescriptor;
import org.usb4java.HotplugCallbackHandle;
import org.usb4java.Interface;
import org.usb4java.InterfaceDescriptor;
import org.usb4java.LibUsb;

/**
 * The USB side of GUD for the daemon (one start-up step): a libusb context, hotplug callbacks
 * (or, where libusb has no hotplug, polling the device list every 2 s) and the libusb event
 * thread. A GUD device that arrives (ids 1d50:614d or 16d0:10a9 with a vendor-class interface
 * that has a bulk OUT endpoint) becomes a {@link BusDevice} named {@code gud-<bus>-<port path>}
 * (e.g. {@code gud-1-1.3}) with driver "gud", added to the bus and bound; when it leaves it is
 * removed from the bus (surprise removal: unplug guard first, then the hardware scope, which
 * closes the libusb handle).
 *
 * <p>Events are handed to a worker thread ({@link UsbHotplug}); the libusb callback only
 * queues them, because removal waits for in-flight transfers that need the event thread.
 *
 * <p>Lifetime: {@link #start()} to {@link #close()}, the daemon's. Threads: start/close from
 * the daemon's start-up/shut-down thread. On JDK 24+ the JVM needs
 * {@code --enable-native-access=ALL-UNNAMED} for usb4java's JNI library.
 */
public final class GudUsbService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GudUsbService.class);
    private static final long EVENT_TIMEOUT_MICROS = 100_000;
    private static final long POLL_PERIOD_MS = 2000;

    private final Bus bus;
    private final Object lock = new Object();
    private final Map<String, Present> present = new HashMap<>(); // by key(device)
    private Context context;
    private UsbHotplug hotplug;
    private HotplugCallbackHandle callbackHandle;
    private Thread eventThread;
    private Thread pollThread;
    private volatile boolean running;
    private boolean usesHotplug;

    /** A GUD device we put on the bus. */
    private record Present(String name, Device usbDevice) {
    }

    private final boolean pollOnly;

    public GudUsbService(Bus bus) {
        this(bus, false);
    }

    /**
     * @param pollOnly poll the device list even where libusb offers hotplug callbacks (for
     *                 platforms whose hotplug is unreliable, and to test the polling path)
     */
    public GudUsbService(Bus bus, boolean pollOnly) {
        this.bus = bus;
        this.pollOnly = pollOnly;
    }

    /**
     * Initialises libusb, registers the hotplug callback (devices already plugged in are
     * enumerated as arrivals) or starts polling, and starts the event thread.
     *
     * @throws DeviceException EIO naming the cause when libusb cannot be initialised (no native
     *                         library for this platform, no usbfs …); nothing is left running
     */
    public void start() throws DeviceException {
        synchronized (lock) {
            if (context != null) {
                throw new IllegalStateException("GUD USB service already started");
            }
            Context ctx = new Context();
            int r;
            try {
                r = LibUsb.init(ctx);
            } catch (LinkageError | RuntimeException e) {
                throw new DeviceException(Errno.EIO, "libusb cannot be initialised: usb4java's native library failed"
                        + " to load (" + e + "); USB displays are not available", e);
            }
            if (r < 0) {
                throw new DeviceException(Errno.EIO, "libusb cannot be initialised: " + UsbErrors.name(r)
                        + "; USB displays are not available");
            }
            context = ctx;
            running = true;
            hotplug = new UsbHotplug(bus, "gud-usb-hotplug");
            eventThread = new Thread(this::eventLoop, "gud-usb-events");
            eventThread.setDaemon(true);
            eventThread.start();
            usesHotplug = !pollOnly && LibUsb.hasCapability(LibUsb.CAP_HAS_HOTPLUG);
            if (usesHotplug) {
                HotplugCallbackHandle h = new HotplugCallbackHandle();
                r = LibUsb.hotplugRegisterCallback(ctx,
                        LibUsb.HOTPLUG_EVENT_DEVICE_ARRIVED | LibUsb.HOTPLUG_EVENT_DEVICE_LEFT,
                        LibUsb.HOTPLUG_ENUMERATE, LibUsb.HOTPLUG_MATCH_ANY, LibUsb.HOTPLUG_MATCH_ANY,
                        LibUsb.HOTPLUG_MATCH_ANY, (c, device, event, data) -> {
                            onHotplug(device, event);
                            return 0; // stay registered
                        }, null, h);
                if (r < 0) {
                    LOG.warn("libusb hotplug registration failed ({}); polling the device list instead", UsbErrors.name(r));
                    usesHotplug = false;
                } else {
                    callbackHandle = h;
                }
            }
            if (!usesHotplug) {
                pollThread = new Thread(this::pollLoop, "gud-usb-poll");
                pollThread.setDaemon(true);
                pollThread.start();
            }
            LOG.info("GUD USB service started ({})", usesHotplug ? "libusb hotplug" : "polling every " + POLL_PERIOD_MS + " ms");
        }
    }

    /** True when libusb hotplug callbacks are used (false: the device list is polled). */
    public boolean usesHotplug() {
        synchronized (lock) {
            return usesHotplug;
        }
    }

    /** True between start and close. */
    public boolean isRunning() {
        return running;
    }

    /** The event thread, for status and tests (null when not started). */
    public Thread eventThread() {
        synchronized (lock) {
            return eventThread;
        }
    }

    /** The names of the GUD devices this service has put on the bus. */
    public List<String> deviceNames() {
        synchronized (lock) {
            List<String> out = new ArrayList<>();
            for (Present p : present.values()) {
                out.add(p.name);
            }
            return out;
        }
    }

    private void eventLoop() {
        while (running) {
            int r = LibUsb.handleEventsTimeoutCompleted(context, EVENT_TIMEOUT_MICROS, null);
            if (r < 0 && r != LibUsb.ERROR_INTERRUPTED && running) {
                LOG.warn("libusb event handling failed: {}", UsbErrors.name(r));
                sleepQuietly(100);
            }
        }
    }

    /** The libusb callback: runs on the event thread, so it only queues work. */
    private void onHotplug(Device device, int event) {
        if (!running) {
            return;
        }
        try {
            if (event == LibUsb.HOTPLUG_EVENT_DEVICE_ARRIVED) {
                LibUsb.refDevice(device);
                try {
                    hotplug.post(() -> arrived(device));
                } catch (RejectedExecutionException e) {
                    LibUsb.unrefDevice(device); // stopping
                }
            } else if (event == LibUsb.HOTPLUG_EVENT_DEVICE_LEFT) {
                hotplug.post(() -> left(device));
            }
        } catch (RejectedExecutionException e) {
            // the service is stopping; close() removes what is left
        }
    }

    /**
     * Identifies a device across callbacks and device lists: location plus bus address (which
     * changes at every re-enumeration). Not the libusb pointer: a freed device's pointer can be
     * reused by the next one.
     */
    private static String key(Device device) {
        return location(device) + "#" + LibUsb.getDeviceAddress(device);
    }

    /** On the hotplug worker; owns one libusb reference to {@code device}. */
    private void arrived(Device device) {
        Usb4JavaDevice gud = null;
        try {
            if (running) {
                gud = identify(device);
            }
        } catch (RuntimeException e) {
            LOG.warn("inspecting a new USB device failed: {}", e.toString());
        }
        if (gud == null) {
            LibUsb.unrefDevice(device);
            return;
        }
        String name = "gud-" + gud.location();
        String key = key(device);
        synchronized (lock) {
            if (present.containsKey(key)) {
                LibUsb.unrefDevice(device); // enumerated twice (hotplug ENUMERATE racing an arrival)
                return;
            }
            present.put(key, new Present(name, device));
        }
        LOG.info("GUD device arrived: {} as {}", gud.describe(), name);
        BusDevice bd = new BusDevice(name, GudDriver.NAME, DeviceConfig.of("USB " + gud.describe()))
                .attach(UsbTransportFactory.class, gud);
        hotplug.addAndBind(bd);
    }

    /** On the hotplug worker. */
    private void left(Device device) {
        left(key(device));
    }

    private void left(String key) {
        Present p;
        synchronized (lock) {
            p = present.remove(key);
        }
        if (p == null) {
            return; // not a GUD device
        }
        LOG.info("GUD device left: {}", p.name);
        hotplug.remove(p.name, () -> LibUsb.unrefDevice(p.usbDevice));
    }

    /** The GUD view of {@code device}, or null when it is not a GUD display. */
    private Usb4JavaDevice identify(Device device) {
        DeviceDescriptor dd = new DeviceDescriptor();
        if (LibUsb.getDeviceDescriptor(device, dd) < 0) {
            return null;
        }
        int vid = dd.idVendor() & 0xFFFF, pid = dd.idProduct() & 0xFFFF;
        if (!isGudId(vid, pid)) {
            return null;
        }
        ConfigDescriptor cfg = new ConfigDescriptor();
        int r = LibUsb.getActiveConfigDescriptor(device, cfg);
        if (r < 0) {
            r = LibUsb.getConfigDescriptor(device, (byte) 0, cfg);
        }
        if (r < 0) {
            LOG.warn("GUD device {}: no configuration descriptor ({})", String.format("%04x:%04x", vid, pid), UsbErrors.name(r));
            return null;
        }
        try {
            for (Interface itf : cfg.iface()) {
                for (InterfaceDescriptor alt : itf.altsetting()) {
                    if (alt.bInterfaceClass() != LibUsb.CLASS_VENDOR_SPEC || alt.bAlternateSetting() != 0) {
                        continue;
                    }
                    for (EndpointDescriptor ep : alt.endpoint()) {
                        boolean out = (ep.bEndpointAddress() & 0x80) == 0;
                        boolean bulk = (ep.bmAttributes() & 0x03) == LibUsb.TRANSFER_TYPE_BULK;
                        if (out && bulk) {
                            return new Usb4JavaDevice(device, location(device), vid, pid,
                                    alt.bInterfaceNumber() & 0xFF, ep.bEndpointAddress());
                        }
                    }
                }
            }
        } finally {
            LibUsb.freeConfigDescriptor(cfg);
        }
        LOG.warn("USB device {} has GUD ids but no vendor-class interface with a bulk OUT endpoint",
                String.format("%04x:%04x", vid, pid));
        return null;
    }

    /** True for the USB ids GUD devices use. */
    public static boolean isGudId(int vid, int pid) {
        for (int[] id : GudProtocol.USB_IDS) {
            if (id[0] == vid && id[1] == pid) {
                return true;
            }
        }
        return false;
    }

    /** "bus-port.port…" as Linux names USB devices, e.g. "1-1.3"; "bus-aADDR" when no port path is known. */
    static String location(Device device) {
        int bus = LibUsb.getBusNumber(device);
        ByteBuffer ports = ByteBuffer.allocateDirect(8);
        int n = LibUsb.getPortNumbers(device, ports);
        if (n <= 0) {
            return bus + "-a" + LibUsb.getDeviceAddress(device);
        }
        StringBuilder sb = new StringBuilder().append(bus).append('-');
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ".").append(ports.get(i) & 0xFF);
        }
        return sb.toString();
    }

    /** Without libusb hotplug: diff the device list every 2 s. */
    private void pollLoop() {
        Set<String> known = new HashSet<>();
        while (running) {
            DeviceList list = new DeviceList();
            int n = LibUsb.getDeviceList(context, list);
            if (n >= 0) {
                try {
                    Set<String> now = new HashSet<>();
                    for (Device d : list) {
                        String k = key(d);
                        now.add(k);
                        if (!known.contains(k)) {
                            LibUsb.refDevice(d);
                            hotplug.post(() -> arrived(d));
                        }
                    }
                    for (String k : known) {
                        if (!now.contains(k)) {
                            hotplug.post(() -> left(k));
                        }
                    }
                    known = now;
                } finally {
                    LibUsb.freeDeviceList(list, true);
                }
            } else {
                LOG.warn("listing USB devices failed: {}", UsbErrors.name(n));
            }
            sleepQuietly(POLL_PERIOD_MS);
        }
    }

    /**
     * Stops: deregisters the hotplug callback (or stops polling), lets queued events finish,
     * unbinds (display off) and removes every GUD device it added, stops the event thread and
     * exits libusb. Idempotent.
     */
    @Override
    public void close() {
        Context ctx;
        synchronized (lock) {
            ctx = context;
            if (ctx == null) {
                return;
            }
            running = false;
        }
        if (callbackHandle != null) {
            LibUsb.hotplugDeregisterCallback(ctx, callbackHandle);
            callbackHandle = null;
        }
        if (pollThread != null) {
            pollThread.interrupt();
        }
        join(pollThread);
        hotplug.close(); // queued arrivals see running == false and drop their reference
        List<Present> left;
        synchronized (lock) {
            left = new ArrayList<>(present.values());
            present.clear();
        }
        for (Present p : left) {
            try {
                if (bus.binding(p.name).isPresent()) {
                    bus.unbind(p.name); // orderly: display off while the device is there
                }
            } catch (DeviceException e) {
                LOG.debug("unbinding {} at shutdown: {}", p.name, e.getMessage());
            }
            try {
                bus.remove(p.name);
            } catch (DeviceException e) {
                LOG.debug("removing {} at shutdown: {}", p.name, e.getMessage());
            }
            LibUsb.unrefDevice(p.usbDevice);
        }
        join(eventThread); // leaves within one event timeout (100 ms)
        synchronized (lock) {
            LibUsb.exit(ctx);
            context = null;
            eventThread = null;
            pollThread = null;
        }
        LOG.info("GUD USB service stopped");
    }

    private static void join(Thread t) {
        if (t == null) {
            return;
        }
        boolean interrupted = false;
        while (t.isAlive()) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(5));
                if (t.isAlive()) {
                    LOG.warn("{} still running at GUD USB service stop", t.getName());
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
