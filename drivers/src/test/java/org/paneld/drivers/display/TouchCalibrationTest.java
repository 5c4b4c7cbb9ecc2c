package org.paneld.drivers.display;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class TouchCalibrationTest {
    /** A resistive panel's raw range 200..3900 on x, 3800..300 on y (inverted), for 320x240. */
    static int rawX(int x) {
        return 200 + x * 3700 / 319;
    }

    static int rawY(int y) {
        return 3800 - y * 3500 / 239;
    }

    @Test
    void threePointsMapTheirOwnCornersAndTheMiddle() {
        TouchCalibration c = TouchCalibration.fit(List.of(
                new TouchCalibration.Point(rawX(20), rawY(20), 20, 20),
                new TouchCalibration.Point(rawX(300), rawY(120), 300, 120),
                new TouchCalibration.Point(rawX(160), rawY(220), 160, 220)));
        for (int[] p : new int[][] {{20, 20}, {300, 120}, {160, 220}, {160, 120}, {0, 0}, {319, 239}}) {
            assertEquals(p[0], c.x(rawX(p[0]), rawY(p[1])), 1.0, "x of " + p[0] + "," + p[1]);
            assertEquals(p[1], c.y(rawX(p[0]), rawY(p[1])), 1.0, "y of " + p[0] + "," + p[1]);
        }
    }

    @Test
    void fivePointsWithSwappedAxesAndNoiseFitWithinAPixel() {
        // a panel mounted with x and y swapped: raw x follows display y
        int[][] targets = {{20, 20}, {300, 20}, {300, 220}, {20, 220}, {160, 120}};
        int[][] noise = {{3, -2}, {-4, 1}, {2, 4}, {-1, -3}, {0, 2}};
        java.util.ArrayList<TouchCalibration.Point> pts = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            pts.add(new TouchCalibration.Point(rawY(targets[i][1]) + noise[i][0], rawX(targets[i][0]) + noise[i][1], targets[i][0], targets[i][1]));
        }
        TouchCalibration c = TouchCalibration.fit(pts);
        for (int[] t : targets) {
            assertEquals(t[0], c.x(rawY(t[1]), rawX(t[0])), 2.0);
            assertEquals(t[1], c.y(rawY(t[1]), rawX(t[0])), 2.0);
        }
        assertArrayEquals(c.toArray(), TouchCalibration.of(c.toArray()).toArray());
    }

    @Test
    void pointsInARowAndBadNumbersAreRefusedSayingWhy() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TouchCalibration.fit(List.of(
                new TouchCalibration.Point(100, 100, 10, 10), new TouchCalibration.Point(200, 200, 20, 20),
                new TouchCalibration.Point(300, 300, 30, 30))));
        assertTrue(e.getMessage().contains("one line"), e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TouchCalibration.fit(List.of(
                new TouchCalibration.Point(1, 2, 3, 4)))).getMessage().contains("at least 3"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TouchCalibration.of(new long[] {1, 0, 0, 0, 1, 0}))
                .getMessage().contains("7 numbers"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new TouchCalibration(1, 0, 0, 0, 1, 0, 0))
                .getMessage().contains("scale"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new TouchCalibration(2, 4, 0, 1, 2, 0, 1))
                .getMessage().contains("one line"));
    }
}
