package org.paneld.daemon.session;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.core.DeviceRef;
import org.paneld.drivers.core.Errno;
import org.paneld.drivers.core.LifecycleTracker;
import org.paneld.drivers.core.NoDeviceException;
import org.paneld.drivers.display.DisplayInfo;
import org.paneld.drivers.pixel.Rect;

/**
 * An open handle of one client on one device (the "fd"): holds a device reference, the buffers
 * it created, and its place in the display's ownership. Closing it releases its buffers and its
 * reference, on the device's worker after the work queued before. After unplug every operation
 * but close and buffer destroy fails with ENODEV. Lifetime: OPEN to CLOSE or the connection's
 * end. Threads: table operations on the connection's event loop; device operations
 * ({@code do*} methods) on the device's worker only.
 */
public final class Session {
    /**
     * A hidden test hook, {@code PANELD_INJECT_OOM=1} in the environment: SET_PROPERTY of
     * "inject-oom" throws an OutOfMemoryError on the device worker, to prove that the real
     * handler ({@link org.paneld.drivers.core.Fatal}) ends the process.
     */
    private static final boolean INJECT_OOM = "1".equals(System.getenv("PANELD_INJECT_OOM"));

    private final int id;
    private final EventSink sink;
    private final DeviceRef ref;
    private final DeviceSessions deviceSessions;
    private final SessionManager manager;
    private final Map<Integer, ClientBuffer> buffers = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean flipPending = new AtomicBoolean();
    private final AtomicBoolean finished = new AtomicBoolean();
    private final LifecycleTracker.Tracked tracked;
    volatile boolean wantsOwnership;

    Session(int id, EventSink sink, DeviceRef ref, DeviceSessions ds, SessionManager manager, LifecycleTracker tracker) {
        this.id = id;
        this.sink = sink;
        this.ref = ref;
        this.deviceSessions = ds;
        this.manager = manager;
        this.tracked = tracker.track("session", ref.holder(), () -> ref.device().id() + " buffers=" + buffers.size()
                + (ds.isOwner(this) ? " owner" : ""));
    }

    public int id() { return id; }
    public EventSink sink() { return sink; }
    public Device device() { return ref.device(); }
    public DeviceSessions deviceSessions() { return deviceSessions; }
    public boolean isClosed() { return closed.get(); }
    public boolean isOwner() { return deviceSessions.isOwner(this); }

    /** ENODEV once the device is gone (informational: the hardware calls are guarded themselves). */
    public void checkPresent() throws DeviceException {
        if (ref.device().isUnplugged()) {
            throw new NoDeviceException("device " + ref.device().id() + " is gone (unplugged or unbound); only CLOSE and DESTROY_BUFFER work", null);
        }
    }

    /** The device's description; ENODEV after unplug. */
    public DisplayInfo info() throws DeviceException {
        checkPresent();
        return ref.device().info();
    }

    // ---------------------------------------------------------------- buffers (event loop)

    public void addBuffer(ClientBuffer b) {
        buffers.put(b.handle(), b);
    }

    public ClientBuffer buffer(int handle) {
        return buffers.get(handle);
    }

    public ClientBuffer removeBuffer(int handle) {
        return buffers.remove(handle);
    }

    public List<ClientBuffer> buffers() {
        return List.copyOf(buffers.values());
    }

    // ---------------------------------------------------------------- ownership (any thread)

    /** Becomes the owner, or EBUSY (and waits in line: ownership comes with an OWNERSHIP event). */
    public void acquireOwnership() throws DeviceException {
        checkPresent();
        if (!deviceSessions.tryAcquire(this)) {
            throw new DeviceException(Errno.EBUSY, ref.device().name() + " is owned by another session; you will get an"
                    + " OWNERSHIP event when it closes or releases it");
        }
    }

    /** Gives up ownership (or the place in line). */
    public void releaseOwnership() {
        deviceSessions.release(this);
    }

    private void checkOwner(String what) throws DeviceException {
        if (!deviceSessions.isOwner(this)) {
            throw new DeviceException(Errno.EBUSY, what + " needs ownership of " + ref.device().name()
                    + (deviceSessions.owner() == null ? " (nobody owns it: ACQUIRE_OWNERSHIP first)" : " (another session owns it)"));
        }
    }

    // ---------------------------------------------------------------- device operations (worker)

    public void doWrite(ClientBuffer b, int x, int y, int w, int h, byte[] data) throws DeviceException {
        checkPresent();
        b.write(x, y, w, h, data);
    }

    public void doFlush(ClientBuffer b, List<Rect> rects) throws java.io.IOException {
        doFlushPaced(b, rects, false);
    }

