package org.paneld.drivers.core;

import java.util.Set;
import org.paneld.drivers.display.Display;

/**
 * A driver: matches bus devices by name and binds them (probe). Stateless apart from
 * configuration; any thread. Registered on a {@link Bus}.
 */
public interface Driver {

    /** The driver's name, as configs and clients name it, e.g. "mi0283qt". */
    String name();

    /** Other names that select this driver (e.g. "ili9341" for mi0283qt). */
    default Set<String> aliases() {
        return Set.of();
    }

    default boolean matches(BusDevice device) {
        return device.driverName().equals(name()) || aliases().contains(device.driverName());
    }

    /**
     * Checks a device's configuration without touching hardware; the daemon calls it when it
     * loads its config, so that a bad entry stops start-up before any hardware is touched.
     */
    default void validate(DeviceConfig config) throws ConfigException {
    }

    /**
     * For {@code backend = "virtual"}: makes the emulated hardware for a device with this
     * configuration. The daemon attaches it to the bus device under {@link VirtualHardware}, so it
     * outlives bindings like a real panel does (unplug/replug keep what it shows); probe finds it
     * there. Drivers without a virtual twin return empty.
     */
    default java.util.Optional<VirtualHardware> createVirtual(DeviceConfig config) throws ConfigException {
        return java.util.Optional.empty();
    }

    /**
     * Binds {@code device}: acquires the hardware (registering every hardware resource in
     * {@link Device#hardware()}, every client-visible object in {@link Device#objects()}) and
     * returns its display functions. Runs inside the device's unplug guard. On failure the
     * device model releases the hardware scope and the device; the exception's message should
     * say what failed (a {@link DeviceException} keeps its errno).
     */
    Display probe(Device device) throws Exception;
}
