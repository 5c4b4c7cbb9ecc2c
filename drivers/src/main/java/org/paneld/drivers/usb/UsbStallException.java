package org.paneld.drivers.usb;

import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.core.Errno;

/**
 * The device stalled a control request (libusb LIBUSB_ERROR_PIPE, the kernel's -EPIPE). Its
 * errno is EIO; a protocol driver that can ask the device why (GUD's GET_STATUS) replaces it
 * with the errno the device reports. Immutable; any thread.
 */
public final class UsbStallException extends DeviceException {
    private static final long serialVersionUID = 1L;

    public UsbStallException(String message) {
        super(Errno.EIO, message);
    }
}
