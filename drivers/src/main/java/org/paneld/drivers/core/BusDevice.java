package org.paneld.drivers.core;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A device as it appears on a bus, before and between bindings (the kernel's struct device):
 * its name, the driver it asks for, its configuration, and attachments that backends give it
 * (a virtual panel emulator, a Pi4J context, a USB device handle factory …). It lives while it
 * is present on the bus; each bind makes a fresh {@link Device} object from it.
 * Threads: any.
 */
public final class BusDevice {
    private final String name;
    private final String driverName;
    private final DeviceConfig config;
    private final Map<Class<?>, Object> attachments = new ConcurrentHashMap<>();

    public BusDevice(String name, String driverName, DeviceConfig config) {
        this.name = Objects.requireNonNull(name, "name");
        this.driverName = Objects.requireNonNull(driverName, "driverName");
        this.config = Objects.requireNonNull(config, "config");
    }

    public String name() {
        return name;
    }

    /** The driver name this device asks for (the "compatible" string), e.g. "mi0283qt". */
    public String driverName() {
        return driverName;
    }

    public DeviceConfig config() {
        return config;
    }

    /** Attaches a backend object under its type; returns this. */
    public <T> BusDevice attach(Class<T> type, T value) {
        attachments.put(type, type.cast(Objects.requireNonNull(value)));
        return this;
    }

    public <T> Optional<T> attachment(Class<T> type) {
        return Optional.ofNullable(type.cast(attachments.get(type)));
    }

    @Override
    public String toString() {
        return name + " (" + driverName + ")";
    }
}
