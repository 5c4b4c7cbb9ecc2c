package org.paneld.drivers.virtual;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.paneld.drivers.display.TouchCalibration;
import org.paneld.drivers.display.TouchEvent;
import org.paneld.drivers.display.TouchInput;
import org.paneld.drivers.display.TouchListener;
import org.paneld.drivers.display.TouchSimulator;

/**
 * The touch of a {@code virtual-fb} panel ({@code [panel.touch] driver = "virtual-fb"}), for
 * clients' tests and panelctl on a laptop: no chip and no wire, the simulated finger produces
 * the events directly, on the caller's thread. Raw samples are an uncalibrated range like a
 * resistive controller's ({@code raw_x = 100 + 12 x}, {@code raw_y = 3900 - 14 y}), mapped back by
 * {@link #DEFAULT_CALIBRATION} unless the config gives another. The chip emulators of the real
 * controllers (with their wires, sampling and noise) are the other touch drivers; this one only
 * stands in for them on virtual-fb. Lifetime: the display's; {@link #stop} at unplug/unbind (a
 * hardware-scope action), after which nothing is reported, in particular no UP. Threads: any.
 */
public final class VirtualFbTouch implements TouchInput, TouchSimulator {
    /** The touch driver name in {@code [panel.touch]}. */
    public static final String DRIVER = "virtual-fb";
    /** Maps this touch's raw range back to display pixels. */
    public static final TouchCalibration DEFAULT_CALIBRATION = new TouchCalibration(14, 0, -1400, 0, -12, 46800, 168);

    private final int width;
    private final int height;
    private final List<TouchListener> listeners = new CopyOnWriteArrayList<>();
    private volatile TouchCalibration calibration;
    private boolean down; // guarded by this
    private boolean stopped; // guarded by this

    public VirtualFbTouch(int width, int height, TouchCalibration calibration) {
        this.width = width;
        this.height = height;
        this.calibration = calibration;
    }

    /** The raw x sample this touch reports at display column {@code x}. */
    public static int rawX(int x) {
        return 100 + 12 * x;
    }

    /** The raw y sample this touch reports at display row {@code y}. */
    public static int rawY(int y) {
        return 3900 - 14 * y;
    }

    @Override
    public int maxContacts() {
        return 1;
    }

    @Override
    public String driver() {
        return DRIVER;
    }

    @Override
    public void addListener(TouchListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(TouchListener listener) {
        listeners.remove(listener);
    }

    @Override
    public TouchCalibration calibration() {
        return calibration;
    }

    @Override
    public void setCalibration(TouchCalibration calibration) {
        this.calibration = java.util.Objects.requireNonNull(calibration);
    }

    @Override
    public Optional<TouchSimulator> simulator() {
        return Optional.of(this);
    }

    @Override
    public synchronized void press(int x, int y) {
        if (stopped) {
            return;
        }
        TouchEvent.Kind kind = down ? TouchEvent.Kind.MOVE : TouchEvent.Kind.DOWN;
        down = true;
        report(kind, x, y);
    }

    @Override
    public synchronized void release() {
        if (stopped || !down) {
            return;
        }
        down = false;
        report(TouchEvent.Kind.UP, lastX, lastY);
    }

    private int lastX;
    private int lastY;

    private void report(TouchEvent.Kind kind, int x, int y) {
        lastX = x;
        lastY = y;
        int rx = rawX(Math.max(0, Math.min(width - 1, x)));
        int ry = rawY(Math.max(0, Math.min(height - 1, y)));
        TouchCalibration c = calibration;
        int cx = Math.max(0, Math.min(width - 1, c.x(rx, ry)));
        int cy = Math.max(0, Math.min(height - 1, c.y(rx, ry)));
        TouchEvent e = new TouchEvent(kind, 0, cx, cy, rx, ry, 255, System.nanoTime() / 1000);
        for (TouchListener l : listeners) {
            try {
                l.onTouch(e);
            } catch (RuntimeException ex) {
                org.slf4j.LoggerFactory.getLogger(VirtualFbTouch.class).warn("touch listener failed: {}", ex.toString());
            }
        }
    }

    /** Unplug/unbind: the finger is forgotten, nothing more is reported (no UP). */
    public synchronized void stop() {
        stopped = true;
        down = false;
    }
}
