package org.paneld.drivers.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.paneld.drivers.display.Display;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bus (real or virtual) that devices appear on and drivers bind to. Holds the registered
 * drivers, the present bus devices and their bindings. Lifetime: the daemon's (or a test's).
 * Threads: any; operations on one device name are serialised.
 */
public final class Bus implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Bus.class);

    private final String name;
    private final LifecycleTracker tracker;
    private final List<Driver> drivers = new CopyOnWriteArrayList<>();
    private final Map<String, BusDevice> devices = new LinkedHashMap<>();
    private final Map<String, Binding> bindings = new LinkedHashMap<>();
    private final List<BusListener> listeners = new CopyOnWriteArrayList<>();

    public Bus(String name, LifecycleTracker tracker) {
        this.name = name;
        this.tracker = tracker;
    }

    public String name() {
        return name;
    }

    public LifecycleTracker tracker() {
        return tracker;
    }

    public void registerDriver(Driver driver) {
        for (Driver d : drivers) {
            if (d.name().equals(driver.name())) {
                throw new IllegalArgumentException("a driver named " + driver.name() + " is already registered on " + name);
            }
        }
        drivers.add(driver);
    }

    public List<Driver> drivers() {
        return List.copyOf(drivers);
    }

    /** The driver that matches {@code device}, if any. */
    public Optional<Driver> driverFor(BusDevice device) {
        return drivers.stream().filter(d -> d.matches(device)).findFirst();
    }

    public void addListener(BusListener l) {
        listeners.add(l);
    }

    public void removeListener(BusListener l) {
        listeners.remove(l);
    }

    /**
     * Adds a device to the bus.
     *
     * @throws DeviceException EBUSY when a device of that name is already present
     */
    public void add(BusDevice device) throws DeviceException {
        synchronized (this) {
            if (devices.containsKey(device.name())) {
                throw new DeviceException(Errno.EBUSY, "a device named " + device.name() + " is already on bus " + name);
            }
            devices.put(device.name(), device);
        }
        LOG.info("{}: device {} added", name, device);
        for (BusListener l : listeners) {
            safe(() -> l.deviceAdded(device));
        }
    }

    /** Adds a device and binds it. */
    public Binding addAndBind(BusDevice device) throws DeviceException {
        add(device);
        return bind(device.name());
    }

    /**
     * Binds the device called {@code deviceName} to its matching driver: makes a fresh device
     * object, probes (inside the guard), enables the display. On any failure the hardware scope
     * and the device object are released and the error names the device and the step.
     */
    public Binding bind(String deviceName) throws DeviceException {
        BusDevice bd;
        synchronized (this) {
            bd = devices.get(deviceName);
            if (bd == null) {
                throw new DeviceException(Errno.ENOENT, "no device named " + deviceName + " on bus " + name);
            }
            if (bindings.containsKey(deviceName)) {
                throw new DeviceException(Errno.EBUSY, deviceName + " is already bound");
            }
            // reserve the name so that a concurrent bind fails with EBUSY
            bindings.put(deviceName, null);
        }
        Binding binding = null;
        try {
            Driver driver = driverFor(bd).orElseThrow(() -> new DeviceException(Errno.ENOENT,
                    "no driver for " + bd + " (known drivers: " + driverNames() + ")"));
            Binding probed = probe(bd, driver);
            boolean stillPresent;
            synchronized (this) {
                stillPresent = devices.get(deviceName) == bd;
                if (stillPresent) {
                    bindings.put(deviceName, probed);
                    binding = probed;
                }
            }
            if (!stillPresent) {
                probed.yank(); // the device left the bus while it was being probed
                throw new DeviceException(Errno.ENODEV, deviceName + " left the bus while it was being bound");
            }
        } finally {
            if (binding == null) {
                synchronized (this) {
                    bindings.remove(deviceName);
                }
            }
        }
        LOG.info("{}: {} bound to driver {}", name, binding.device().id(), binding.driver().name());
        for (BusListener l : listeners) {
            Binding b = binding;
            safe(() -> l.deviceBound(b));
        }
        return binding;
    }

    private Binding probe(BusDevice bd, Driver driver) throws DeviceException {
        Device device = new Device(bd, driver, tracker, "binding");
        // The binding's reference is the first hardware-scope action, so it is dropped last.
        device.hardware().add("drop the binding's device reference", () -> device.drop("binding"));
        Binding binding = new Binding(this, device, tracker);
        device.setGoneHandler(() -> startYank(binding));
        try {
            device.guard().enter();
            try {
                Display display = driver.probe(device);
                if (display == null) {
                    throw new IllegalStateException("driver " + driver.name() + " returned no display from probe");
                }
                device.attachDisplay(display);
            } finally {
                device.guard().exit();
            }
            device.enable();
            return binding;
        } catch (Exception | LinkageError e) {
            String why = e instanceof DeviceException ? e.getMessage() : e.toString();
            LOG.warn("{}: binding {} to {} failed: {}", name, bd.name(), driver.name(), why);
            binding.yank(); // releases the hardware scope and the device object
            if (e instanceof DeviceException) {
                DeviceException de = (DeviceException) e;
                throw new DeviceException(de.errno(), "binding " + bd.name() + " to " + driver.name() + " failed: " + de.getMessage(), e);
            }
            throw new DeviceException(Errno.EIO, "binding " + bd.name() + " to " + driver.name() + " failed: " + why, e);
        }
    }

    private void startYank(Binding binding) {
        if (binding.isEnding()) {
            return;
        }
        Thread t = new Thread(binding::yank, "yank-" + binding.device().id());
        t.setDaemon(true);
        t.start();
    }

    void bindingEnded(Binding binding) {
        String n = binding.busDevice().name();
        synchronized (this) {
            if (bindings.get(n) == binding) {
                bindings.remove(n);
            } else {
                return; // a failed probe: never published
            }
        }
        for (BusListener l : listeners) {
            safe(() -> l.deviceUnbound(binding, binding.wasSurprise()));
        }
    }

    /** Orderly unbind of {@code deviceName}; ENOENT when it is not bound. */
    public void unbind(String deviceName) throws DeviceException {
        Binding b = requireBinding(deviceName);
        b.unbind();
    }

    /**
     * Surprise removal: the device left the bus (cable pulled). Its binding, if any, is yanked
     * (unplug first), then the device is removed. ENOENT when no such device is present.
     */
    public void remove(String deviceName) throws DeviceException {
        BusDevice bd;
        Binding b;
        synchronized (this) {
            bd = devices.get(deviceName);
            if (bd == null) {
                throw new DeviceException(Errno.ENOENT, "no device named " + deviceName + " on bus " + name);
            }
            b = bindings.get(deviceName);
        }
        if (b != null) {
            b.yank();
        }
        synchronized (this) {
            devices.remove(deviceName);
        }
        LOG.info("{}: device {} removed", name, bd);
        for (BusListener l : listeners) {
            safe(() -> l.deviceRemoved(bd));
        }
    }

    public synchronized Optional<BusDevice> device(String deviceName) {
        return Optional.ofNullable(devices.get(deviceName));
    }

    public synchronized List<BusDevice> devices() {
        return new ArrayList<>(devices.values());
    }

    public synchronized Optional<Binding> binding(String deviceName) {
        return Optional.ofNullable(bindings.get(deviceName));
    }

    public synchronized List<Binding> bindings() {
        List<Binding> out = new ArrayList<>();
        for (Binding b : bindings.values()) {
            if (b != null) {
                out.add(b);
            }
        }
        return out;
    }

    private Binding requireBinding(String deviceName) throws DeviceException {
        synchronized (this) {
            if (!devices.containsKey(deviceName)) {
                throw new DeviceException(Errno.ENOENT, "no device named " + deviceName + " on bus " + name);
            }
            Binding b = bindings.get(deviceName);
            if (b == null) {
                throw new DeviceException(Errno.ENOENT, deviceName + " is not bound");
            }
            return b;
        }
    }

    private String driverNames() {
        List<String> n = new ArrayList<>();
        for (Driver d : drivers) {
            n.add(d.name());
        }
        return String.join(", ", n);
    }

    /** Orderly unbind of every binding, last bound first. Devices stay on the bus. */
    public void unbindAll() {
        List<Binding> all = bindings();
        for (int i = all.size() - 1; i >= 0; i--) {
            all.get(i).unbind();
        }
    }

    /** Unbinds everything and removes every device. */
    @Override
    public void close() {
        unbindAll();
        for (BusDevice d : devices()) {
            try {
                remove(d.name());
            } catch (DeviceException e) {
                // removed concurrently
            }
        }
    }

    private static void safe(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.warn("bus listener failed: {}", e.toString());
        }
    }

    @Override
    public String toString() {
        return "Bus[" + name + "]";
    }
}
