package org.paneld.drivers.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The unplug guard of one device (the kernel's drm_dev_enter / drm_dev_exit / drm_dev_unplug).
 *
 * <p>Every entry point that may touch hardware runs inside a section: {@link #enter()} …
 * {@link #exit()} on one thread, or {@link #enterAsync()} whose {@link Section#exit()} may run on
 * any thread (an asynchronous transfer). {@link #unplug()} marks the device gone, then waits
 * until every section that had already entered has exited. After it returns no section can
 * start: every enter throws {@link NoDeviceException} (ENODEV). A plain {@link #isUnplugged()}
 * check is a race and must never be used to protect hardware.
 *
 * <p>Sections nest. Calling {@code unplug()} from inside a synchronous section of the same guard
 * on the same thread throws {@link IllegalStateException} at once instead of deadlocking.
 *
 * <p>Cost: a synchronous enter is one thread-local lookup, a plain increment and one StoreLoad
 * fence; exit is a thread-local lookup and a release store (no fence on x86 or ARMv8). The
 * scheme is SRCU's: each thread counts its own depth in a slot of its own; unplug publishes the
 * flag with a fence and then waits for every slot to drain. Lifetime: the device object
 * (it outlives the hardware). Threads: any.
 *
 * <p>Slots are recycled: a thread takes, on its first enter, the slot of a thread that has ended
 * (its depth is then zero), and adds a new slot only when none is free. So the number of slots is
 * bounded by the largest number of threads alive at once that have entered this guard, not by how
 * many threads ever entered it (per-connection or per-session threads leave nothing behind). The
 * fast path is unchanged: only a thread's first enter looks for a slot.
 */
public final class UnplugGuard {
    private static final Logger LOG = LoggerFactory.getLogger(UnplugGuard.class);
    private static final VarHandle DEPTH;
    private static final VarHandle OWNER;
    private static final long WAIT_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(200);
    private static final long WARN_AFTER_NANOS = TimeUnit.SECONDS.toNanos(5);

    static {
        try {
            DEPTH = MethodHandles.lookup().findVarHandle(Slot.class, "depth", int.class);
            OWNER = MethodHandles.lookup().findVarHandle(Slot.class, "owner", WeakReference.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * One thread's nesting depth in this guard; written only by its owner thread. The owner is
     * held weakly: once it has ended with depth zero, another thread may claim the slot.
     */
    private static final class Slot {
        volatile int depth;
        /** Depth of {@link #enterAtomic()} sections; owner thread only. */
        int atomic;
        final Slot next;
        /** The thread using this slot; replaced (CAS) only once that thread has ended. */
        volatile WeakReference<Thread> owner;
        /** The owner's name, kept for the unplug warning after the thread object is gone. */
        volatile String ownerName;

        Slot(Slot next, WeakReference<Thread> owner, String ownerName) {
            this.next = next;
            this.owner = owner;
            this.ownerName = ownerName;
        }

        /** True when the owner has ended outside any section: the slot may be claimed. */
        boolean isFree() {
            Thread t = owner.get();
            return (t == null || !t.isAlive()) && depth == 0;
        }

        String describeOwner() {
            Thread t = owner.get();
            return ownerName + (t == null || !t.isAlive() ? " (ended)" : "");
        }
    }

    private final String name;
    /** This thread's slot; empty until its first enter (threads that only ask get none). */
    private final ThreadLocal<Slot> local = new ThreadLocal<>();
    private final AtomicReference<Slot> slots = new AtomicReference<>();
    private final AtomicLong asyncSections = new AtomicLong();
    private volatile boolean unplugged;
    private volatile boolean drained;

    /** @param name the device's name, used in messages */
    public UnplugGuard(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    /**
     * The calling thread's first enter: claims the slot of an ended thread, or adds one. A
     * claimed slot's depth is zero and only its new owner writes it from then on, so unplug's
     * scan of the (never shrinking) list sees it exactly as it would a fresh slot.
     */
    private Slot registerSlot() {
        Thread current = Thread.currentThread();
        WeakReference<Thread> me = new WeakReference<>(current);
        for (Slot s = slots.get(); s != null; s = s.next) {
            WeakReference<Thread> old = s.owner;
            if (s.isFree() && OWNER.compareAndSet(s, old, me)) {
                s.atomic = 0;
                s.ownerName = current.getName();
                return s;
            }
        }
        while (true) {
            Slot head = slots.get();
            Slot slot = new Slot(head, me, current.getName());
            if (slots.compareAndSet(head, slot)) {
                return slot;
            }
        }
    }

    /** Number of per-thread slots (diagnostics and tests): bounded by the threads alive at once. */
    int slotCount() {
        int n = 0;
        for (Slot s = slots.get(); s != null; s = s.next) {
            n++;
        }
        return n;
    }

    /**
     * Enters a section on this thread; pair with {@link #exit()} in a finally block.
     *
     * @throws NoDeviceException when the device has been unplugged (ENODEV)
     */
    public void enter() throws NoDeviceException {
        Slot slot = local.get();
        if (slot == null) {
            slot = registerSlot();
            local.set(slot);
        }
        int depth = slot.depth;
        slot.depth = depth + 1; // volatile store: StoreLoad fence before the flag is read
        if (unplugged && slot.atomic == 0) {
            DEPTH.setRelease(slot, depth);
            throw new NoDeviceException(name);
        }
    }

    /**
     * Enters an <em>atomic</em> section on this thread: like {@link #enter()}, but while it is
     * held, nested {@link #enter()} calls on this thread succeed even after {@link #unplug()} has
     * started. Use it for work that must not be cut in half once begun (an e-paper refresh that
     * must power the panel off): unplug waits for the atomic section as for any other, and the
     * holder may check {@link #isUnplugged()} at safe points to finish early. The guarantee is
     * unchanged: once unplug has returned no section is held, so nothing can start. Pair with
     * {@link #exitAtomic()} in a finally block.
     *
     * @throws NoDeviceException when the device has been unplugged before the section began
     */
    public void enterAtomic() throws NoDeviceException {
        enter();
        local.get().atomic++;
    }

    /** Leaves the innermost atomic section entered by this thread with {@link #enterAtomic()}. */
    public void exitAtomic() {
        Slot slot = local.get();
        if (slot == null || slot.atomic <= 0) {
            throw new IllegalStateException("exitAtomic() without enterAtomic() on guard of " + name);
        }
        slot.atomic--;
        exit();
    }

    /** Leaves the innermost section entered by this thread with {@link #enter()}. */
    public void exit() {
        Slot slot = local.get();
        int depth = slot == null ? 0 : slot.depth;
        if (depth <= 0) {
            throw new IllegalStateException("exit() without enter() on guard of " + name
                    + " (thread " + Thread.currentThread().getName() + ")");
        }
        DEPTH.setRelease(slot, depth - 1);
    }

    /**
     * Enters a section whose exit may run on another thread (an asynchronous transfer).
     * The returned section must be exited exactly once; a second exit is ignored.
     */
    public Section enterAsync() throws NoDeviceException {
        asyncSections.incrementAndGet(); // full fence
        if (unplugged) {
            asyncSections.decrementAndGet();
            throw new NoDeviceException(name);
        }
        return new Section();
    }

    /** Runs {@code body} inside a section and returns its result. */
    public <T, E extends Exception> T call(GuardedCall<T, E> body) throws E, NoDeviceException {
        enter();
        try {
            return body.call();
        } finally {
            exit();
        }
    }

    /** Runs {@code body} inside a section. */
    public <E extends Exception> void run(GuardedRun<E> body) throws E, NoDeviceException {
        enter();
        try {
            body.run();
        } finally {
            exit();
        }
    }

    /** True when this thread is inside a synchronous section of this guard. */
    public boolean isHeldByCurrentThread() {
        Slot slot = local.get();
        return slot != null && slot.depth > 0;
    }

    /**
     * Informational only: whether {@link #unplug()} has started. Racy by nature; never use it to
     * decide whether hardware may be touched (use {@link #enter()}).
     */
    public boolean isUnplugged() {
        return unplugged;
    }

    /**
     * Marks the device gone and waits until every section that had already entered has exited.
     * Idempotent: a second call waits the same way and returns. Must not be called from inside a
     * section of this guard.
     *
     * @throws IllegalStateException when the calling thread is inside a section of this guard
     */
    public void unplug() {
        if (isHeldByCurrentThread()) {
            throw new IllegalStateException("unplug() of " + name + " called from inside one of its guarded "
                    + "sections on thread " + Thread.currentThread().getName() + ": it would wait for itself forever");
        }
        unplugged = true; // volatile store: StoreLoad fence before the slots are read
        long start = System.nanoTime();
        long nextWarn = start + WARN_AFTER_NANOS;
        while (true) {
            String busy = busySection();
            if (busy == null) {
                break;
            }
            long now = System.nanoTime();
            if (now - nextWarn >= 0) {
                LOG.warn("unplug of {} still waiting after {} s for a guarded section ({})",
                        name, TimeUnit.NANOSECONDS.toSeconds(now - start), busy);
                nextWarn = now + WARN_AFTER_NANOS;
            }
            LockSupport.parkNanos(this, WAIT_PARK_NANOS);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                // keep waiting: returning early would let hardware calls run after unplug
                LockSupport.parkNanos(this, WAIT_PARK_NANOS);
            }
        }
        drained = true;
    }

    /** True once an {@link #unplug()} has returned: no section is running and none can start. */
    public boolean isDrained() {
        return drained;
    }

    /** Number of sections in flight (a snapshot, for diagnostics). */
    public long activeSections() {
        long n = asyncSections.get();
        for (Slot s = slots.get(); s != null; s = s.next) {
            n += s.depth;
        }
        return n;
    }

    private String busySection() {
        long async = asyncSections.get();
        if (async > 0) {
            return async + " asynchronous section(s)";
        }
        for (Slot s = slots.get(); s != null; s = s.next) {
            int d = s.depth;
            if (d > 0) {
                return "thread " + s.describeOwner() + " at depth " + d;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "UnplugGuard[" + name + (unplugged ? ", unplugged" : "") + ", active=" + activeSections() + "]";
    }

    /** A section entered with {@link #enterAsync()}; exit it exactly once, from any thread. */
    public final class Section implements AutoCloseable {
        private final AtomicBoolean exited = new AtomicBoolean();

        private Section() {
        }

        /** Leaves the section; later calls do nothing. */
        public void exit() {
            if (exited.compareAndSet(false, true)) {
                asyncSections.decrementAndGet();
            }
        }

        @Override
        public void close() {
            exit();
        }
    }

    /** A body run inside a section that returns a value. */
    @FunctionalInterface
    public interface GuardedCall<T, E extends Exception> {
        T call() throws E;
    }

    /** A body run inside a section. */
    @FunctionalInterface
    public interface GuardedRun<E extends Exception> {
        void run() throws E;
    }
}
