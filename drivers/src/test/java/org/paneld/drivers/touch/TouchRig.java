package org.paneld.drivers.touch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.paneld.drivers.display.TouchCalibration;
import org.paneld.drivers.display.TouchEvent;
import org.paneld.drivers.display.TouchInput;
import org.paneld.drivers.display.TouchListener;

/**
 * A finger and an eye for touch tests: collects a TouchInput's events in a queue and drives a
 * gesture through a "press" function (the emulator's simulator, or a test writing evdev events),
 * checking each report against where the finger was. Test scope.
 */
final class TouchRig implements TouchListener {
    /** Display pixels a report may be off after calibration (the bound). */
    static final int TOLERANCE = 2;
    /** Presses averaged for each calibration crosshair. */
    static final int PRESSES = 8;
    static final long WAIT_S = 10;

    /** Where the finger goes: press(x, y), or lift when x &lt; 0. */
    interface Finger {
        void press(int x, int y) throws Exception;

        void lift() throws Exception;
    }

    final LinkedBlockingQueue<TouchEvent> events = new LinkedBlockingQueue<>();
    final TouchInput input;
    final Finger finger;

    TouchRig(TouchInput input, Finger finger) {
        this.input = input;
        this.finger = finger;
        input.addListener(this);
    }

    @Override
    public void onTouch(TouchEvent event) {
        events.add(event);
    }

    TouchEvent next(String what) throws InterruptedException {
        TouchEvent e = events.poll(WAIT_S, TimeUnit.SECONDS);
        assertNotNull(e, "no touch event within " + WAIT_S + " s while waiting for " + what);
        return e;
    }

    /** Presses at (x, y) and returns the DOWN (no event may come before it). */
    TouchEvent down(int x, int y) throws Exception {
        assertTrue(events.isEmpty(), "stray events before a press: " + events);
        finger.press(x, y);
        TouchEvent e = next("DOWN at " + x + "," + y);
        assertEquals(TouchEvent.Kind.DOWN, e.kind(), "first event of a press: " + e);
        return e;
    }

    /** Lifts; every event up to the UP must be a MOVE near (x, y); returns the UP. */
    TouchEvent up(int x, int y) throws Exception {
        finger.lift();
        while (true) {
            TouchEvent e = next("UP");
            if (e.kind() == TouchEvent.Kind.UP) {
                return e;
            }
            assertEquals(TouchEvent.Kind.MOVE, e.kind(), "before the UP: " + e);
            near(e, x, y);
        }
    }

    /** Lifts; MOVEs before the UP may be anywhere (before calibration). */
    TouchEvent liftAnywhere() throws Exception {
        finger.lift();
        while (true) {
            TouchEvent e = next("UP");
            if (e.kind() == TouchEvent.Kind.UP) {
                return e;
            }
            assertEquals(TouchEvent.Kind.MOVE, e.kind(), "before the UP: " + e);
        }
    }

    static void near(TouchEvent e, int x, int y) {
        if (Math.abs(e.x() - x) > TOLERANCE || Math.abs(e.y() - y) > TOLERANCE) {
            fail(e.kind() + " reported at " + e.x() + "," + e.y() + ", the finger was at " + x + "," + y
                    + " (more than " + TOLERANCE + " px off): " + e);
        }
    }

    /** Calibrates from {@code points} display positions (tslib's 5-point crosshairs or 3). */
    TouchCalibration calibrate(int[][] points) throws Exception {
        List<TouchCalibration.Point> measured = new ArrayList<>();
        for (int[] p : points) {
            // like ts_calibrate, average several samples of each crosshair: here eight presses (with
            // three, the fit's own error plus a sample's noise and rounding went past 2 px at times)
            int sx = 0, sy = 0;
            for (int i = 0; i < PRESSES; i++) {
                TouchEvent d = down(p[0], p[1]);
                sx += d.rawX();
                sy += d.rawY();
                liftAnywhere(); // positions before calibration are anything
            }
            measured.add(new TouchCalibration.Point(Math.round(sx / (float) PRESSES), Math.round(sy / (float) PRESSES), p[0], p[1]));
        }
        TouchCalibration c = TouchCalibration.fit(measured); // as panelctl calibrate: raw to display pixels
        input.setCalibration(c);
        return c;
    }

    /** tslib's five crosshairs: the corners 1/8 in and the centre. */
    static int[][] fivePoints(int w, int h) {
        return new int[][] {{w / 8, h / 8}, {w - 1 - w / 8, h / 8}, {w - 1 - w / 8, h - 1 - h / 8},
                {w / 8, h - 1 - h / 8}, {w / 2, h / 2}};
    }

    /** A tap: DOWN near (x, y), perhaps MOVEs near it, UP near it. */
    void tap(int x, int y) throws Exception {
        near(down(x, y), x, y);
        near(up(x, y), x, y);
    }

    /** A swipe through {@code steps} positions from (x0, y0) to (x1, y1): each reached by a MOVE. */
    void swipe(int x0, int y0, int x1, int y1, int steps) throws Exception {
        near(down(x0, y0), x0, y0);
        int px = x0, py = y0;
        for (int i = 1; i <= steps; i++) {
            int x = x0 + (x1 - x0) * i / steps, y = y0 + (y1 - y0) * i / steps;
            finger.press(x, y);
            while (true) {
                TouchEvent e = next("MOVE to " + x + "," + y);
                assertEquals(TouchEvent.Kind.MOVE, e.kind(), "during a swipe: " + e);
                boolean atNew = Math.abs(e.x() - x) <= TOLERANCE && Math.abs(e.y() - y) <= TOLERANCE;
                if (atNew) {
                    break;
                }
                // a report between the previous and the new position (a chip averaging both) is fine
                int minX = Math.min(px, x) - TOLERANCE, maxX = Math.max(px, x) + TOLERANCE;
                int minY = Math.min(py, y) - TOLERANCE, maxY = Math.max(py, y) + TOLERANCE;
                assertTrue(e.x() >= minX && e.x() <= maxX && e.y() >= minY && e.y() <= maxY,
                        "MOVE at " + e.x() + "," + e.y() + " is not on the way from " + px + "," + py + " to " + x + "," + y);
            }
            px = x;
            py = y;
        }
        near(up(x1, y1), x1, y1);
    }
}
