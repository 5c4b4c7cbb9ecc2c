package org.paneld.drivers.touch;

import java.util.ArrayList;
import java.util.List;
import org.paneld.drivers.display.TouchCalibration;

/**
 * From calibrated touch coordinates to display pixels, and back. The calibration maps a raw
 * sample to (u, v) in panel pixels of the rotation-0 picture ({@code nativeWidth} x
 * {@code nativeHeight}) before swap and inversion; then {@code swap_xy} exchanges u and v,
 * {@code invert_x}/{@code invert_y} mirror them, and the picture's rotation (DRM's: the content
 * turned counter-clockwise by {@code rotation} degrees) turns them into the coordinates of the
 * picture the client draws, (0,0) at its top-left, clamped to the display. Immutable; any thread.
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
        return new int[] {clamp(qx, displayWidth()), clamp(qy, displayHeight())};
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
        return new TouchCalibration(Math.round((double) uSpan * s / (rawMax + 1)), 0, 0, 0,
                Math.round((double) vSpan * s / (rawMax + 1)), 0, s);
    }

    /**
     * The calibration that takes each raw sample of {@code displayPoints} to its display
     * coordinates through this transform (what {@code panelctl calibrate} measures: crosshairs
     * in display pixels). 3 points are solved exactly, more by least squares; the result rounds to
     * the nearest pixel (half a pixel is added to c and f, since the map floors).
     */
    public TouchCalibration fit(List<TouchCalibration.Point> displayPoints) {
        List<TouchCalibration.Point> inCalibrationSpace = new ArrayList<>();
        for (TouchCalibration.Point p : displayPoints) {
            int[] uv = fromDisplay(p.x(), p.y());
            inCalibrationSpace.add(new TouchCalibration.Point(p.rawX(), p.rawY(), uv[0], uv[1]));
        }
        TouchCalibration c = TouchCalibration.fit(inCalibrationSpace);
        // the map floors (tslib's integer division): half a pixel added makes it round to the nearest pixel
        return new TouchCalibration(c.a(), c.b(), c.c() + c.scale() / 2, c.d(), c.e(), c.f() + c.scale() / 2, c.scale());
    }
}
