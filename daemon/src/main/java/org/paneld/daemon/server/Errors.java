package org.paneld.daemon.server;

import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.core.Errno;
import org.paneld.protocol.ErrorCode;

/** Maps the device model's {@link Errno} to the wire's {@link ErrorCode}, one to one by name. Any thread. */
public final class Errors {
    private Errors() {
    }

    public static ErrorCode toWire(Errno e) {
        switch (e) {
            case ENODEV: return ErrorCode.ENODEV;
            case EINVAL: return ErrorCode.EINVAL;
            case ENOENT: return ErrorCode.ENOENT;
            case EBUSY: return ErrorCode.EBUSY;
            case EACCES: return ErrorCode.EACCES;
            case ENOMEM: return ErrorCode.ENOMEM;
            case EIO: return ErrorCode.EIO;
            case ETIMEDOUT: return ErrorCode.ETIMEDOUT;
            case EPROTO: return ErrorCode.EPROTO;
            case EOPNOTSUPP: return ErrorCode.EOPNOTSUPP;
            default: throw new AssertionError("unmapped errno " + e);
        }
    }

    /** The wire code of any failure: a DeviceException's errno, EINVAL for IllegalArgumentException, else EIO. */
    public static ErrorCode toWire(Throwable t) {
        if (t instanceof SessionTable.BadHandle) {
            return ErrorCode.EBADF;
        }
        return toWire(DeviceException.errnoOf(t));
    }
}
