package org.paneld.drivers.core;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.paneld.drivers.display.Display;
import org.paneld.drivers.display.DisplayInfo;
import org.paneld.drivers.pixel.Framebuffer;
import org.paneld.drivers.pixel.Rect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device object (the kernel's drm_device): refcounted, made fresh at every bind, and alive
 * until the last reference drops — the binding holds one (through the hardware scope), every
 * open session one, in-flight asynchronous work one.
 *
 * <p>It owns the {@link UnplugGuard}, the hardware scope (released at unbind/unplug) and the
 * object scope (released after the driver's release, at the last {@link #put()}, exactly once,
 * on whichever thread drops it). {@link #get()} after release throws: no resurrection.
 *
 * <p>The display operations ({@link #enable()}, {@link #flush}, …) run the driver inside the
 * guard and one at a time; after unplug they throw {@link NoDeviceException}. They may block for
 * as long as the hardware takes (an e-paper refresh takes seconds): do not call them on an event
 * loop. Threads: any.
 */
public final class Device {
    private static final Logger LOG = LoggerFactory.getLogger(Device.class);
    private static final AtomicInteger GENERATIONS = new AtomicInteger();

    private final String name;
    private final String id;
    private final BusDevice busDevice;
    private final Driver driver;
    private final UnplugGuard guard;
    private final ManagedScope hardware;
    private final ManagedScope objects;
    private final AtomicInteger refs = new AtomicInteger(1);
    private final Map<String, Integer> holders = new TreeMap<>();
    private final AtomicInteger releaseCount = new AtomicInteger();
    private volatile boolean releaseDone;
    private final ReentrantLock opsLock = new ReentrantLock();
    private final List<Consumer<Device>> unplugListeners = new CopyOnWriteArrayList<>();
    private final LifecycleTracker.Tracked tracked;
    private volatile Display display;
    private volatile Runnable goneHandler;
    private final ShownFrame shown = new ShownFrame(); // under opsLock; only for displays without their own shadow
    private final FrameStats stats = new FrameStats();
    private boolean switchedOff;                       // under opsLock: disable/power 0 since the last enable

    /**
     * Creates a device object holding one reference, owned by {@code firstHolder}. Used by
     * {@link Bus} at bind; tests may create one directly.
     */
    public Device(BusDevice busDevice, Driver driver, LifecycleTracker tracker, String firstHolder) {
        this.busDevice = Objects.requireNonNull(busDevice);
        this.driver = Objects.requireNonNull(driver);
        this.name = busDevice.name();
        this.id = name + "#" + GENERATIONS.incrementAndGet();
        this.guard = new UnplugGuard(name);
        this.hardware = new ManagedScope(id + " hardware");
        this.objects = new ManagedScope(id + " objects");
        this.holders.put(firstHolder, 1);
        this.tracked = tracker.track("device", id, this::describeRefs);
    }

    /** The bus device's name, e.g. "lcd0"; the same for every binding of that bus device. */
    public String name() {
        return name;
    }

    /** Unique per device object: name and generation, e.g. "lcd0#7". */
    public String id() {
        return id;
    }

    public BusDevice busDevice() {
        return busDevice;
    }

    public DeviceConfig config() {
        return busDevice.config();
    }

    public Driver driver() {
        return driver;
    }

    public UnplugGuard guard() {
        return guard;
    }

    /** Released at unbind or unplug (devres). Register everything that touches the bus here. */
    public ManagedScope hardware() {
        return hardware;
    }

    /** Released after the driver's release at the last put (drmm). Register client-visible objects here. */
    public ManagedScope objects() {
        return objects;
    }

    // ---------------------------------------------------------------- references

    /** Takes an anonymous reference; pair with {@link #put()}. */
    public Device get() {
        acquireCount();
        synchronized (holders) {
            holders.merge("anonymous", 1, Integer::sum);
        }
        return this;
    }

    /** Drops an anonymous reference taken with {@link #get()}. */
    public void put() {
        dropHolder("anonymous");
        putCount();
    }

    /**
     * Takes a reference on behalf of {@code holder} (e.g. "session 3 of conn 12"), shown in
     * {@link #describeRefs()}. Closing the returned ref drops it, exactly once.
     *
     * @throws IllegalStateException when the device is already released
     */
    public DeviceRef acquire(String holder) {
        acquireCount();
        synchronized (holders) {
            holders.merge(holder, 1, Integer::sum);
        }
        return new DeviceRef(this, holder);
    }

    void drop(String holder) {
        dropHolder(holder);
        putCount();
    }

    private void dropHolder(String holder) {
        synchronized (holders) {
            Integer n = holders.get(holder);
            if (n == null) {
                throw new IllegalStateException("put() on " + id + " by '" + holder + "', which holds no reference");
            }
            if (n == 1) {
                holders.remove(holder);
            } else {
                holders.put(holder, n - 1);
            }
        }
    }

    private void acquireCount() {
        while (true) {
            int n = refs.get();
            if (n <= 0) {
                throw new IllegalStateException("get() on released device " + id + ": a released device cannot be revived");
            }
            if (refs.compareAndSet(n, n + 1)) {
                return;
            }
        }
    }

    private void putCount() {
        int n = refs.decrementAndGet();
        if (n == 0) {
            release();
        } else if (n < 0) {
            throw new IllegalStateException("put() on " + id + " without a reference (count " + n + ")");
        }
    }

    private void release() {
        if (releaseCount.incrementAndGet() != 1) {
            throw new IllegalStateException("release of " + id + " ran twice");
        }
        if (!hardware.isReleased()) {
            // Every path to the last put goes through unbind; this is a bug in a driver or a test.
            LOG.error("{}: released while its hardware scope is still held ({}); releasing it now", id, hardware.describe());
            hardware.releaseQuietly();
        }
        Display d = display;
        try {
            if (d != null) {
                d.release();
            }
        } catch (RuntimeException e) {
            LOG.warn("{}: driver release failed: {}", id, e.toString());
        } finally {
            objects.releaseQuietly();
            tracked.close();
            releaseDone = true;
            LOG.debug("{}: released", id);
        }
    }

    public int refCount() {
        return Math.max(0, refs.get());
    }

    /**
     * True once release has finished (driver release and object scope done). While another
     * thread is still inside release this is false, though {@link #releaseCount()} is already 1.
     */
    public boolean isReleased() {
        return releaseDone;
    }

    /** How many times release ran (must be 0 or 1). */
    public int releaseCount() {
        return releaseCount.get();
    }

    /** Who holds references, e.g. {@code refs=2 [binding, session 3 of conn 1]}. */
    public String describeRefs() {
        StringBuilder sb = new StringBuilder("refs=").append(refCount()).append(" [");
        synchronized (holders) {
            boolean first = true;
            for (Map.Entry<String, Integer> e : holders.entrySet()) {
                sb.append(first ? "" : ", ").append(e.getKey());
                if (e.getValue() > 1) {
                    sb.append(" x").append(e.getValue());
                }
                first = false;
            }
        }
        sb.append(']');
        if (guard.isUnplugged()) {
            sb.append(" unplugged");
        }
        return sb.toString();
    }

    // ---------------------------------------------------------------- display operations

    void attachDisplay(Display d) {
        this.display = d;
    }

    /** The driver's display functions; null before probe returned. */
    public Display display() {
        return display;
    }

    /** The display's description; works after unplug (no hardware access). */
    public DisplayInfo info() throws NoDeviceException {
        Display d = display;
        if (d == null) {
            throw new NoDeviceException("device " + id + " has no display bound", null);
        }
        return d.info();
    }

    /** True once unplug started; informational (clients see ENODEV on their next request). */
    public boolean isUnplugged() {
        return guard.isUnplugged();
    }

    /** Called (once, on the unplugging thread) after the guard has drained. */
    public void addUnplugListener(Consumer<Device> listener) {
        unplugListeners.add(listener);
    }

    public void removeUnplugListener(Consumer<Device> listener) {
        unplugListeners.remove(listener);
    }

    void fireUnplugged() {
        for (Consumer<Device> l : unplugListeners) {
            try {
                l.accept(this);
            } catch (RuntimeException e) {
                LOG.warn("{}: unplug listener failed: {}", id, e.toString());
            }
        }
    }

    void setGoneHandler(Runnable handler) {
        this.goneHandler = handler;
    }

    /**
     * A driver that learns from the hardware that the device is gone (a USB transfer failing with
     * "no device") calls this: the binding starts surprise removal on another thread (unplug
     * cannot run inside the caller's guarded section).
     */
    public void reportGone(String why) {
        Runnable h = goneHandler;
        if (h != null) {
            LOG.info("{}: hardware reports the device gone: {}", id, why);
            h.run();
        }
    }

    /**
     * Switches the display on; when it had been switched off (disable, or property "power" 0)
     * and does not keep its picture, the picture it was last sent is sent again, whole, as the
     * kernel does on enable (a MIPI DBI panel re-initialised after power-off shows black
     * otherwise, until the client's next flush).
     */
    public void enable() throws IOException {
        operate(d -> {
            d.enable();
            resendAfterPowerOn(d);
        });
    }

    /** Switches the display and backlight off. */
    public void disable() throws IOException {
        operate(d -> {
            d.disable();
            switchedOff = true;
        });
    }

    /** Flushes {@code damage} of {@code source} to the display, and remembers what it shows now. */
    public void flush(Framebuffer source, Rect damage) throws IOException {
        flush(source, List.of(damage));
    }

    /**
     * Flushes the damage rectangles of one update (a hint for a display with a shadow of its panel;
     * see {@link Display#flush(Framebuffer, List)}), counts it in {@link #frameStats()}, and
     * remembers what the display shows now when it cannot keep it itself.
     */
    public void flush(Framebuffer source, List<Rect> damage) throws IOException {
        operate(d -> {
            long t0 = System.nanoTime();
            d.flush(source, damage);
            stats.shown(t0, System.nanoTime() - t0);
            if (!d.keepsPictureWhenSwitchedOff()) {
                for (Rect r : damage) {
                    shown.remember(source, r);
                }
            }
        });
    }

    /**
     * {@link #flush(Framebuffer, List)} for frame pacing: under sustained overload
     * ({@link FrameStats#overloaded}) a display with {@code interlace = "auto"} may send only
     * alternate rows of a large update ({@link Display#flushPaced}).
     *
     * @return true when rows of the update are still pending: the caller answers the update only
     *         after a later flush of this device or {@link #sendPendingRows()} has run
     */
    public boolean flushPaced(Framebuffer source, List<Rect> damage) throws IOException {
        boolean[] pending = new boolean[1];
        operate(d -> {
            long t0 = System.nanoTime();
            d.flushPaced(source, damage, stats.overloaded(t0));
            stats.shown(t0, System.nanoTime() - t0);
            if (!d.keepsPictureWhenSwitchedOff()) {
                for (Rect r : damage) {
                    shown.remember(source, r);
                }
            }
            pending[0] = d.hasPendingRows();
        });
        return pending[0];
    }

    /** Sends the rows a {@link #flushPaced} left pending, if any (the wire's time counts as busy). */
    public void sendPendingRows() throws IOException {
        operate(d -> {
            if (d.hasPendingRows()) {
                long t0 = System.nanoTime();
                d.sendPendingRows();
                stats.busy(t0, System.nanoTime() - t0);
            }
        });
    }

    /**
     * A copy of the picture this device last sent to its display, as RGB, or null when it keeps
     * none (before the first flush, or a display that keeps its picture when switched off and
     * offers none through {@link Display#copyShownPicture()}). The MIPI DBI and ST7586 panels
     * offer their shadow of the controller's memory, GUD its shadow of the device's framebuffer,
     * repaper e-paper the frame its last finished refresh drew (none while the first refresh
     * runs or after an aborted one); for a display offering none the answer is the device's copy
     * of what it last sent, kept only for displays that lose their picture when switched off. For
     * the live view: the operation lock is held only for a byte copy (microseconds), the
     * conversion runs on the caller's thread; when an operation holds the lock for longer than
     * 250 ms (an e-paper refresh) it gives up and answers null. Threads: any, never a device worker.
     */
    public org.paneld.drivers.pixel.RgbImage shownPicture() {
        Framebuffer copy;
        try {
            if (!opsLock.tryLock(250, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                return null;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        java.util.function.Supplier<org.paneld.drivers.pixel.RgbImage> own;
        try {
            Display d = display;
            own = d == null ? null : d.copyShownPicture(); // a display with a shadow of its panel
            copy = own == null ? copyOfShown() : null;
        } finally {
            opsLock.unlock();
        }
        if (own != null) {
            return own.get();
        }
        if (copy == null) {
            return null;
        }
        int[] rgb = new int[copy.width() * copy.height()];
        for (int y = 0; y < copy.height(); y++) {
            for (int x = 0; x < copy.width(); x++) {
                rgb[y * copy.width() + x] = copy.rgb(x, y);
            }
        }
        return new org.paneld.drivers.pixel.RgbImage(copy.width(), copy.height(), rgb);
    }

    /** A byte copy of the frame the device keeps for its display, or null. Under opsLock. */
    private Framebuffer copyOfShown() {
        Framebuffer f = shown.frame();
        if (f == null) {
            return null;
        }
        Framebuffer copy = Framebuffer.allocate(f.width(), f.height(), f.format());
        java.nio.ByteBuffer from = f.pixels().duplicate();
        from.clear();
        java.nio.ByteBuffer to = copy.pixels().duplicate();
        to.clear();
        int n = Math.min(from.remaining(), to.remaining());
        from.limit(n);
        to.put(from);
        return copy;
    }

    /** Frames shown and merged, and the wire's busy fraction. Any thread. */
    public FrameStats frameStats() {
        return stats;
    }

    /** Sets a property; "power" 1 after 0 sends the last frame again (see {@link #enable()}). */
    public void setProperty(String property, long value) throws IOException {
        operate(d -> {
            d.setProperty(property, value);
            if ("power".equals(property)) {
                if (value == 0) {
                    switchedOff = true;
                } else if (value == 1) {
                    resendAfterPowerOn(d);
                }
            }
        });
    }

    private void resendAfterPowerOn(Display d) throws IOException {
        if (!switchedOff) {
            return;
        }
        Framebuffer f = shown.frame();
        if (f != null && !d.keepsPictureWhenSwitchedOff()) {
            d.flush(f, f.bounds());
        }
        switchedOff = false;
    }

    /** Runs a driver operation inside the guard and the device's operation lock. */
    public void operate(DisplayOp op) throws IOException {
        guard.enter();
        String gone = null;
        try {
            Display d = display;
            if (d == null) {
                throw new NoDeviceException("device " + id + " has no display bound", null);
            }
            opsLock.lock();
            try {
                op.run(d);
            } finally {
                opsLock.unlock();
            }
        } catch (NoDeviceException e) {
            gone = e.getMessage();
            throw e;
        } finally {
            guard.exit();
            if (gone != null) {
                reportGone(gone);
            }
        }
    }

    /** A driver operation. */
    @FunctionalInterface
    public interface DisplayOp {
        void run(Display display) throws IOException;
    }

    @Override
    public String toString() {
        return "Device[" + id + ", " + describeRefs() + "]";
    }
}
