package org.paneld.drivers.usb;

import java.io.IOException;
import org.paneld.drivers.core.Device;

/**
 * Opens a {@link UsbTransport} for one binding of a USB device. Attached to the
 * {@link org.paneld.drivers.core.BusDevice} under {@code UsbTransportFactory.class} by the USB
 * hotplug service (a real device) or implemented by a virtual device; lives while the device is
 * present on the bus.
 *
 * <p>{@link #open} runs inside the device's unplug guard at probe; the transport it returns is
 * tied to {@code device.guard()} and its close (interface release, handle close) is registered
 * in {@code device.hardware()}, so it runs after unplug drained, exactly once. Threads: any.
 */
public interface UsbTransportFactory {

    /** Opens and claims the device's vendor interface for {@code device}'s binding. */
    UsbTransport open(Device device) throws IOException;

    /** A one-line description, e.g. "usb 1-1.3 1d50:614d". */
    String describe();
}
