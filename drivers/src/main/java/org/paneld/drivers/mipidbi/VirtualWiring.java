package org.paneld.drivers.mipidbi;

import org.paneld.drivers.core.Device;
import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.core.Errno;
import org.paneld.drivers.spi.DbiBus;
import org.paneld.drivers.spi.Sleeper;

/** Wires a DBI bus to the virtual panel attached to the bus device (backend "virtual"). */
final class VirtualWiring {
    private VirtualWiring() {
    }

    static DbiBus open(Device device, PanelConfig cfg, Sleeper sleeper, boolean readable) throws DeviceException {
        throw new DeviceException(Errno.EOPNOTSUPP, device.name() + ": the virtual MIPI DBI panel is not available yet");
    }
}
