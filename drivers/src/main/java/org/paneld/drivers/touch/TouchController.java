package org.paneld.drivers.touch;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.core.NoDeviceException;
import org.paneld.drivers.core.UnplugGuard;
import org.paneld.drivers.display.TouchCalibration;
import org.paneld.drivers.display.TouchEvent;
import org.paneld.drivers.display.TouchInput;
import org.paneld.drivers.display.TouchListener;
import org.paneld.drivers.display.TouchSimulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link TouchInput} of one bound display: a sampling thread that waits for its
 * {@link TouchChip} (the interrupt line while idle, the chip's rate while touched), reads it
 * inside the device's unplug guard, debounces pen-down and pen-up per contact, maps raw samples
 * to display pixels with the calibration (tslib's pointercal: raw to the picture the client draws
 * at the configured rotation; without one, the chip's raw range through the board's
 * {@link TouchTransform}: swap, inversion, rotation), clamps, and delivers {@link TouchEvent}s to the listeners — still inside the guard, so that once unplug
 * has returned no event (and no {@code UP}) is ever delivered.
 *
 * <p>Lifetime: a resource of the display's hardware binding — made and started at probe,
 * stopped (thread ended and joined) when the hardware scope is released at unbind/unplug; the
 * object itself stays valid for the device's life (listeners, calibration). Threads: the
 * listeners are called on the sampling thread; everything else from any thread.
 */
public final class TouchController implements TouchInput {
    private static final Logger LOG = LoggerFactory.getLogger(TouchController.class);
    /** Back-off after a failed read, and how many failures in a row end sampling. */
    static final long ERROR_BACKOFF_MS = 100;
    static final int MAX_ERRORS = 50;

    private final String id;
    private final String driver;
    private final UnplugGuard guard;
    private final TouchChip chip;
    private final TouchTransform transform;
    private final TouchSimulator simulator;
    private volatile TouchCalibration calibration;
    private final List<TouchListener> listeners = new CopyOnWriteArrayList<>();
    private final ReentrantLock delivering = new ReentrantLock();
    private final Thread thread;
    private volatile boolean stopping;
    private volatile long events;
    // per slot, sampling thread only
    private final boolean[] down;
    private final int[] downCount;
    private final int[] upCount;
    private final int[] lastX;
    private final int[] lastY;
    private final int[] lastRawX;
    private final int[] lastRawY;

    private TouchController(Device device, String driver, TouchChip chip, TouchTransform transform,
                            TouchCalibration calibration, TouchSimulator simulator) {
        this.id = device.id();
        this.driver = driver;
        this.guard = device.guard();
        this.chip = chip;
        this.transform = transform;
        this.simulator = simulator;
        this.calibration = calibration != null ? calibration : transform.compose(chip.defaultCalibration(transform));
        int n = chip.maxContacts();
        down = new boolean[n];
        downCount = new int[n];
        upCount = new int[n];
        lastX = new int[n];
        lastY = new int[n];
        lastRawX = new int[n];
        lastRawY = new int[n];
        thread = new Thread(this::run, "touch-" + id);
        thread.setDaemon(true);
    }

    /**
     * Sets the chip up ({@link TouchChip#init()}), registers the controller's stop in the
     * device's hardware scope and starts sampling. Called at probe.
     *
     * @param calibration the configured calibration, or null for the chip's full raw range
     */
    static TouchController start(Device device, String driver, TouchChip chip, TouchTransform transform,
                                 TouchCalibration calibration, TouchSimulator simulator) throws Exception {
        chip.init();
        TouchController c = new TouchController(device, driver, chip, transform, calibration, simulator);
        device.hardware().addOrReset("touch controller " + driver, c::stop);
        c.thread.start();
        return c;
    }

    @Override
    public int maxContacts() {
        return chip.maxContacts();
    }

    @Override
    public String driver() {
        return driver;
    }

    @Override
    public void addListener(TouchListener listener) {
        listeners.add(Objects.requireNonNull(listener));
    }

    @Override
    public void removeListener(TouchListener listener) {
        delivering.lock(); // waits for a delivery in progress: afterwards the listener is not called again
        try {
            listeners.remove(listener);
        } finally {
            delivering.unlock();
        }
    }

    @Override
    public TouchCalibration calibration() {
        return calibration;
    }

    @Override
    public void setCalibration(TouchCalibration calibration) {
        this.calibration = Objects.requireNonNull(calibration);
    }

    @Override
    public Optional<TouchSimulator> simulator() {
        return Optional.ofNullable(simulator);
    }

    public TouchTransform transform() {
        return transform;
    }

    /** Whether the sampling thread is running. */
    public boolean isSampling() {
        return thread.isAlive();
    }

    /** Events delivered so far. */
    public long eventCount() {
        return events;
    }

    /** The hardware-scope release: ends sampling and joins the thread. Delivers nothing. */
    void stop() throws InterruptedException {
        stopping = true;
        chip.wake();
        thread.interrupt();
        thread.join(5000);
        if (thread.isAlive()) {
            LOG.error("{}: touch sampling thread did not stop within 5 s", id);
        }
    }

    private boolean touched() {
        for (int s = 0; s < down.length; s++) {
            if (down[s] || downCount[s] > 0) {
                return true;
            }
        }
        return false;
    }

    private void run() {
        TouchChip.Contact[] buf = new TouchChip.Contact[chip.maxContacts()];
        for (int i = 0; i < buf.length; i++) {
            buf[i] = new TouchChip.Contact();
        }
        int errors = 0;
        while (!stopping) {
            try {
                if (!chip.await(touched()) || stopping) {
                    continue;
                }
                long ts = System.nanoTime() / 1000;
                guard.enter();
                try {
                    int n = chip.read(buf);
                    process(buf, n, ts);
                } finally {
                    guard.exit();
                }
                errors = 0;
            } catch (NoDeviceException e) {
                break; // unplugged: stop without a word (no UP is invented)
            } catch (InterruptedException e) {
                break;
            } catch (IOException | RuntimeException e) {
                if (stopping) {
                    break;
                }
                if (++errors >= MAX_ERRORS) {
                    LOG.error("{}: touch controller {} failed {} times in a row, sampling stops: {}", id, driver, errors,
                            e.toString());
                    break;
                }
                if (errors == 1) {
                    LOG.warn("{}: touch controller {} read failed: {}", id, driver, e.toString());
                }
                try {
                    Thread.sleep(ERROR_BACKOFF_MS);
                } catch (InterruptedException ie) {
                    break;
                }
            }
        }
        LOG.debug("{}: touch sampling ended", id);
    }

    private void process(TouchChip.Contact[] buf, int n, long ts) {
        TouchCalibration cal = calibration;
        for (int s = 0; s < down.length; s++) {
            TouchChip.Contact c = null;
            for (int i = 0; i < n; i++) {
                if (buf[i].slot == s) {
                    c = buf[i];
                    break;
                }
            }
            if (c != null) {
                upCount[s] = 0;
                int[] xy = transform.clampToDisplay(cal.x(c.rawX, c.rawY), cal.y(c.rawX, c.rawY));
                lastRawX[s] = c.rawX;
                lastRawY[s] = c.rawY;
                if (!down[s]) {
                    if (++downCount[s] >= chip.downDebounce()) {
                        down[s] = true;
                        downCount[s] = 0;
                        lastX[s] = xy[0];
                        lastY[s] = xy[1];
                        deliver(new TouchEvent(TouchEvent.Kind.DOWN, s, xy[0], xy[1], c.rawX, c.rawY, c.pressure, ts));
                    }
                } else if (xy[0] != lastX[s] || xy[1] != lastY[s]) {
                    lastX[s] = xy[0];
                    lastY[s] = xy[1];
                    deliver(new TouchEvent(TouchEvent.Kind.MOVE, s, xy[0], xy[1], c.rawX, c.rawY, c.pressure, ts));
                }
            } else {
                downCount[s] = 0;
                if (down[s] && ++upCount[s] >= chip.upDebounce()) {
                    down[s] = false;
                    upCount[s] = 0;
                    deliver(new TouchEvent(TouchEvent.Kind.UP, s, lastX[s], lastY[s], lastRawX[s], lastRawY[s], 0, ts));
                }
            }
        }
    }

    private void deliver(TouchEvent e) {
        delivering.lock();
        try {
            events++;
            for (TouchListener l : listeners) {
                try {
                    l.onTouch(e);
                } catch (RuntimeException ex) {
                    LOG.warn("{}: touch listener failed: {}", id, ex.toString());
                }
            }
        } finally {
            delivering.unlock();
        }
    }

    @Override
    public String toString() {
        return "TouchController[" + id + ", " + driver + "]";
    }
}
