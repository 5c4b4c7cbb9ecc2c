package org.paneld.daemon;

import java.lang.reflect.InvocationTargetException;
import org.paneld.drivers.core.Bus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts GUD USB hotplug ({@code org.paneld.drivers.gud.GudUsbService}: USB displays appear on
 * and leave the bus as they are plugged). Found by name so that the daemon builds and runs
 * before the GUD driver has landed; when libusb is unavailable the daemon goes on without USB.
 * Lifetime: the "usb" start-up step. Threads: the main thread.
 */
final class UsbHotplug {
    private static final Logger LOG = LoggerFactory.getLogger(UsbHotplug.class);
    /** Where the GUD driver's hotplug service may live (the first found is used). */
    static final String[] SERVICES = {"org.paneld.drivers.gud.GudUsbService", "org.paneld.drivers.usb.GudUsbService"};

    private UsbHotplug() {
    }

    /** The started service (close it at exit), or null when USB is not available. */
    static AutoCloseable start(Bus bus) {
        Class<?> type = null;
        for (String name : SERVICES) {
            try {
                type = Class.forName(name);
                break;
            } catch (ClassNotFoundException e) {
                // try the next
            }
        }
        if (type == null) {
            LOG.info("usb: no GUD USB support in this build; USB displays are not watched");
            return null;
        }
        AutoCloseable service;
        try {
            service = (AutoCloseable) type.getConstructor(Bus.class).newInstance(bus);
        } catch (ReflectiveOperationException | ClassCastException | LinkageError e) {
            LOG.warn("usb: cannot create {}: {}; USB displays are not watched", type.getName(), rootMessage(e));
            return null;
        }
        try {
            type.getMethod("start").invoke(service);
        } catch (ReflectiveOperationException | LinkageError e) {
            LOG.warn("usb: hotplug unavailable ({}); going on without USB displays", rootMessage(e));
            try {
                service.close();
            } catch (Exception ce) {
                LOG.debug("usb: close after failed start: {}", ce.toString());
            }
            return null;
        }
        LOG.info("usb: watching for GUD USB displays");
        return service;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while ((t instanceof InvocationTargetException || t.getCause() != null && t != t.getCause()) && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
