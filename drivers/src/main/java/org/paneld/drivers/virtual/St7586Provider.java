package org.paneld.drivers.virtual;

import java.util.Optional;
import java.util.Set;
import org.paneld.drivers.core.ConfigException;
import org.paneld.drivers.core.DeviceConfig;
import org.paneld.drivers.core.VirtualHardware;
import org.paneld.drivers.core.VirtualHardwareProvider;
import org.paneld.drivers.spi.DbiWiring;

/**
 * The virtual ST7586 ({@link VirtualSt7586}, the EV3 LCD) for drivers "st7586" and "ev3-lcd",
 * seen at the config's {@code rotation}. Drivers reach it as a {@link DbiWiring}.
 *
 * <p>Registered in META-INF/services. Stateless; any thread.
 */
public final class St7586Provider implements VirtualHardwareProvider {

    @Override
    public Set<String> drivers() {
        return Set.of("st7586", "ev3-lcd");
    }

    @Override
    public VirtualHardware create(String driver, DeviceConfig config) throws ConfigException {
        return new VirtualSt7586((int) config.oneOf("rotation", 0, 0, 90, 180, 270));
    }

    @Override
    public <T> Optional<T> wiring(VirtualHardware hardware, Class<T> kind) {
        if (kind == DbiWiring.class && hardware instanceof VirtualSt7586) {
            return Optional.of(kind.cast(((VirtualSt7586) hardware).wiring()));
        }
        return Optional.empty();
    }
}
