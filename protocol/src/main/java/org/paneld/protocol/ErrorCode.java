package org.paneld.protocol;

/**
 * The error codes of the wire protocol: errno names with their Linux numbers, carried as a u32 in
 * ERROR frames and FLIP_COMPLETE events. The first ten mirror the daemon's device errors one to
 * one; EBADF and EMSGSIZE are protocol-level. Immutable; any thread.
 */
public enum ErrorCode {
    /** No such device name, property or thing. */
    ENOENT(2),
    /** Hardware transfer failed. */
    EIO(5),
    /** Unknown session or buffer handle, or a handle of another session. */
    EBADF(9),
    /** A per-connection byte budget is exhausted. */
    ENOMEM(12),
    /** Access denied by policy (device allow-list, admin request). */
    EACCES(13),
    /** Busy: another session owns the display, a flip is pending, a count limit is reached. */
    EBUSY(16),
    /** The session's device is gone (unplugged or unbound). */
    ENODEV(19),
    /** Invalid argument: bad rectangle, size, format, property value. */
    EINVAL(22),
    /** Malformed frame, bad handshake, unsupported version. Closes the connection. */
    EPROTO(71),
    /** A frame longer than the negotiated maximum. Closes the connection. */
    EMSGSIZE(90),
    /** Unknown request type, or a feature this transport lacks (shared memory over TCP). */
    EOPNOTSUPP(95),
    /** The hardware did not answer in time. */
    ETIMEDOUT(110);

    private final int code;

    ErrorCode(int code) {
        this.code = code;
    }

    /** The number on the wire (Linux errno value). */
    public int code() {
        return code;
    }

    /** The code for a wire number; EIO for numbers this version does not know (PROTOCOL.md section 3). */
    public static ErrorCode of(int code) {
        for (ErrorCode c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        return EIO;
    }
}
