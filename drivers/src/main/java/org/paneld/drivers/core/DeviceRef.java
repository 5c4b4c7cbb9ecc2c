package org.paneld.drivers.core;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One named reference to a {@link Device}; {@link #close()} drops it exactly once (later closes
 * do nothing). Lifetime: the holder's (a session, an async job). Threads: any.
 */
public final class DeviceRef implements AutoCloseable {
    private final Device device;
    private final String holder;
    private final AtomicBoolean closed = new AtomicBoolean();

    DeviceRef(Device device, String holder) {
        this.device = device;
        this.holder = holder;
    }

    public Device device() {
        return device;
    }

    public String holder() {
        return holder;
    }

    public boolean isClosed() {
        return closed.get();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            device.drop(holder);
        }
    }
}
