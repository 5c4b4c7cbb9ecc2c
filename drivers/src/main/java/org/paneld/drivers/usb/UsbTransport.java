package org.paneld.drivers.usb;

import java.io.IOException;

/**
 * One claimed vendor-class interface of one USB device: vendor control requests addressed to
 * the interface (bmRequestType = vendor | interface recipient, wIndex = interface number) and
 * bulk OUT transfers on its bulk OUT endpoint. The small interface that keeps usb4java (or a
 * virtual device) out of the drivers.
 *
 * <p>Errors: {@link org.paneld.drivers.core.NoDeviceException} (ENODEV) when the device is gone
 * (libusb NO_DEVICE, or the device's unplug guard refuses entry), {@link UsbStallException}
 * (errno EIO) when the device stalled a control request, a
 * {@link org.paneld.drivers.core.DeviceException} with ETIMEDOUT when a transfer timed out, EIO
 * for other transfer failures.
 *
 * <p>Lifetime: the device's hardware binding — opened by {@link UsbTransportFactory#open} at
 * probe, closed by the hardware scope's release after unplug drained. Every method enters the
 * device's unplug guard itself, so no transfer can start after unplug returned. Threads: any,
 * but the caller serialises control requests (a GUD request and its GET_STATUS belong together).
 */
public interface UsbTransport {

    /**
     * A vendor control IN request. Returns the number of bytes the device sent (≤ {@code length}).
     */
    int controlIn(int request, int value, byte[] buffer, int length, int timeoutMs) throws IOException;

    /** A vendor control OUT request with {@code length} bytes of {@code data} (0 for none). */
    void controlOut(int request, int value, byte[] data, int length, int timeoutMs) throws IOException;

    /** A bulk OUT transfer of {@code length} bytes; fails unless every byte was sent in time. */
    void bulkOut(byte[] data, int offset, int length, int timeoutMs) throws IOException;

    /** A one-line description for logs, e.g. "usb 1-1.3 1d50:614d if 0 ep 0x03". */
    String describe();
}
