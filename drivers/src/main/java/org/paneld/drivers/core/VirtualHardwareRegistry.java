package org.paneld.drivers.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeSet;

/**
 * The emulators known for {@code backend = "virtual"}, by driver name and alias: the
 * {@link VirtualHardwareProvider}s that {@link java.util.ServiceLoader} finds
 * ({@link #standard()}), or a given list (tests). Drivers reach their emulated wires only
 * through {@link #wiring}; the daemon makes panels through {@link #create} and checks configs
 * through {@link #validate}, so a driver with no registered emulator is a config error naming
 * the panel and the driver, before anything starts.
 *
 * <p>Immutable after construction ({@link #standard()} is loaded once, on first use); any thread.
 */
public final class VirtualHardwareRegistry {
    private final List<VirtualHardwareProvider> providers;
    private final Map<String, VirtualHardwareProvider> byDriver;

    private static final class Standard {
        static final VirtualHardwareRegistry INSTANCE = load(VirtualHardwareRegistry.class.getClassLoader());
    }

    private VirtualHardwareRegistry(Collection<? extends VirtualHardwareProvider> providers) {
        this.providers = List.copyOf(providers);
        Map<String, VirtualHardwareProvider> m = new LinkedHashMap<>();
        for (VirtualHardwareProvider p : this.providers) {
            for (String name : p.drivers()) {
                VirtualHardwareProvider before = m.putIfAbsent(name, p);
                if (before != null) {
                    throw new IllegalStateException("driver '" + name + "' has two virtual hardware providers: "
                            + before.getClass().getName() + " and " + p.getClass().getName());
                }
            }
        }
        this.byDriver = Map.copyOf(m);
    }

    /** The providers {@link ServiceLoader} finds on this class's class loader (the daemon's jar). */
    public static VirtualHardwareRegistry standard() {
        return Standard.INSTANCE;
    }

    /** The providers {@link ServiceLoader} finds through {@code loader}. */
    public static VirtualHardwareRegistry load(ClassLoader loader) {
        List<VirtualHardwareProvider> found = new ArrayList<>();
        for (VirtualHardwareProvider p : ServiceLoader.load(VirtualHardwareProvider.class, loader)) {
            found.add(p);
        }
        return new VirtualHardwareRegistry(found);
    }

    /** A registry of exactly {@code providers}. */
    public static VirtualHardwareRegistry of(Collection<? extends VirtualHardwareProvider> providers) {
        return new VirtualHardwareRegistry(providers);
    }

    /** The provider for {@code driver}: by its name, else by one of its aliases. */
    public Optional<VirtualHardwareProvider> provider(Driver driver) {
        VirtualHardwareProvider p = byDriver.get(driver.name());
        if (p != null) {
            return Optional.of(p);
        }
        for (String alias : new TreeSet<>(driver.aliases())) {
            p = byDriver.get(alias);
            if (p != null) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Every driver name and alias that has an emulator, sorted. */
    public List<String> driverNames() {
        return List.copyOf(new TreeSet<>(byDriver.keySet()));
    }

    /**
     * Makes the emulated panel for a device of {@code driver} with {@code config}.
     *
     * @throws ConfigException naming the place (the panel) and the driver when no emulator is
     *                         registered for it, or what the emulator refuses in the config
     */
    public VirtualHardware create(Driver driver, DeviceConfig config) throws ConfigException {
        VirtualHardwareProvider p = require(driver, config);
        return p.create(requested(p, driver, config), config);
    }

    /**
     * Checks a config with {@code backend = "virtual"} without touching anything: an emulator
     * must be registered for the driver, the driver must accept the config without the keys only
     * the emulator reads, and the emulator must accept it (a panel is made and dropped).
     */
    public void validate(Driver driver, DeviceConfig config) throws ConfigException {
        VirtualHardwareProvider p = require(driver, config);
        driver.validate(config.without(p.configKeys()));
        p.create(requested(p, driver, config), config);
    }

    /**
     * For a driver at probe with backend "virtual": the wires of the virtual hardware attached
     * to {@code device}'s bus device, in the shape {@code kind} the driver speaks (the hardware
     * itself when it implements {@code kind}, else what its provider makes of it).
     *
     * @throws DeviceException ENODEV naming the device when nothing is attached or the attached
     *                         hardware has no such wires
     */
    public <T> T wiring(Device device, Class<T> kind) throws DeviceException {
        VirtualHardware hw = device.busDevice().attachment(VirtualHardware.class).orElseThrow(() -> new DeviceException(
                Errno.ENODEV, device.name() + ": backend \"virtual\" but no virtual panel is attached"));
        if (kind.isInstance(hw)) {
            return kind.cast(hw);
        }
        for (VirtualHardwareProvider p : providers) {
            Optional<T> w = p.wiring(hw, kind);
            if (w.isPresent()) {
                return w.get();
            }
        }
        throw new DeviceException(Errno.ENODEV, device.name() + ": the attached virtual hardware is a "
                + hw.getClass().getSimpleName() + ", which driver " + device.busDevice().driverName()
                + " cannot reach (no " + kind.getSimpleName() + " for it)");
    }

    private VirtualHardwareProvider require(Driver driver, DeviceConfig config) throws ConfigException {
        return provider(driver).orElseThrow(() -> new ConfigException(config.where() + ": key 'backend': driver '"
                + driver.name() + "' has no virtual panel (emulators are registered for: "
                + String.join(", ", driverNames()) + "); use a real backend"));
    }

    /** The name the config asks for when the provider knows it (an alias picks a variant), else the driver's. */
    private static String requested(VirtualHardwareProvider p, Driver driver, DeviceConfig config) throws ConfigException {
        String asked = config.has("driver") && config.asMap().get("driver") instanceof String ? config.string("driver") : null;
        if (asked != null && p.drivers().contains(asked)) {
            return asked;
        }
        if (p.drivers().contains(driver.name())) {
            return driver.name();
        }
        for (String alias : new TreeSet<>(driver.aliases())) {
            if (p.drivers().contains(alias)) {
                return alias;
            }
        }
        return driver.name();
    }

    @Override
    public String toString() {
        return "VirtualHardwareRegistry" + driverNames();
    }
}