    /**
     * {@link #doFlush}; with {@code paced} through {@link org.paneld.drivers.core.Device#flushPaced}
     * (under sustained overload a display with {@code interlace = "auto"} may leave rows pending).
     *
     * @return true when rows of the update are still pending (see {@link DeviceSessions#holdReplies})
     */
    public boolean doFlushPaced(ClientBuffer b, List<Rect> rects, boolean paced) throws java.io.IOException {
        checkPresent();
        checkOwner("FLUSH");
        org.paneld.drivers.pixel.Framebuffer fb = null;
        for (Rect r : rects) {
            fb = b.prepare(r);
        }
        org.paneld.drivers.pixel.Framebuffer source = fb;
        org.paneld.drivers.core.Device device = ref.device();
        boolean[] pending = new boolean[1];
        FlushObserver o = manager.flushObserver();
        if (o == null) {
            // one update: the rectangles bound the shadow's comparison
            if (paced) {
                pending[0] = device.flushPaced(source, rects);
            } else {
                device.flush(source, rects);
            }
        } else {
            long pixels = 0;
            for (Rect r : rects) {
                pixels += (long) r.width() * r.height();
            }
            observed(o, rects.size(), pixels, () -> {
                if (paced) {
                    pending[0] = device.flushPaced(source, rects);
                } else {
                    device.flush(source, rects);
                }
            });
        }
        manager.countFlush();
        return pending[0];
    }

    /** Starts a flip: EBUSY when one is pending or another session owns the display. Event loop. */
    public void beginFlip() throws DeviceException {
        checkPresent();
        checkOwner("FLIP");
        if (!flipPending.compareAndSet(false, true)) {
            throw new DeviceException(Errno.EBUSY, "a flip of session " + id + " is still pending (wait for FLIP_COMPLETE)");
        }
    }

    /** Runs the flip (worker): the whole buffer to the display. The flip stays pending until {@link #endFlip}. */
    public void doFlip(ClientBuffer b) throws java.io.IOException {
        checkPresent();
        checkOwner("FLIP");
        Rect all = Rect.of(b.width(), b.height());
        FlushObserver o = manager.flushObserver();
        if (o == null) {
            ref.device().flush(b.prepare(all), all);
        } else {
            observed(o, 1, (long) all.width() * all.height(), () -> ref.device().flush(b.prepare(all), all));
        }
        manager.countFlush();
    }

    /** Runs {@code send} timed, with the driver's wire counter read around it, and tells {@code o}. */
    private void observed(FlushObserver o, int rects, long pixels, Send send) throws java.io.IOException {
        org.paneld.drivers.core.Device d = ref.device();
        org.paneld.drivers.display.Display display = d.display();
        long wire0 = display == null ? -1 : display.wireBytes();
        long t0 = System.nanoTime();
        Exception failed = null;
        try {
            send.run();
        } catch (java.io.IOException | RuntimeException e) {
            failed = e;
            throw e;
        } finally {
            long nanos = System.nanoTime() - t0;
            long wire1 = display == null ? -1 : display.wireBytes();
            try {
                o.flushed(d, rects, pixels, wire0 < 0 || wire1 < 0 ? -1 : wire1 - wire0, nanos, failed);
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(Session.class).warn("flush observer failed: {}", e.toString());
            }
        }
    }

    @FunctionalInterface
    private interface Send {
        void run() throws java.io.IOException;
    }

    /**
     * Ends the pending flip: called on the event loop right before FLIP_COMPLETE is sent, so that
     * a FLIP the client sent before it saw FLIP_COMPLETE is always EBUSY (never a worker race).
     */
    public void endFlip() {
        flipPending.set(false);
    }

    public void doSetProperty(String name, long value) throws java.io.IOException {
        if (INJECT_OOM && name.equals("inject-oom")) {
            throw new OutOfMemoryError("injected on the device worker (PANELD_INJECT_OOM test hook)");
        }
        checkPresent();
        if (name.startsWith("stat_")) {
            throw new DeviceException(Errno.EINVAL, "property " + name + " is a read-only statistic");
        }
        checkOwner("SET_PROPERTY");
        DisplayInfo.Property p = ref.device().info().property(name).orElseThrow(() -> new DeviceException(Errno.ENOENT,
                "no property '" + name + "' on " + ref.device().name()));
        if (!p.accepts(value)) {
            throw new DeviceException(Errno.EINVAL, "property " + name + " takes " + p.min() + ".." + p.max() + ", not " + value);
        }
        ref.device().setProperty(name, value);
    }

    // ---------------------------------------------------------------- close

    /**
     * Closes the session: no new requests from now; on the worker (after queued work) its buffers
     * are freed, ownership passes on and the device reference drops; then {@code done} runs.
     * Idempotent (a second close only runs {@code done}). Any thread.
     */
    public void close(Runnable done) {
        if (!closed.compareAndSet(false, true)) {
            if (done != null) {
                done.run();
            }
            return;
        }
        deviceSessions.submit(() -> {
            try {
                finish();
            } finally {
                if (done != null) {
                    done.run();
                }
            }
        });
    }

    /** The teardown itself (worker, or the forced path at server close). */
    void finish() {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        boolean onWorker = deviceSessions.onWorker();
        for (ClientBuffer b : buffers.values()) {
            if (onWorker) {
                b.destroyOnWorker();
            } else {
                b.destroy(); // forced close: a hung flush may still read the shadow; the GC frees it
            }
            manager.bufferGone();
        }
        buffers.clear();
        manager.sessionEnded(this);
        tracked.close();
        ref.close();
    }

    boolean forceClosed() {
        closed.set(true);
        boolean first = !finished.get();
        finish();
        return first;
    }

    @Override
    public String toString() {
        return "session " + id + " of " + sink.describe() + " on " + ref.device().id();
    }
}
