package org.paneld.drivers.testkit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.paneld.drivers.core.Binding;
import org.paneld.drivers.core.Bus;
import org.paneld.drivers.core.BusDevice;
import org.paneld.drivers.core.BusListener;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.core.DeviceConfig;
import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.core.Driver;
import org.paneld.drivers.core.LifecycleTracker;
import org.paneld.drivers.core.VirtualHardware;
import org.paneld.drivers.virtual.VirtualGudDevice;

/**
 * The lifecycle test kit (the kernel's kunit_device_register, seed 003): a JUnit 5 extension that
 * gives each test a fresh virtual bus with the given drivers, and checks the device lifecycle:
 *
 * <ul>
 *   <li>at every unbind or unplug, the device's hardware scope has run every action it ever
 *       registered and has none pending, and its guard has drained;</li>
 *   <li>after the test, the kit removes every device from the bus (like kunit's automatic
 *       unregister) and asserts that every device object ever bound was released exactly once
 *       and that the tracker lists nothing alive (no device, binding or session leaked).</li>
 * </ul>
 *
 * <p>Use: {@code @RegisterExtension final LifecycleKit kit = new LifecycleKit(new MyDriver());}
 * then {@code kit.addVirtual("lcd0", "mydriver", "width", 320)} and {@code kit.bind("lcd0")}.
 * Lifetime: one test. Threads: the test's, plus whatever the code under test uses.
 */
public final class LifecycleKit implements BeforeEachCallback, AfterEachCallback {
    private final List<Driver> drivers;
    private LifecycleTracker tracker;
    private Bus bus;
    private final List<Device> outstanding = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    /** Emulators that judged a binding in this test: their recorded violations fail it at the end. */
    private final java.util.Set<VirtualHardware> judged = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    private int bindings;
    private int releasesChecked;

    public LifecycleKit(Driver... drivers) {
        this.drivers = List.of(drivers);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        start();
    }

    /** (Re)starts the kit outside JUnit's callbacks, e.g. for a benchmark. */
    public void start() {
        tracker = new LifecycleTracker();
        bus = new Bus("test-bus", tracker);
        outstanding.clear();
        failures.clear();
        judged.clear();
        bindings = 0;
        releasesChecked = 0;
        for (Driver d : drivers) {
            bus.registerDriver(d);
        }
        bus.addListener(new BusListener() {
            @Override
            public void deviceBound(Binding binding) {
                synchronized (LifecycleKit.this) {
                    outstanding.add(binding.device());
                    bindings++;
                    binding.busDevice().attachment(VirtualHardware.class).ifPresent(judged::add);
                }
            }

            @Override
            public void deviceUnbound(Binding binding, boolean surprise) {
                checkUnbound(binding.device());
            }
        });
    }

    private void checkUnbound(Device d) {
        synchronized (this) {
            if (!d.guard().isDrained()) {
                failures.add(d.id() + ": unbound but its guard did not drain");
            }
            if (!d.hardware().isReleased() || d.hardware().pending() != 0
                    || d.hardware().ranCount() != d.hardware().registeredCount()) {
                failures.add(d.id() + ": at unbind the hardware scope ran " + d.hardware().ranCount() + " of "
                        + d.hardware().registeredCount() + " actions (pending: " + d.hardware().describe() + ")");
            }
            if (d.isReleased()) {
                checkReleased(d);
                outstanding.remove(d);
            }
        }
    }

    private void checkReleased(Device d) {
        releasesChecked++;
        if (d.releaseCount() != 1) {
            failures.add(d.id() + ": release ran " + d.releaseCount() + " times");
        }
        if (!d.objects().isReleased() || d.objects().pending() != 0) {
            failures.add(d.id() + ": released but its object scope still holds " + d.objects().describe());
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        finish();
    }

    /** Removes every device and runs the end-of-test checks; throws AssertionError on a failure. */
    public void finish() {
        bus.close();
        List<String> problems = new ArrayList<>();
        synchronized (this) {
            for (Device d : outstanding) {
                if (d.isReleased()) {
                    checkReleased(d);
                } else {
                    problems.add(d.id() + " was never released: " + d.describeRefs());
                }
            }
            outstanding.clear();
            problems.addAll(failures);
            for (VirtualHardware v : judged) {
                if (v instanceof VirtualGudDevice g && !g.violations().isEmpty()) {
                    problems.add(g.describe() + " saw protocol violations:\n    " + String.join("\n    ", g.violations()));
                }
            }
        }
        if (tracker.liveCount() != 0) {
            problems.add("still alive:\n    " + String.join("\n    ", tracker.listing()));
        }
        if (!problems.isEmpty()) {
            throw new AssertionError("lifecycle kit: " + String.join("\n  ", problems));
        }
    }

    /** Asserts now (mid-test) that no lifecycle failure has been recorded so far. */
    public synchronized void assertNoFailures() {
        if (!failures.isEmpty()) {
            throw new AssertionError("lifecycle kit: " + String.join("\n  ", failures));
        }
    }

    public Bus bus() {
        return bus;
    }

    public LifecycleTracker tracker() {
        return tracker;
    }

    /** Number of successful binds so far in this test. */
    public synchronized int bindCount() {
        return bindings;
    }

    /**
     * Adds a device with {@code backend = "virtual"} for {@code driver}, configured by key/value
     * pairs; the virtual hardware registered for the driver ({@link org.paneld.drivers.core.VirtualHardwareRegistry}) is
     * created and attached. Not bound yet.
     */
    public BusDevice addVirtual(String name, String driver, Object... keyValues) throws DeviceException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("driver", driver);
        m.put("backend", "virtual");
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        DeviceConfig config = new DeviceConfig("test device '" + name + "'", m);
        BusDevice bd = new BusDevice(name, driver, config);
        Driver d = bus.driverFor(bd).orElseThrow(() -> new AssertionError("no driver " + driver + " registered in the kit"));
        // the emulator comes from the registry (ServiceLoader), as in the daemon; none when none is registered
        org.paneld.drivers.core.VirtualHardwareRegistry registry = org.paneld.drivers.core.VirtualHardwareRegistry.standard();
        if (registry.provider(d).isPresent()) {
            bd.attach(VirtualHardware.class, registry.create(d, config));
        }
        bus.add(bd);
        return bd;
    }

    /** Adds a device as given (attachments included), not bound. */
    public BusDevice add(BusDevice device) throws DeviceException {
        bus.add(device);
        return device;
    }

    public Binding bind(String name) throws DeviceException {
        return bus.bind(name);
    }

    /** The device object of the current binding of {@code name}. */
    public Device device(String name) {
        return bus.binding(name).orElseThrow(() -> new AssertionError(name + " is not bound")).device();
    }

    /** The virtual hardware attached to {@code name}, as its concrete type. */
    public <T> T hardware(String name, Class<T> type) {
        BusDevice bd = bus.device(name).orElseThrow(() -> new AssertionError("no device " + name));
        return type.cast(bd.attachment(VirtualHardware.class).orElseThrow(() -> new AssertionError(name + " has no virtual hardware")));
    }
}
