package org.paneld.drivers.virtual;

import java.io.IOException;
import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.core.Errno;
import org.paneld.drivers.core.UnplugGuard;

/**
 * The base of an emulator's connection to one driver binding (the virtual wire a driver gets at
 * probe): every call from the driver runs inside the driver's unplug guard, and a call after the
 * driver released the connection is recorded by the emulator as a violation and refused with
 * ENODEV — what would be a use-after-close on real hardware. Lifetime: the hardware binding
 * ({@link #close()} is its hardware-scope release). Threads: the driver's.
 */
public abstract class GuardedConnection implements AutoCloseable {
    /** A call into the emulator. */
    @FunctionalInterface
    protected interface Call<T> {
        T run() throws IOException;
    }

    private final UnplugGuard guard;
    private final String emulator;
    private volatile boolean closed;

    /**
     * @param guard    the bound device's guard
     * @param emulator what to call the emulator in messages, e.g. "virtual st7586"
     */
    protected GuardedConnection(UnplugGuard guard, String emulator) {
        this.guard = guard;
        this.emulator = emulator;
    }

    protected final UnplugGuard guard() {
        return guard;
    }

    /** Runs {@code body} inside the guard; after {@link #close()} records a violation and throws ENODEV. */
    protected final <T> T guarded(String what, Call<T> body) throws IOException {
        guard.enter();
        try {
            if (closed) {
                recordViolation(what + " after the driver's connection was released");
                throw new DeviceException(Errno.ENODEV, emulator + ": " + what + " after release");
            }
            return body.run();
        } finally {
            guard.exit();
        }
    }

    /** Records a protocol violation in the emulator (called with no emulator lock held). */
    protected abstract void recordViolation(String message);

    /** Detaches this connection from the emulator. */
    protected abstract void detach();

    @Override
    public final void close() {
        closed = true;
        detach();
    }
}
