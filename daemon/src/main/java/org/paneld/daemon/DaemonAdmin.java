package org.paneld.daemon;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.paneld.daemon.config.PanelConfig;
import org.paneld.daemon.server.AdminService;
import org.paneld.drivers.core.Binding;
import org.paneld.drivers.core.Bus;
import org.paneld.drivers.core.BusDevice;
import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.core.Errno;
import org.paneld.drivers.core.VirtualHardware;
import org.paneld.drivers.display.DisplayInfo;
import org.paneld.drivers.pixel.RgbImage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's {@link AdminService}: status, bind/unbind, and for virtual devices simulated
 * unplug/replug and snapshots read from the emulator. An unplugged virtual device's
 * {@link BusDevice} (with its emulator, which keeps what it showed) is kept here until replug.
 * Lifetime: the daemon's. Threads: the server's admin thread (one request at a time), and the
 * main thread at shutdown.
 */
final class DaemonAdmin implements AdminService {
    private static final Logger LOG = LoggerFactory.getLogger(DaemonAdmin.class);

    private final Daemon daemon;
    private final Map<String, BusDevice> unplugged = new ConcurrentHashMap<>();

    DaemonAdmin(Daemon daemon) {
        this.daemon = daemon;
    }

    private Bus bus() throws DeviceException {
        Bus b = daemon.bus();
        if (b == null) {
            throw new DeviceException(Errno.EBUSY, "the daemon is starting or stopping");
        }
        return b;
    }

    @Override
    public List<String> status() {
        List<String> out = new ArrayList<>();
        long up = (System.nanoTime() - daemon.startNanos()) / 1_000_000_000L;
        out.add("paneld pid=" + ProcessHandle.current().pid() + " uptime_s=" + up + " config=" + quote(
                daemon.config() == null ? "" : daemon.config().source()));
        Bus b = daemon.bus();
        if (b != null) {
            for (BusDevice bd : b.devices()) {
                out.add(deviceLine(bd, b.binding(bd.name())));
            }
        }
        for (BusDevice bd : unplugged.values()) {
            out.add("device " + bd.name() + " driver=" + bd.driverName() + backend(bd) + " state=unplugged");
        }
        // the server appends its own counters line (connections, sessions, buffers, bytes moved)
        for (String l : daemon.tracker().listing()) {
            out.add("live " + l);
        }
        return out;
    }

    private String deviceLine(BusDevice bd, Optional<Binding> binding) {
        StringBuilder sb = new StringBuilder("device ").append(bd.name()).append(" driver=").append(bd.driverName())
                .append(backend(bd));
        if (binding.isPresent()) {
            Binding bi = binding.get();
            sb.append(" state=bound id=").append(bi.device().id());
            try {
                DisplayInfo i = bi.device().info();
                sb.append(" size=").append(i.width()).append('x').append(i.height());
            } catch (DeviceException e) {
                sb.append(" size=?");
            }
            sb.append(' ').append(bi.device().describeRefs().replace(" [", " holders=[").replace(", ", ","));
            org.paneld.drivers.core.FrameStats st = bi.device().frameStats();
            sb.append(" frames_shown=").append(st.shown()).append(" frames_merged=").append(st.merged())
                    .append(String.format(java.util.Locale.ROOT, " wire_busy=%.3f", st.busy()));
            org.paneld.drivers.display.Display shown = bi.device().display();
            if (shown != null && shown.interlacedUpdates() > 0) {
                sb.append(" frames_interlaced=").append(shown.interlacedUpdates());
            }
        } else {
            sb.append(" state=unbound");
        }
        bd.attachment(VirtualHardware.class).ifPresent(v -> sb.append(" panel=").append(quote(v.describe())));
        return sb.toString();
    }

    private String backend(BusDevice bd) {
        Optional<PanelConfig> p = daemon.panel(bd.name());
        if (p.isPresent()) {
            return " backend=" + p.get().backend().key();
        }
        return bd.attachment(VirtualHardware.class).isPresent() ? " backend=virtual" : " backend=usb";
    }

    private static String quote(String s) {
        return "\"" + s.replace("\"", "'") + "\"";
    }

    @Override
    public void bind(String device) throws DeviceException {
        if (unplugged.containsKey(device)) {
            throw new DeviceException(Errno.ENODEV, device + " is unplugged; replug it first");
        }
        bus().bind(device);
        LOG.info("admin: {} bound", device);
    }

    @Override
    public void unbind(String device) throws DeviceException {
        if (unplugged.containsKey(device)) {
            throw new DeviceException(Errno.ENODEV, device + " is unplugged");
        }
        Bus b = bus();
        if (b.device(device).isEmpty()) {
            throw new DeviceException(Errno.ENOENT, "no device named " + device);
        }
        Binding binding = b.binding(device).orElseThrow(() -> new DeviceException(Errno.ENOENT, device + " is not bound"));
        daemon.unbindOrderly(binding);
        LOG.info("admin: {} unbound", device);
    }

    @Override
    public void unplug(String device) throws DeviceException {
        if (unplugged.containsKey(device)) {
            throw new DeviceException(Errno.ENODEV, device + " is already unplugged");
        }
        Bus b = bus();
        BusDevice bd = b.device(device).orElseThrow(() -> new DeviceException(Errno.ENOENT, "no device named " + device));
        if (bd.attachment(VirtualHardware.class).isEmpty()) {
            throw new DeviceException(Errno.EINVAL, device + " is not a virtual device: only virtual panels can be unplugged by request");
        }
        b.remove(device); // surprise removal: unplug first, then release the hardware scope
        unplugged.put(device, bd);
        LOG.info("admin: {} unplugged (simulated)", device);
    }

    @Override
    public void replug(String device) throws DeviceException {
        BusDevice bd = unplugged.remove(device);
        if (bd == null) {
            Bus b = bus();
            if (b.device(device).isPresent()) {
                throw new DeviceException(Errno.EBUSY, device + " is plugged in");
            }
            throw new DeviceException(Errno.ENOENT, "no unplugged device named " + device);
        }
        Bus b;
        try {
            b = bus();
            b.add(bd);
        } catch (DeviceException e) {
            unplugged.put(device, bd);
            throw e;
        }
        LOG.info("admin: {} replugged (simulated)", device);
        b.bind(device);
    }

    @Override
    public RgbImage snapshot(String device) throws DeviceException {
        BusDevice bd = unplugged.get(device);
        if (bd == null) {
            bd = bus().device(device).orElseThrow(() -> new DeviceException(Errno.ENOENT, "no device named " + device));
        }
        VirtualHardware hw = bd.attachment(VirtualHardware.class).orElseThrow(() -> new DeviceException(Errno.EINVAL,
                device + " is not a virtual panel: a snapshot reads what an emulated panel shows"));
        return hw.snapshot();
    }

    /** The devices unplugged by request, kept until replug (the live view lists them greyed out). */
    java.util.Collection<BusDevice> unpluggedDevices() {
        return unplugged.values();
    }

    /** The backend key of {@code bd}: "virtual", "spi" or "usb". */
    String backendOf(BusDevice bd) {
        return backend(bd).substring(" backend=".length());
    }

    /** At shutdown: the unplugged devices are gone with the bus. */
    void forgetUnplugged() {
        unplugged.clear();
    }
}
