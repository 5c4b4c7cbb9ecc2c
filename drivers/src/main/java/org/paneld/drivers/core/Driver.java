package org.paneld.drivers.core;

import java.util.Set;
import org.paneld.drivers.display.Display;

/**
 * A driver: matches bus devices by name and binds them (probe). Stateless apart from
 * configuration; any thread. Registered on a {@link Bus}.
 *
 * <p>A driver does not make or name its emulator: emulators register through
 * {@link VirtualHardwareProvider} ({@link java.util.ServiceLoader}), and with
 * {@code backend = "virtual"} a driver's probe asks
 * {@link VirtualHardwareRegistry#wiring VirtualHardwareRegistry.standard().wiring(device, kind)}
 * for the wires, {@code kind} being the bus interface it speaks.
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
     * With backend "virtual" the daemon calls it through
     * {@link VirtualHardwareRegistry#validate}, without the keys only the emulator reads.
     */
    default void validate(DeviceConfig config) throws ConfigException {
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
