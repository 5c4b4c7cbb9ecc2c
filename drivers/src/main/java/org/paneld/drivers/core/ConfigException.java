package org.paneld.drivers.core;

/** EINVAL for configuration: the message names where (file, table, key) and what is wrong. */
public final class ConfigException extends DeviceException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(Errno.EINVAL, message);
    }

    public ConfigException(String message, Throwable cause) {
        super(Errno.EINVAL, message, cause);
    }
}
