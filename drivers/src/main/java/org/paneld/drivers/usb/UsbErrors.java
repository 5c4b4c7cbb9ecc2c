package org.paneld.drivers.usb;

import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.core.Errno;
import org.paneld.drivers.core.NoDeviceException;
import org.usb4java.LibUsb;

/**
 * Maps libusb error codes to paneld's errors: NO_DEVICE → {@link NoDeviceException} (ENODEV),
 * PIPE (stall) → {@link UsbStallException} (EIO until the protocol learns why), TIMEOUT →
 * ETIMEDOUT, ACCESS → EACCES (with the udev hint), BUSY → EBUSY, NOT_FOUND → ENOENT, NO_MEM →
 * ENOMEM, NOT_SUPPORTED → EOPNOTSUPP, INVALID_PARAM → EINVAL, OVERFLOW → EPROTO, anything else
 * → EIO. Stateless; any thread.
 */
public final class UsbErrors {
    private UsbErrors() {
    }

    /** The exception for libusb result {@code code} (negative) of {@code what}, e.g. "bulk OUT to usb 1-1.3". */
    public static DeviceException map(int code, String what) {
        String name = name(code);
        switch (code) {
            case LibUsb.ERROR_NO_DEVICE:
                return new NoDeviceException(what + ": the device is gone (" + name + ")", null);
            case LibUsb.ERROR_PIPE:
                return new UsbStallException(what + ": the device stalled the request (" + name + ")");
            case LibUsb.ERROR_TIMEOUT:
                return new DeviceException(Errno.ETIMEDOUT, what + ": timed out (" + name + ")");
            case LibUsb.ERROR_ACCESS:
                return new DeviceException(Errno.EACCES, what + ": permission denied (" + name
                        + "); install paneld's udev rule or run paneld in the plugdev group");
            case LibUsb.ERROR_BUSY:
                return new DeviceException(Errno.EBUSY, what + ": busy, another driver or process holds it (" + name + ")");
            case LibUsb.ERROR_NOT_FOUND:
                return new DeviceException(Errno.ENOENT, what + ": not found (" + name + ")");
            case LibUsb.ERROR_NO_MEM:
                return new DeviceException(Errno.ENOMEM, what + ": out of memory (" + name + ")");
            case LibUsb.ERROR_NOT_SUPPORTED:
                return new DeviceException(Errno.EOPNOTSUPP, what + ": not supported on this platform (" + name + ")");
            case LibUsb.ERROR_INVALID_PARAM:
                return new DeviceException(Errno.EINVAL, what + ": invalid parameter (" + name + ")");
            case LibUsb.ERROR_OVERFLOW:
                return new DeviceException(Errno.EPROTO, what + ": the device sent more than asked for (" + name + ")");
            default:
                return new DeviceException(Errno.EIO, what + ": failed (" + name + ")");
        }
    }

    /** The libusb name of an error code, e.g. "LIBUSB_ERROR_PIPE (-9)"; never touches native code. */
    public static String name(int code) {
        String n;
        switch (code) {
            case LibUsb.ERROR_IO: n = "LIBUSB_ERROR_IO"; break;
            case LibUsb.ERROR_INVALID_PARAM: n = "LIBUSB_ERROR_INVALID_PARAM"; break;
            case LibUsb.ERROR_ACCESS: n = "LIBUSB_ERROR_ACCESS"; break;
            case LibUsb.ERROR_NO_DEVICE: n = "LIBUSB_ERROR_NO_DEVICE"; break;
            case LibUsb.ERROR_NOT_FOUND: n = "LIBUSB_ERROR_NOT_FOUND"; break;
            case LibUsb.ERROR_BUSY: n = "LIBUSB_ERROR_BUSY"; break;
            case LibUsb.ERROR_TIMEOUT: n = "LIBUSB_ERROR_TIMEOUT"; break;
            case LibUsb.ERROR_OVERFLOW: n = "LIBUSB_ERROR_OVERFLOW"; break;
            case LibUsb.ERROR_PIPE: n = "LIBUSB_ERROR_PIPE"; break;
            case LibUsb.ERROR_INTERRUPTED: n = "LIBUSB_ERROR_INTERRUPTED"; break;
            case LibUsb.ERROR_NO_MEM: n = "LIBUSB_ERROR_NO_MEM"; break;
            case LibUsb.ERROR_NOT_SUPPORTED: n = "LIBUSB_ERROR_NOT_SUPPORTED"; break;
            default: n = "LIBUSB_ERROR_OTHER"; break;
        }
        return n + " (" + code + ")";
    }
}
