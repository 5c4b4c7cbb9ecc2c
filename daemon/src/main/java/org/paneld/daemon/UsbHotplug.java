package org.paneld.daemon;

import org.paneld.drivers.core.Bus;
import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.gud.GudUsbService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts GUD USB hotplug ({@link GudUsbService}: USB displays appear on and leave the bus as they
 * are plugged). When libusb is unavailable (no native library for this platform, no usbfs in a
 * container) the daemon goes on without USB displays. Lifetime: the "usb" start-up step.
 * Threads: the main thread.
 */
final class UsbHotplug {
    private static final Logger LOG = LoggerFactory.getLogger(UsbHotplug.class);

    private UsbHotplug() {
    }

    /** The started service (close it at exit), or null when USB is not available. */
    static AutoCloseable start(Bus bus) {
        GudUsbService service = new GudUsbService(bus);
        try {
            service.start();
        } catch (DeviceException | RuntimeException | LinkageError e) {
            LOG.warn("usb: hotplug unavailable ({}); going on without USB displays", e.getMessage());
            service.close();
            return null;
        }
        LOG.info("usb: watching for GUD USB displays");
        return service;
    }
}
