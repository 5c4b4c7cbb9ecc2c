package org.paneld.daemon.session;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.core.DeviceRef;
import org.paneld.drivers.core.LifecycleTracker;
import org.paneld.drivers.core.NoDeviceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All sessions of the server, grouped per device object ({@link DeviceSessions}, each with its
 * worker thread). Lifetime: the server's. Threads: any.
 */
public final class SessionManager {
    private static final Logger LOG = LoggerFactory.getLogger(SessionManager.class);

    private final LifecycleTracker tracker;
    private final Map<Device, DeviceSessions> byDevice = new IdentityHashMap<>();
    private final AtomicInteger sessions = new AtomicInteger();
    private final AtomicInteger buffers = new AtomicInteger();
    private final AtomicLong flushes = new AtomicLong();

    public SessionManager(LifecycleTracker tracker) {
        this.tracker = tracker;
    }

    /**
     * Opens a session on {@code device} for {@code sink}: takes a device reference named
     * {@code holder}, joins the device's sessions, and takes ownership when {@code wantOwner}
     * and nobody owns it. ENODEV when the device is gone.
     */
    public Session open(Device device, int id, EventSink sink, String holder, boolean wantOwner) throws DeviceException {
        DeviceRef ref;
        try {
            ref = device.acquire(holder);
        } catch (IllegalStateException e) {
            throw new NoDeviceException("device " + device.id() + " is released", null);
        }
        if (device.isUnplugged()) {
            ref.close();
            throw new NoDeviceException("device " + device.id() + " is gone (unplugged or unbound)", null);
        }
        DeviceSessions ds;
        Session s;
        synchronized (this) {
            ds = byDevice.get(device);
            if (ds == null || ds.isRetired()) {
                ds = new DeviceSessions(device);
                byDevice.put(device, ds);
            }
            s = new Session(id, sink, ref, ds, this, tracker);
            ds.add(s);
        }
        sessions.incrementAndGet();
        if (wantOwner) {
            ds.tryAcquire(s);
        }
        return s;
    }

    void sessionEnded(Session s) {
        DeviceSessions ds = s.deviceSessions();
        boolean empty = ds.remove(s);
        sessions.decrementAndGet();
        if (empty) {
            synchronized (this) {
                if (ds.isEmpty() && byDevice.get(ds.device()) == ds) {
                    byDevice.remove(ds.device());
                    ds.retire();
                }
            }
        }
    }

    public void bufferCreated() {
        buffers.incrementAndGet();
    }

    void bufferGone() {
        buffers.decrementAndGet();
    }

    /** Counts a buffer destroyed by DESTROY_BUFFER (the caller destroyed it). */
    public void bufferDestroyed() {
        buffers.decrementAndGet();
    }

    private volatile FlushObserver flushObserver;

    /** Hears every client flush and flip from now on (the {@code [http]} metrics and live view); null: none. */
    public void setFlushObserver(FlushObserver o) {
        this.flushObserver = o;
    }

    FlushObserver flushObserver() {
        return flushObserver;
    }

    /** A description of the session that owns {@code device}'s display, or null when nobody does. */
    public synchronized String ownerOf(Device device) {
        DeviceSessions ds = byDevice.get(device);
        Session o = ds == null ? null : ds.owner();
        return o == null ? null : o.toString();
    }

    void countFlush() {
        flushes.incrementAndGet();
    }

    /** True when a session owns {@code device}'s display. */
    public synchronized boolean isOwned(Device device) {
        DeviceSessions ds = byDevice.get(device);
        return ds != null && ds.owner() != null;
    }

    public int sessionCount() {
        return sessions.get();
    }

    public int bufferCount() {
        return buffers.get();
    }

    public long flushCount() {
        return flushes.get();
    }

    /** The device objects with sessions, and how many (for status). */
    public synchronized List<String> describe() {
        List<String> out = new ArrayList<>();
        for (DeviceSessions ds : byDevice.values()) {
            Session owner = ds.owner();
            out.add("sessions " + ds.device().id() + ": " + ds.sessions().size() + " open"
                    + (owner == null ? ", no owner" : ", owner " + owner));
        }
        return out;
    }

    /**
     * Server close: waits up to {@code timeoutMs} for the workers to run the queued closes, then
     * closes whatever is left by force (dropping device references), so that the server stops in
     * bounded time even when a device operation hangs.
     */
    public void closeAll(long timeoutMs) {
        List<DeviceSessions> all;
        synchronized (this) {
            all = new ArrayList<>(byDevice.values());
        }
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        for (DeviceSessions ds : all) {
            for (Session s : ds.sessions()) {
                s.close(null);
            }
        }
        for (DeviceSessions ds : all) {
            try {
                long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000L);
                ds.awaitRetired(left); // the last close retires it
                if (!ds.awaitIdle(Math.max(1, (deadline - System.nanoTime()) / 1_000_000L))) {
                    LOG.warn("{}: device worker did not finish in time; closing its sessions by force", ds.device().id());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (Session s : ds.sessions()) {
                s.forceClosed();
            }
            ds.shutdownNow();
        }
    }
}
