package org.paneld.drivers.core;

import java.util.Optional;
import java.util.Set;

/**
 * Makes the emulated hardware behind {@code backend = "virtual"} for the drivers it names: the
 * emulators' side of the house, found through {@link java.util.ServiceLoader} (one line per
 * provider in {@code META-INF/services/org.paneld.drivers.core.VirtualHardwareProvider}), the way
 * Pi4J ships its mock as a plugin. A driver never names its emulator and an emulator never
 * imports its driver: the two meet only here, by driver name, and through the bus interfaces
 * (a {@code DbiWiring}, an {@code SpiWiring}, a {@code UsbTransportFactory}) that
 * {@link #wiring} hands to the driver at probe. {@link VirtualHardwareRegistry} holds them.
 *
 * <p>Implementations need a public no-argument constructor. Stateless; any thread.
 */
public interface VirtualHardwareProvider {

    /** The driver names and aliases whose devices this provider emulates, e.g. "st7586", "ev3-lcd". */
    Set<String> drivers();

    /**
     * Config keys the emulator reads and the driver does not (a virtual GUD device's build:
     * width, formats …). The registry takes them out of the config the driver validates, so a
     * driver's unknown-key check never has to know its emulator.
     */
    default Set<String> configKeys() {
        return Set.of();
    }

    /**
     * Makes the emulated panel of a device with this configuration (backend "virtual"), for
     * driver {@code driver} (one of {@link #drivers()}, as the config names it). Checks what the
     * emulator reads, without touching anything; errors name the place and key. The panel
     * outlives bindings like a real one: the daemon attaches it to the bus device under
     * {@link VirtualHardware}.
     */
    VirtualHardware create(String driver, DeviceConfig config) throws ConfigException;

    /**
     * The wires of {@code hardware} in the shape a driver asks for ({@code kind}: the bus
     * interface the driver speaks), or empty when {@code hardware} is not this provider's or has
     * no such face. The default answers with the hardware itself when it implements
     * {@code kind}.
     */
    default <T> Optional<T> wiring(VirtualHardware hardware, Class<T> kind) {
        return kind.isInstance(hardware) ? Optional.of(kind.cast(hardware)) : Optional.empty();
    }
}
