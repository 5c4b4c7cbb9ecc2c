package org.paneld.drivers.display;

import java.util.List;

/**
 * The affine map from a touch controller's raw samples to display pixels, in tslib's form:
 * {@code x = (a*rx + b*ry + c) / scale}, {@code y = (d*rx + e*ry + f) / scale}. Written in the
 * config as {@code calibration = [a, b, c, d, e, f, scale]}. Immutable; any thread.
 */
public record TouchCalibration(long a, long b, long c, long d, long e, long f, long scale) {

    public TouchCalibration {
        if (scale <= 0) {
            throw new IllegalArgumentException("calibration scale must be positive, got " + scale);
        }
        if (a * e - b * d == 0) {
            throw new IllegalArgumentException("calibration [" + a + ", " + b + ", " + c + ", " + d + ", " + e + ", " + f + ", " + scale
                    + "] maps every touch onto one line (a*e - b*d = 0)");
        }
    }

    /** x in display pixels of a raw sample, rounded to the nearest pixel. */
    public int x(int rx, int ry) {
        return (int) Math.floorDiv(a * rx + b * ry + c + scale / 2, scale);
    }

    /** y in display pixels of a raw sample, rounded to the nearest pixel. */
    public int y(int rx, int ry) {
        return (int) Math.floorDiv(d * rx + e * ry + f + scale / 2, scale);
    }

    /** The seven numbers in config order. */
    public long[] toArray() {
        return new long[] {a, b, c, d, e, f, scale};
    }

    /** From the config's seven numbers; IllegalArgumentException naming what is wrong. */
    public static TouchCalibration of(long[] v) {
        if (v.length != 7) {
            throw new IllegalArgumentException("calibration needs 7 numbers [a, b, c, d, e, f, scale], got " + v.length);
        }
        return new TouchCalibration(v[0], v[1], v[2], v[3], v[4], v[5], v[6]);
    }

    /** A raw sample paired with where it should land on the display. */
    public record Point(int rawX, int rawY, int x, int y) {
    }

    /**
     * Least-squares fit from 3 or more points (tslib's ts_calibrate uses 5), scale 65536.
     * IllegalArgumentException when fewer than 3 points or they lie on one line.
     */
    public static TouchCalibration fit(List<Point> points) {
        if (points.size() < 3) {
            throw new IllegalArgumentException("calibration needs at least 3 points, got " + points.size());
        }
        // normal equations of [rx ry 1] * [p q r]^T = target, solved for x and for y
        double[][] m = new double[3][3];
        double[] bx = new double[3];
        double[] by = new double[3];
        for (Point p : points) {
            double[] row = {p.rawX(), p.rawY(), 1};
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    m[i][j] += row[i] * row[j];
                }
                bx[i] += row[i] * p.x();
                by[i] += row[i] * p.y();
            }
        }
        double[] cx = solve3(m, bx);
        double[] cy = solve3(m, by);
        if (cx == null || cy == null) {
            throw new IllegalArgumentException("calibration points lie on one line: touch three corners that are not in a row");
        }
        long s = 65536;
        return new TouchCalibration(Math.round(cx[0] * s), Math.round(cx[1] * s), Math.round(cx[2] * s),
                Math.round(cy[0] * s), Math.round(cy[1] * s), Math.round(cy[2] * s), s);
    }

    private static double[] solve3(double[][] m, double[] b) {
        double det = det3(m);
        if (Math.abs(det) < 1e-9 * Math.max(1, Math.abs(m[0][0] * m[1][1] * m[2][2]))) {
            return null;
        }
        double[] out = new double[3];
        for (int k = 0; k < 3; k++) {
            double[][] mk = new double[3][];
            for (int i = 0; i < 3; i++) {
                mk[i] = m[i].clone();
                mk[i][k] = b[i];
            }
            out[k] = det3(mk) / det;
        }
        return out;
    }

    private static double det3(double[][] m) {
        return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
                - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
                + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
    }
}
