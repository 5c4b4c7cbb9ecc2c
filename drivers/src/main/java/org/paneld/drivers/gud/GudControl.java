package org.paneld.drivers.gud;

import static org.paneld.drivers.gud.GudProtocol.*;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.core.Errno;
import org.paneld.drivers.usb.UsbStallException;
import org.paneld.drivers.usb.UsbTransport;

/**
 * The control-request channel of one GUD binding: GET and SET requests over the transport, a
 * stall (and, on STATUS_ON_SET devices, every SET) followed by GET_STATUS to learn why, as the
 * kernel's gud_usb_get/gud_usb_set do. Lifetime: the binding's. Threads: any; one lock keeps a
 * request and its GET_STATUS together.
 */
final class GudControl {
    private final UsbTransport usb;
    private final GudOptions options;
    private final boolean statusOnSet;
    private final AtomicLong errors;
    private final Object lock = new Object();

    GudControl(UsbTransport usb, GudOptions options, boolean statusOnSet, AtomicLong errors) {
        this.usb = usb;
        this.options = options;
        this.statusOnSet = statusOnSet;
        this.errors = errors;
    }

    UsbTransport usb() {
        return usb;
    }

    /** A GET request; a stall is followed by GET_STATUS to learn why. Returns the length received. */
    int get(int req, int index, byte[] buf, int len) throws IOException {
        synchronized (lock) {
            try {
                return usb.controlIn(req, index, buf, len, options.controlTimeoutMs());
            } catch (UsbStallException stall) {
                errors.incrementAndGet();
                throw afterStall(req, stall);
            }
        }
    }

    /** A SET request; with STATUS_ON_SET every SET is followed by GET_STATUS, a stall always is. */
    void set(int req, int index, byte[] data, int len) throws IOException {
        synchronized (lock) {
            try {
                usb.controlOut(req, index, data, len, options.controlTimeoutMs());
            } catch (UsbStallException stall) {
                errors.incrementAndGet();
                throw afterStall(req, stall);
            }
            if (statusOnSet) {
                int status = readStatus();
                if (status != STATUS_OK) {
                    errors.incrementAndGet();
                    throw statusError(req, status);
                }
            }
        }
    }

    void setU8(int req, int value) throws IOException {
        set(req, 0, new byte[] {(byte) value}, 1);
    }

    private DeviceException afterStall(int req, UsbStallException stall) throws IOException {
        int status = readStatus();
        if (status == STATUS_OK) {
            return new DeviceException(Errno.EIO, requestName(req) + " stalled, yet the device reports status OK", stall);
        }
        return statusError(req, status);
    }

    private int readStatus() throws IOException {
        byte[] b = new byte[1];
        int n = usb.controlIn(REQ_GET_STATUS, 0, b, 1, options.controlTimeoutMs());
        if (n != 1) {
            throw new DeviceException(Errno.EPROTO, "GET_STATUS returned " + n + " bytes, expected 1");
        }
        return b[0] & 0xFF;
    }

    private static DeviceException statusError(int req, int status) {
        return new DeviceException(statusErrno(status), requestName(req) + " failed: the device reports "
                + statusName(status));
    }
}
