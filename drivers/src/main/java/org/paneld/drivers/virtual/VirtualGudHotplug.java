package org.paneld.drivers.virtual;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import org.paneld.drivers.core.Bus;
import org.paneld.drivers.core.BusDevice;
import org.paneld.drivers.core.DeviceConfig;
import org.paneld.drivers.core.VirtualHardware;
import org.paneld.drivers.usb.UsbHotplug;

/**
 * A virtual USB hotplug source: plugs {@link VirtualGudDevice}s in and out through the same
 * add/remove path ({@link UsbHotplug}) that the usb4java service feeds, so tests (and a demo
 * daemon) exercise real hotplug lifecycles without a USB port. A device that disconnects by
 * itself (an injected mid-transfer disconnect) is removed like a pulled cable.
 *
 * <p>Lifetime: a test's or the daemon's; {@link #close()} unplugs what is still plugged.
 * Threads: any.
 */
public final class VirtualGudHotplug implements AutoCloseable {
    /** The driver name GUD devices are bound by ("gud"). */
    static final String DRIVER = "gud";

    private final UsbHotplug hotplug;
    private final Map<String, Plugged> plugged = new ConcurrentHashMap<>();

    private record Plugged(VirtualGudDevice device, Runnable listener) {
    }

    public VirtualGudHotplug(Bus bus) {
        this.hotplug = new UsbHotplug(bus, "virtual-gud-hotplug");
    }

    /** Plugs {@code device} in as bus device {@code name} (driver "gud"); returns when the event is queued. */
    public Future<?> plug(String name, VirtualGudDevice device) {
        Plugged[] self = new Plugged[1];
        Runnable onDisconnect = () -> unplug(name, self[0]); // only this plug-in, never a later one
        Plugged p = new Plugged(device, onDisconnect);
        self[0] = p;
        if (plugged.putIfAbsent(name, p) != null) {
            throw new IllegalStateException(name + " is already plugged in");
        }
        device.reconnect();
        device.addDisconnectListener(onDisconnect);
        BusDevice bd = new BusDevice(name, DRIVER, DeviceConfig.of("virtual USB " + name))
                .attach(VirtualHardware.class, device);
        return hotplug.arrived(bd);
    }

    /** Pulls {@code name}'s cable: the device fails every transfer, then leaves the bus. No-op when not plugged. */
    public Future<?> unplug(String name) {
        Plugged p = plugged.get(name);
        return p == null ? java.util.concurrent.CompletableFuture.completedFuture(null) : unplug(name, p);
    }

    private Future<?> unplug(String name, Plugged p) {
        if (p == null || !plugged.remove(name, p)) {
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }
        p.device.removeDisconnectListener(p.listener);
        p.device.disconnect();
        return hotplug.left(name, null);
    }

    public boolean isPlugged(String name) {
        return plugged.containsKey(name);
    }

    public UsbHotplug hotplug() {
        return hotplug;
    }

    /** Unplugs everything still plugged and stops the event worker. */
    @Override
    public void close() {
        for (String name : plugged.keySet()) {
            unplug(name);
        }
        hotplug.close();
    }
}
