package org.paneld.drivers.usb;

import java.io.IOException;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.core.NoDeviceException;
import org.paneld.drivers.core.UnplugGuard;
import org.usb4java.DeviceHandle;
import org.usb4java.LibUsb;

/**
 * A present USB device as the usb4java service found it: a referenced libusb device, its
 * location ("1-1.3"), ids, and the vendor interface and bulk OUT endpoint to use. Attached to
 * the {@link org.paneld.drivers.core.BusDevice} under {@link UsbTransportFactory}; lives while
 * the device is plugged in (the service drops the libusb reference after removal).
 * Threads: any.
 */
public final class Usb4JavaDevice implements UsbTransportFactory {
    private final org.usb4java.Device usbDevice;
    private final String location;
    private final int vendorId;
    private final int productId;
    private final int interfaceNumber;
    private final byte bulkOutEndpoint;

    public Usb4JavaDevice(org.usb4java.Device usbDevice, String location, int vendorId, int productId,
                          int interfaceNumber, byte bulkOutEndpoint) {
        this.usbDevice = usbDevice;
        this.location = location;
        this.vendorId = vendorId;
        this.productId = productId;
        this.interfaceNumber = interfaceNumber;
        this.bulkOutEndpoint = bulkOutEndpoint;
    }

    public String location() {
        return location;
    }

    public int vendorId() {
        return vendorId;
    }

    public int productId() {
        return productId;
    }

    public org.usb4java.Device usbDevice() {
        return usbDevice;
    }

    /**
     * Opens the device node, claims the interface and returns the transport. Handle close and
     * interface release are registered in {@code device.hardware()} as soon as each resource
     * exists, so a failure half-way leaks nothing. Runs inside {@code device.guard()}.
     *
     * @throws IOException EACCES when the node cannot be opened for lack of permission, ENODEV
     *                     when the device went away, EBUSY when another driver holds the interface
     */
    @Override
    public UsbTransport open(Device device) throws IOException {
        UnplugGuard guard = device.guard();
        String what = describe();
        guard.enter();
        try {
            DeviceHandle handle = new DeviceHandle();
            int r;
            try {
                r = LibUsb.open(usbDevice, handle);
            } catch (IllegalStateException | IllegalArgumentException e) {
                // usb4java refuses a device it has no libusb device for: treat it as absent
                throw new NoDeviceException("opening " + what + ": no such device (" + e.getMessage() + ")", e);
            }
            if (r < 0) {
                throw UsbErrors.map(r, "opening " + what);
            }
            Usb4JavaTransport t = new Usb4JavaTransport(guard, handle, interfaceNumber, bulkOutEndpoint,
                    what + " if " + interfaceNumber + " ep 0x" + Integer.toHexString(bulkOutEndpoint & 0xFF));
            try {
                device.hardware().addOrReset("close USB handle of " + what, t::closeHandle);
            } catch (Exception e) {
                throw new IOException("registering the USB handle of " + what + " failed", e);
            }
            t.claim();
            device.hardware().add("release USB interface " + interfaceNumber + " of " + what, t::releaseInterface);
            return t;
        } finally {
            guard.exit();
        }
    }

    @Override
    public String describe() {
        return String.format("usb %s %04x:%04x", location, vendorId, productId);
    }

    @Override
    public String toString() {
        return describe();
    }
}
