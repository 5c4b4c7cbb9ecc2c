package org.paneld.drivers.virtual;

import java.util.Set;
import org.paneld.drivers.core.ConfigException;
import org.paneld.drivers.core.DeviceConfig;
import org.paneld.drivers.core.VirtualHardware;
import org.paneld.drivers.core.VirtualHardwareProvider;

/**
 * The plain framebuffer panel ({@link VirtualFb}) of driver {@code virtual-fb}: width and height
 * from the config (320x240 by default). {@link VirtualFbDriver} finds it as the attachment itself.
 *
 * <p>Registered in META-INF/services. Stateless; any thread.
 */
public final class VirtualFbProvider implements VirtualHardwareProvider {

    @Override
    public Set<String> drivers() {
        return Set.of(VirtualFbDriver.NAME);
    }

    @Override
    public VirtualHardware create(String driver, DeviceConfig config) throws ConfigException {
        return new VirtualFb(config.intValue("width", 320, 1, 4096), config.intValue("height", 240, 1, 4096));
    }
}
