package org.paneld.drivers.mipidbi;

import org.paneld.drivers.core.Device;
import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.core.Errno;
import org.paneld.drivers.core.VirtualHardware;
import org.paneld.drivers.spi.VirtualDbiWiring;
import org.paneld.drivers.virtual.VirtualDbiPanel;

/** Finds the virtual panel of a device with backend "virtual" (attached to its bus device by the daemon). */
final class VirtualWiring {
    private VirtualWiring() {
    }

    static VirtualDbiWiring of(Device device) throws DeviceException {
        VirtualHardware vh = device.busDevice().attachment(VirtualHardware.class).orElseThrow(() -> new DeviceException(
                Errno.ENODEV, device.name() + ": backend \"virtual\" but no virtual panel is attached"));
        if (!(vh instanceof VirtualDbiPanel)) {
            throw new DeviceException(Errno.ENODEV, device.name() + ": the attached virtual hardware is a "
                    + vh.getClass().getSimpleName() + ", not a virtual MIPI DBI panel");
        }
        return new VirtualDbiWiring((VirtualDbiPanel) vh);
    }
}
