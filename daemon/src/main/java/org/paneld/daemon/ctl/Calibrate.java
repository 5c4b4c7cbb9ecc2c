package org.paneld.daemon.ctl;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.paneld.client.Buffer;
import org.paneld.client.PaneldClient;
import org.paneld.client.PaneldException;
import org.paneld.drivers.display.TouchCalibration;
import org.paneld.protocol.Message;
import org.paneld.protocol.Message.Touch;

/**
 * {@code panelctl calibrate}: shows a crosshair at each target (tslib's: four corners inset, then
 * the centre; or three corners), collects one touch at each (the median raw sample of the contact
 * from DOWN to UP), fits the calibration with {@link TouchCalibration#fit} (least squares), prints
 * the config line and, for an admin, applies it at once (ADMIN_CALIBRATE). The pure parts
 * (targets, median, fit, line) are static for tests. Lifetime: one command. Threads: main.
 */
final class Calibrate {
    /** Called once a target's crosshair is on the panel (panelctl prints the prompt; tests touch it). */
    interface Prompt {
        void touchAt(int index, int count, int x, int y);
    }

    private Calibrate() {
    }

    /** The targets for {@code count} (3 or 5) points on a {@code w}x{@code h} display, as {x, y}. */
    static List<int[]> targets(int w, int h, int count) {
        if (count != 3 && count != 5) {
            throw new IllegalArgumentException("calibration takes 3 or 5 points, not " + count);
        }
        int ix = Math.max(2, w / 8);
        int iy = Math.max(2, h / 8);
        List<int[]> t = new ArrayList<>(List.of(new int[] {ix, iy}, new int[] {w - 1 - ix, iy}, new int[] {ix, h - 1 - iy}));
        if (count == 5) {
            t.add(2, new int[] {w - 1 - ix, h - 1 - iy});
            t.add(new int[] {w / 2, h / 2});
        }
        return t;
    }

    /** The contact's raw position: the median of its samples' raw x and raw y (robust to the chip's noise). */
    static int[] raw(List<Touch> contact) {
        if (contact.isEmpty()) {
            throw new IllegalArgumentException("a contact without events");
        }
        int[] xs = contact.stream().mapToInt(Touch::rawX).sorted().toArray();
        int[] ys = contact.stream().mapToInt(Touch::rawY).sorted().toArray();
        return new int[] {xs[xs.length / 2], ys[ys.length / 2]};
    }

    /** Fits targets[i] ← raws[i]; IllegalArgumentException when the touches cannot make a map (all in a row). */
    static TouchCalibration fit(List<int[]> targets, List<int[]> raws) {
        List<TouchCalibration.Point> p = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            p.add(new TouchCalibration.Point(raws.get(i)[0], raws.get(i)[1], targets.get(i)[0], targets.get(i)[1]));
        }
        return TouchCalibration.fit(p);
    }

    /** The largest distance in pixels between a target and where the calibration puts its touch. */
    static double worstError(TouchCalibration c, List<int[]> targets, List<int[]> raws) {
        double worst = 0;
        for (int i = 0; i < targets.size(); i++) {
            int[] r = raws.get(i);
            worst = Math.max(worst, Math.hypot(c.x(r[0], r[1]) - targets.get(i)[0], c.y(r[0], r[1]) - targets.get(i)[1]));
        }
        return worst;
    }

    /** The line to paste into the panel's [panel.touch] table. */
    static String configLine(TouchCalibration c) {
        return "calibration = " + Arrays.toString(c.toArray());
    }

    /** A black picture with a white crosshair centred on (x, y). */
    static int[] crosshair(int w, int h, int x, int y) {
        int[] px = new int[w * h];
        int arm = Math.max(4, Math.min(w, h) / 10);
        for (int d = -arm; d <= arm; d++) {
            if (x + d >= 0 && x + d < w) {
                px[y * w + x + d] = 0xFFFFFF;
            }
            if (y + d >= 0 && y + d < h) {
                px[(y + d) * w + x] = 0xFFFFFF;
            }
        }
        return px;
    }

    /**
     * Runs the calibration on {@code device} (owning it meanwhile): prints the config line on
     * {@code out}, the prompts and the fit's error on {@code err}; applies the result when the
     * connection may send admin requests. Returns the calibration.
     */
    static TouchCalibration run(PaneldClient c, String device, int count, long pointTimeoutMs, PrintWriter out, PrintWriter err,
                                Prompt prompt) throws PaneldException {
        try (TouchWatch w = TouchWatch.open(c, device, true)) {
            int width = w.session().width();
            int height = w.session().height();
            List<int[]> targets = targets(width, height, count);
            List<int[]> raws = new ArrayList<>();
            try (Buffer b = w.session().createBuffer(Message.FOURCC_XRGB8888, false)) {
                for (int i = 0; i < targets.size(); i++) {
                    int[] t = targets.get(i);
                    b.writeRgb(crosshair(width, height, t[0], t[1]));
                    b.flushAll();
                    while (w.next(0) != null) {
                        // touches before the crosshair was shown do not count
                    }
                    err.println("point " + (i + 1) + "/" + targets.size() + ": touch the crosshair at (" + t[0] + ", " + t[1] + ")");
                    err.flush();
                    prompt.touchAt(i, targets.size(), t[0], t[1]);
                    List<Touch> contact = new ArrayList<>();
                    contact.add(w.await(Message.TOUCH_DOWN, pointTimeoutMs, x -> { }));
                    w.await(Message.TOUCH_UP, pointTimeoutMs, contact::add);
                    raws.add(raw(contact));
                }
                b.fill(0);
                b.flushAll();
            } finally {
                w.session().close();
            }
            TouchCalibration cal;
            try {
                cal = fit(targets, raws);
            } catch (IllegalArgumentException e) {
                throw new PaneldException(org.paneld.protocol.ErrorCode.EINVAL, "cannot calibrate " + device + ": " + e.getMessage());
            }
            out.println(configLine(cal));
            out.flush();
            err.printf("largest error at the targets: %.1f pixels%n", worstError(cal, targets, raws));
            if ((c.serverInfo().flags() & Message.HELLO_ADMIN) != 0) {
                c.calibrate(device, cal.toArray());
                err.println("applied to " + device + " (paste the line into its [panel.touch] table to keep it)");
            } else {
                err.println("not applied (admin only): paste the line into " + device + "'s [panel.touch] table and restart paneld");
            }
            err.flush();
            return cal;
        }
    }
}
