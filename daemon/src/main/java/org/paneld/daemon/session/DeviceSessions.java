package org.paneld.daemon.session;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.paneld.drivers.core.Device;
import org.paneld.protocol.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sessions open on one device object, its owner (the session allowed to scan out, like a
 * DRM master) and its worker: one thread that runs every blocking device operation of those
 * sessions in order (flush, flip, write, set property, buffer and session teardown), never an
 * event loop. Lifetime: from the first session opened on the device object to the last one
 * closed. Threads: any; state under this object's lock.
 */
public final class DeviceSessions {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceSessions.class);

    private final Device device;
    private final DeviceWorker worker;
    private final List<Session> sessions = new ArrayList<>();
    private final Object tailLock = new Object();
    private Mergeable tail; // under tailLock: the task queued last, when it may absorb a later one
    private Runnable tailTask; // under tailLock: the worker's runnable of tail
    private volatile Held held; // worker: replies of an update whose rows are pending (interlace)
    private volatile Runnable heldFor; // worker: the queued flush that sends those rows
    private final Consumer<Device> unplugListener = d -> unplugged();
    /** The display's touch events to the sessions (null when the display has no touch controller). */
    private final TouchHub touch;
    private Session owner;
    private boolean unplugSent;
    private boolean retired;
    private final java.util.concurrent.CountDownLatch retiredLatch = new java.util.concurrent.CountDownLatch(1);

    DeviceSessions(Device device) {
        this.device = device;
        this.worker = new DeviceWorker("paneld-worker-" + device.id());
        device.addUnplugListener(unplugListener);
        org.paneld.drivers.display.Display display = device.display();
        this.touch = display == null ? null : display.touch().map(t -> new TouchHub(this, t)).orElse(null);
        if (touch != null) {
            touch.start();
        }
    }

    public Device device() {
        return device;
    }

    /** True on the device's worker thread. */
    boolean onWorker() {
        return worker.isCurrent();
    }

    /** Runs {@code task} on the device's worker, after every task queued before it. */
    public void submit(Runnable task) {
        synchronized (tailLock) {
            tail = null;
            tailTask = null;
            execute(task);
        }
    }

    /**
     * A queued task that can take in a later task of its kind while it has not started (latest
     * wins: a pending update absorbs the next one instead of both going to the panel in turn).
     */
    public interface Mergeable {
        /** Takes {@code later} in; false when this task has started or cannot take it. */
        boolean absorb(Mergeable later);
    }

    /**
     * Queues {@code task} (whose mergeable part is {@code m}) unless the task queued last on this
     * worker is mergeable and absorbs {@code m}: only the very last task can, so replies keep the
     * order of the requests and nothing queued in between (a WRITE, a property) is overtaken.
     *
     * @return true when {@code m} was absorbed ({@code task} is then not queued)
     */
    public boolean submitOrMerge(Mergeable m, Runnable task) {
        synchronized (tailLock) {
            if (tail != null && tail.absorb(m)) {
                return true;
            }
            tail = m;
            tailTask = execute(task);
            return false;
        }
    }

    /**
     * Replies held back because rows of their update are still pending ({@code interlace = "auto"}):
     * released once a later flush or {@link Device#sendPendingRows()} put those rows on the panel
     * ({@code failure} null), or with the failure that kept them off it.
     */
    public interface Held {
        void release(Exception failure);
    }

    /**
     * Worker, at the end of a flush that left rows pending: holds its replies until the next
     * task, when that is the flush queued last (it sends the pending rows with its newer pixels,
     * and releases them through {@link #releaseHeld} before its own). False when anything else is
     * next, or nothing: then the caller sends the pending rows itself and replies.
     */
    public boolean holdReplies(Held h) {
        synchronized (tailLock) {
            if (tail == null || tailTask == null || worker.next() != tailTask || held != null) {
                return false;
            }
            heldFor = tailTask;
            held = h;
            return true;
        }
    }

    /**
     * Worker: releases the held replies; with {@code send} it first sends the rows still pending
     * (when the flush they waited for did not, e.g. it failed before sending).
     */
    public void releaseHeld(boolean send) {
        Held h = held;
        if (h == null) {
            return;
        }
        held = null;
        heldFor = null;
        Exception failure = null;
        if (send) {
            try {
                device.sendPendingRows();
            } catch (Exception e) {
                failure = e;
            }
        }
        h.release(failure);
    }

    /** Queues {@code task}; held replies are released before any task but the flush they wait for. */
    private Runnable execute(Runnable task) {
        Runnable r = new Runnable() {
            @Override
            public void run() {
                if (held != null && heldFor != this) {
                    releaseHeld(true);
                }
                task.run();
            }
        };
        try {
            worker.execute(r);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // retired or shutting down (server close): still run it so that replies and releases
            // happen, but never on the caller's thread (it may be an event loop)
            Thread t = new Thread(r, "paneld-late-" + device.id());
            t.setDaemon(true);
            t.start();
        }
        return r;
    }

    void add(Session s) {
        boolean late;
        synchronized (this) {
            sessions.add(s);
            late = unplugSent;
        }
        if (late) { // the device went away between the reference and now
            s.sink().event(new Message.Unplugged(s.id(), device.name()));
        }
    }

    /** Removes {@code s}; passes ownership on; true when no session is left. */
    boolean remove(Session s) {
        Session next = null;
        boolean empty;
        synchronized (this) {
            sessions.remove(s);
            if (owner == s) {
                owner = null;
                next = nextOwnerLocked();
            }
            empty = sessions.isEmpty();
        }
        announceOwner(next);
        return empty;
    }

    synchronized boolean isEmpty() {
        return sessions.isEmpty();
    }

    synchronized boolean isRetired() {
        return retired;
    }

    synchronized List<Session> sessions() {
        return new ArrayList<>(sessions);
    }

    void retire() {
        if (touch != null) {
            touch.stop();
        }
        retireLocked();
    }

    private synchronized void retireLocked() {
        retired = true;
        device.removeUnplugListener(unplugListener);
        worker.shutdown();
        retiredLatch.countDown();
    }

    /** Waits until the last session left; true when it did in time. */
    boolean awaitRetired(long timeoutMs) throws InterruptedException {
        return retiredLatch.await(timeoutMs, TimeUnit.MILLISECONDS);
    }

    /** Waits for queued work; true when the worker finished in time. */
    boolean awaitIdle(long timeoutMs) throws InterruptedException {
        return worker.awaitTermination(timeoutMs, TimeUnit.MILLISECONDS);
    }

    void shutdownNow() {
        for (Runnable r : worker.shutdownNow()) {
            r.run(); // replies and releases still happen, on this thread
        }
    }

    // ---------------------------------------------------------------- ownership

    public synchronized Session owner() {
        return owner;
    }

    public synchronized boolean isOwner(Session s) {
        return owner == s;
    }

    /** Makes {@code s} the owner if nobody owns the display; otherwise queues it. True when it owns now. */
    synchronized boolean tryAcquire(Session s) {
        if (owner == null || owner == s) {
            owner = s;
            s.wantsOwnership = false;
            return true;
        }
        s.wantsOwnership = true;
        return false;
    }

    /** {@code s} gives up ownership (or its place in the queue); the oldest waiting session gets it. */
    void release(Session s) {
        Session next = null;
        synchronized (this) {
            s.wantsOwnership = false;
            if (owner == s) {
                owner = null;
                next = nextOwnerLocked();
            }
        }
        announceOwner(next);
    }

    private Session nextOwnerLocked() {
        for (Session c : sessions) {
            if (c.wantsOwnership && !c.isClosed()) {
                owner = c;
                c.wantsOwnership = false;
                return c;
            }
        }
        return null;
    }

    private void announceOwner(Session next) {
        if (next != null) {
            next.sink().event(new Message.Ownership(next.id(), true));
        }
    }

    // ---------------------------------------------------------------- unplug

    /** The device's unplug listener (also called at open if the device is already gone). */
    void unplugged() {
        List<Session> list;
        synchronized (this) {
            if (unplugSent) {
                return;
            }
            unplugSent = true;
            list = new ArrayList<>(sessions);
        }
        if (touch != null) {
            touch.stop(); // before UNPLUGGED: nothing of this display reaches a session after it
        }
        LOG.info("{}: unplugged with {} session(s) open; they get ENODEV until they close", device.id(), list.size());
        for (Session s : list) {
            s.sink().event(new Message.Unplugged(s.id(), device.name()));
        }
    }
}
