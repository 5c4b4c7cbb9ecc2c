package org.paneld.drivers.touch;

import java.util.ArrayList;
import java.util.List;
import org.paneld.drivers.display.TouchCalibration;

/**
 * How a board's touch axes lie on the picture the client draws: (u, v) in panel pixels of the
 * rotation-0 picture ({@code nativeWidth} x {@code nativeHeight}) before swap and inversion;
 * {@code swap_xy} exchanges u and v, {@code invert_x}/{@code invert_y} mirror them, and the
 * picture's rotation (DRM's: the content turned counter-clockwise by {@code rotation} degrees)
 * turns them into the coordinates of the picture the client draws, (0,0) at its top-left. It
 * shapes the default calibration (the chip's raw range over the panel, {@link #compose}d into
 * one display-space map); a configured calibration maps raw samples to display pixels itself.
 * Immutable; any thread.
 */
public record TouchTransform(int nativeWidth, int nativeHeight, int rotation, boolean swapXy, boolean invertX,
                             boolean invertY) {

    public TouchTransform {
        if (nativeWidth <= 0 || nativeHeight <= 0) {
            throw new IllegalArgumentException("panel size " + nativeWidth + "x" + nativeHeight);
        }
        if (rotation != 0 && rotation != 90 && rotation != 180 && rotation != 270) {
            throw new IllegalArgumentException("rotation must be 0, 90, 180 or 270, got " + rotation);
        }
    }

    private boolean turned() {
        return rotation == 90 || rotation == 270;
    }

    public int displayWidth() {
        return turned() ? nativeHeight : nativeWidth;
    }

    public int displayHeight() {
        return turned() ? nativeWidth : nativeHeight;
    }

    /** Display coordinates {x, y} of calibrated (u, v), clamped to the display. */
    public int[] toDisplay(int u, int v) {
        int[] q = unclamped(u, v);
        return clampToDisplay(q[0], q[1]);
    }

    private int[] unclamped(int u, int v) {
        int px = swapXy ? v : u, py = swapXy ? u : v;
        if (invertX) {
            px = nativeWidth - 1 - px;
        }
        if (invertY) {
            py = nativeHeight - 1 - py;
        }
        int qx, qy;
        switch (rotation) {
            case 90:
                qx = nativeHeight - 1 - py;
                qy = px;
                break;
            case 180:
                qx = nativeWidth - 1 - px;
                qy = nativeHeight - 1 - py;
                break;
            case 270:
                qx = py;
                qy = nativeWidth - 1 - px;
                break;
            default:
                qx = px;
                qy = py;
        }
        return new int[] {qx, qy};
    }

    /** Calibrated (u, v) that {@link #toDisplay} turns into display (x, y) (its inverse, without clamping). */
    public int[] fromDisplay(int x, int y) {
        int px, py;
        switch (rotation) {
            case 90:
                px = y;
                py = nativeHeight - 1 - x;
                break;
            case 180:
                px = nativeWidth - 1 - x;
                py = nativeHeight - 1 - y;
                break;
            case 270:
                px = nativeWidth - 1 - y;
                py = x;
                break;
            default:
                px = x;
                py = y;
        }
        if (invertX) {
            px = nativeWidth - 1 - px;
        }
        if (invertY) {
            py = nativeHeight - 1 - py;
        }
        return swapXy ? new int[] {py, px} : new int[] {px, py};
    }

    private static int clamp(int v, int size) {
        return Math.max(0, Math.min(size - 1, v));
    }

    /**
     * The calibration used when the config gives none: raw 0..{@code rawMax} spread over the
     * panel (u over the width, v over the height; the other way round with {@code swap_xy}).
     */
    public TouchCalibration defaultCalibration(int rawMax) {
        int uSpan = swapXy ? nativeHeight : nativeWidth;
        int vSpan = swapXy ? nativeWidth : nativeHeight;
        long s = 65536;
        return new TouchCalibration(Math.round((double) (uSpan - 1) * s / rawMax), 0, 0, 0,
                Math.round((double) (vSpan - 1) * s / rawMax), 0, s);
    }

    /**
     * The display-space calibration that first maps raw samples with {@code c} (to calibrated
     * (u, v)) and then through this transform: one affine map, exact (the transform's
     * coefficients are whole numbers), rounding once.
     */
    public TouchCalibration compose(TouchCalibration c) {
        int[] o = unclamped(0, 0), ux = unclamped(1, 0), vy = unclamped(0, 1);
        long t11 = ux[0] - o[0], t12 = vy[0] - o[0], t21 = ux[1] - o[1], t22 = vy[1] - o[1];
        long s = c.scale();
        return new TouchCalibration(t11 * c.a() + t12 * c.d(), t11 * c.b() + t12 * c.e(), t11 * c.c() + t12 * c.f() + o[0] * s,
                t21 * c.a() + t22 * c.d(), t21 * c.b() + t22 * c.e(), t21 * c.c() + t22 * c.f() + o[1] * s, s);
    }

    /** {@code (x, y)} clamped to the display. */
    public int[] clampToDisplay(int x, int y) {
        return new int[] {clamp(x, displayWidth()), clamp(y, displayHeight())};
    }
}
