package org.paneld.drivers.usb;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.IntBuffer;
import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.core.Errno;
import org.paneld.drivers.core.UnplugGuard;
import org.usb4java.DeviceHandle;
import org.usb4java.LibUsb;

/**
 * The usb4java (libusb) {@link UsbTransport}: an open device handle with one claimed interface.
 *
 * <p>Safety by construction: using a closed libusb handle can crash the JVM, so every method
 * that touches the handle runs inside the device's unplug guard (entered here, nesting with the
 * caller's section), and the handle is released only by {@link #releaseInterface()} and
 * {@link #closeHandle()}, which {@link Usb4JavaDevice#open} registers in the device's hardware
 * scope and which first make sure the guard is unplugged and drained. After unplug returned no
 * section can start, so no libusb call on this handle can start either.
 *
 * <p>Lifetime: one binding (hardware scope). Threads: any; control requests and bulk transfers
 * each use their own direct buffer under their own lock.
 */
public final class Usb4JavaTransport implements UsbTransport {
    private static final byte CONTROL_IN = (byte) (LibUsb.ENDPOINT_IN | LibUsb.REQUEST_TYPE_VENDOR | LibUsb.RECIPIENT_INTERFACE);
    private static final byte CONTROL_OUT = (byte) (LibUsb.ENDPOINT_OUT | LibUsb.REQUEST_TYPE_VENDOR | LibUsb.RECIPIENT_INTERFACE);

    private final UnplugGuard guard;
    private final DeviceHandle handle;
    private final int interfaceNumber;
    private final byte bulkOutEndpoint;
    private final String description;
    private final Object controlLock = new Object();
    private final Object bulkLock = new Object();
    private final IntBuffer transferred = ByteBuffer.allocateDirect(4).order(java.nio.ByteOrder.nativeOrder()).asIntBuffer();
    private ByteBuffer controlBuffer = ByteBuffer.allocateDirect(4096);
    private ByteBuffer bulkBuffer = ByteBuffer.allocateDirect(64 * 1024);
    private boolean claimed;
    private boolean closed;

    Usb4JavaTransport(UnplugGuard guard, DeviceHandle handle, int interfaceNumber, byte bulkOutEndpoint, String description) {
        this.guard = guard;
        this.handle = handle;
        this.interfaceNumber = interfaceNumber;
        this.bulkOutEndpoint = bulkOutEndpoint;
        this.description = description;
    }

    /** Claims the interface (detaching a kernel driver if one is bound); inside the guard. */
    void claim() throws IOException {
        guard.enter();
        try {
            int r = LibUsb.setAutoDetachKernelDriver(handle, true);
            if (r < 0 && r != LibUsb.ERROR_NOT_SUPPORTED) {
                throw UsbErrors.map(r, "enabling kernel driver auto-detach on " + description);
            }
            r = LibUsb.claimInterface(handle, interfaceNumber);
            if (r < 0) {
                throw UsbErrors.map(r, "claiming interface " + interfaceNumber + " of " + description);
            }
            claimed = true;
        } finally {
            guard.exit();
        }
    }

    @Override
    public int controlIn(int request, int value, byte[] buffer, int length, int timeoutMs) throws IOException {
        guard.enter();
        try {
            synchronized (controlLock) {
                ByteBuffer b = slice(controlBuffer(length), length);
                int r = LibUsb.controlTransfer(handle, CONTROL_IN, (byte) request, (short) value,
                        (short) interfaceNumber, b, timeoutMs);
                if (r < 0) {
                    throw UsbErrors.map(r, "control IN request 0x" + Integer.toHexString(request) + " to " + description);
                }
                b.get(0, buffer, 0, Math.min(r, length));
                return r;
            }
        } finally {
            guard.exit();
        }
    }

    @Override
    public void controlOut(int request, int value, byte[] data, int length, int timeoutMs) throws IOException {
        guard.enter();
        try {
            synchronized (controlLock) {
                ByteBuffer b = slice(controlBuffer(length), length);
                if (length > 0) {
                    b.put(0, data, 0, length);
                }
                int r = LibUsb.controlTransfer(handle, CONTROL_OUT, (byte) request, (short) value,
                        (short) interfaceNumber, b, timeoutMs);
                if (r < 0) {
                    throw UsbErrors.map(r, "control OUT request 0x" + Integer.toHexString(request) + " to " + description);
                }
                if (r != length) {
                    throw new DeviceException(Errno.EIO, "control OUT request 0x" + Integer.toHexString(request) + " to "
                            + description + ": sent " + r + " of " + length + " bytes");
                }
            }
        } finally {
            guard.exit();
        }
    }

    @Override
    public void bulkOut(byte[] data, int offset, int length, int timeoutMs) throws IOException {
        guard.enter();
        try {
            synchronized (bulkLock) {
                if (bulkBuffer.capacity() < length) {
                    bulkBuffer = ByteBuffer.allocateDirect(Math.max(length, bulkBuffer.capacity() * 2));
                }
                ByteBuffer b = slice(bulkBuffer, length);
                b.put(0, data, offset, length);
                transferred.put(0, 0);
                int r = LibUsb.bulkTransfer(handle, bulkOutEndpoint, b, transferred, timeoutMs);
                if (r < 0) {
                    throw UsbErrors.map(r, "bulk OUT of " + length + " bytes to " + description
                            + " (" + transferred.get(0) + " sent)");
                }
                if (transferred.get(0) != length) {
                    throw new DeviceException(Errno.EIO, "bulk OUT to " + description + ": sent "
                            + transferred.get(0) + " of " + length + " bytes");
                }
            }
        } finally {
            guard.exit();
        }
    }

    private ByteBuffer controlBuffer(int length) {
        if (controlBuffer.capacity() < length) {
            controlBuffer = ByteBuffer.allocateDirect(length);
        }
        return controlBuffer;
    }

    /** usb4java transfers the whole capacity of the buffer it gets: hand it a slice of exactly {@code length}. */
    private static ByteBuffer slice(ByteBuffer b, int length) {
        ByteBuffer d = b.duplicate();
        d.clear().limit(length);
        return d.slice();
    }

    /** Hardware-scope release: releases the claimed interface, after the guard drained. */
    void releaseInterface() {
        ensureDrained();
        synchronized (controlLock) {
            if (claimed && !closed) {
                claimed = false;
                LibUsb.releaseInterface(handle, interfaceNumber); // fails harmlessly when the device is gone
            }
        }
    }

    /** Hardware-scope release: closes the handle, after the guard drained; later uses fail with ENODEV at the guard. */
    void closeHandle() {
        ensureDrained();
        synchronized (controlLock) {
            synchronized (bulkLock) {
                if (!closed) {
                    closed = true;
                    LibUsb.close(handle);
                }
            }
        }
    }

    private void ensureDrained() {
        if (!guard.isDrained()) {
            // Only the hardware-scope release calls this, after unplug; make the rule hold anyway.
            guard.unplug();
        }
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public String toString() {
        return "Usb4JavaTransport[" + description + (closed ? ", closed" : "") + "]";
    }
}
