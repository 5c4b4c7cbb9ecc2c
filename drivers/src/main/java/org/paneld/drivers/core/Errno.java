package org.paneld.drivers.core;

/**
 * The errno-like classes of failure that drivers report and the daemon passes to clients.
 * Immutable; any thread.
 */
public enum Errno {
    /** The device is gone (unplugged or unbound); only close/destroy still work. */
    ENODEV,
    /** A request or argument is invalid (bad rectangle, bad property value, bad config). */
    EINVAL,
    /** A named thing does not exist. */
    ENOENT,
    /** Busy: another holder owns it, or it cannot be done now. */
    EBUSY,
    /** Not allowed. */
    EACCES,
    /** Out of a limited resource. */
    ENOMEM,
    /** The hardware transfer failed. */
    EIO,
    /** The hardware did not answer in time. */
    ETIMEDOUT,
    /** The device answered with something the protocol does not allow. */
    EPROTO,
    /** The device does not support the request. */
    EOPNOTSUPP
}
