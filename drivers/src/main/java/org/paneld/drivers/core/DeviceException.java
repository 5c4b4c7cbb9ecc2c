package org.paneld.drivers.core;

import java.io.IOException;
import java.util.Objects;

/**
 * A failure with an {@link Errno}: what drivers and the device model throw for expected errors
 * (the daemon logs these without a stack trace and passes the errno to the client).
 */
public class DeviceException extends IOException {
    private static final long serialVersionUID = 1L;
    private final Errno errno;

    public DeviceException(Errno errno, String message) {
        super(message);
        this.errno = Objects.requireNonNull(errno);
    }

    public DeviceException(Errno errno, String message, Throwable cause) {
        super(message, cause);
        this.errno = Objects.requireNonNull(errno);
    }

    public Errno errno() {
        return errno;
    }

    /** The errno of any throwable: a DeviceException's own, EIO for other I/O errors, EINVAL for IllegalArgumentException. */
    public static Errno errnoOf(Throwable t) {
        if (t instanceof DeviceException) {
            return ((DeviceException) t).errno();
        }
        if (t instanceof IllegalArgumentException) {
            return Errno.EINVAL;
        }
        return Errno.EIO;
    }

    @Override
    public String toString() {
        return errno + ": " + getMessage();
    }
}
