package org.paneld.drivers.virtual;

import java.util.Set;
import org.paneld.drivers.core.ConfigException;
import org.paneld.drivers.core.DeviceConfig;
import org.paneld.drivers.core.VirtualHardware;
import org.paneld.drivers.core.VirtualHardwareProvider;

/**
 * The virtual GUD device ({@link VirtualGudDevice}) of {@code backend = "virtual"} for driver
 * "gud": its build comes from the config keys only the emulator reads ({@link #configKeys}).
 * The device is its own wiring: it is the {@code UsbTransportFactory} the driver opens.
 *
 * <p>Registered in META-INF/services. Stateless; any thread.
 */
public final class GudDeviceProvider implements VirtualHardwareProvider {

    @Override
    public Set<String> drivers() {
        return Set.of("gud");
    }

    @Override
    public Set<String> configKeys() {
        return VirtualGudDevice.CONFIG_KEYS;
    }

    @Override
    public VirtualHardware create(String driver, DeviceConfig config) throws ConfigException {
        return VirtualGudDevice.fromConfig(config);
    }
}
