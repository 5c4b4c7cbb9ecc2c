package org.paneld.drivers.core;

/** ENODEV: the device was unplugged or unbound; thrown by a guarded entry after {@link UnplugGuard#unplug()}. */
public final class NoDeviceException extends DeviceException {
    private static final long serialVersionUID = 1L;

    public NoDeviceException(String deviceName) {
        super(Errno.ENODEV, "device " + deviceName + " is gone (unplugged or unbound)");
    }

    public NoDeviceException(String message, Throwable cause) {
        super(Errno.ENODEV, message, cause);
    }
}
