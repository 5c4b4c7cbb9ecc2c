package org.paneld.drivers.pixel;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** Windows planned by {@link PanelShadow}: merged by cost, widened to the grain, bounded by the bounding rectangle. */
class PanelShadowTest {
    private static final int W = 120, H = 60;

    /** A 1-byte-per-pixel picture: {@code v} inside the rectangles, 0 elsewhere. */
    private static PanelShadow.RowSource picture(int v, Rect... rects) {
        return (x, y, n, dst, off) -> {
            for (int i = 0; i < n; i++) {
                int val = 0;
                for (Rect r : rects) {
                    if (x + i >= r.x() && x + i < r.right() && y >= r.y() && y < r.bottom()) {
                        val = v;
                    }
                }
                dst[off + i] = (byte) val;
            }
        };
    }

    private static PanelShadow fresh(int grain) {
        PanelShadow s = new PanelShadow(W, H, 1, grain);
        s.update(Rect.of(W, H), picture(0), false, 11);
        s.trust();
        return s;
    }

    @Test
    void distantChangesGetTheirOwnWindowsAndNothingElseIsSent() {
        PanelShadow s = fresh(1);
        Rect a = new Rect(2, 3, 10, 5), b = new Rect(90, 40, 20, 10);
        assertEquals(2, s.update(Rect.of(W, H), picture(7, a, b), true, 11));
        assertEquals(a.area() + b.area() + 2 * 11, s.plannedBytes());
        assertEquals(a.area() + b.area(), s.changedPixels());
        assertEquals(0, s.update(Rect.of(W, H), picture(7, a, b), true, 11), "the same picture again sends nothing");
    }

    @Test
    void aGapCheaperThanAWindowIsSentInsteadOfASecondWindow() {
        PanelShadow s = fresh(1);
        Rect a = new Rect(10, 10, 10, 4), b = new Rect(22, 10, 10, 4); // 2 equal pixels between, cheaper than 11 bytes
        assertEquals(1, s.update(Rect.of(W, H), picture(5, a, b), true, 11));
        assertEquals(22 * 4 + 11, s.plannedBytes());
        // with a dear window (many transfers) a wider gap is bridged too
        PanelShadow t = fresh(1);
        Rect c = new Rect(10, 10, 10, 4), d = new Rect(60, 10, 10, 4);
        assertEquals(2, t.update(Rect.of(W, H), picture(5, c, d), true, 11));
        t = fresh(1);
        assertEquals(1, t.update(Rect.of(W, H), picture(5, c, d), true, 11 + 6 * 40));
    }

    @Test
    void windowsAreWidenedToTheGrain() {
        PanelShadow s = fresh(3);
        assertEquals(1, s.update(Rect.of(W, H), picture(9, new Rect(4, 5, 1, 2)), true, 11));
        assertEquals(3, s.x(0));
        assertEquals(3, s.w(0));
        assertEquals(5, s.y(0));
        assertEquals(2, s.h(0));
    }

    @Test
    void neverMoreThanTheBoundingRectangle() {
        PanelShadow s = fresh(1);
        // a checkerboard of single pixels: one window over them all is cheaper than many
        Rect[] dots = new Rect[40];
        for (int i = 0; i < dots.length; i++) {
            dots[i] = new Rect(i * 3 % 30, i * 7 % 20, 1, 1);
        }
        s.update(Rect.of(W, H), picture(3, dots), true, 11);
        Rect box = dots[0];
        for (Rect r : dots) {
            box = box.union(r);
        }
        assertTrue(s.plannedBytes() <= box.area() + 11, s.plannedBytes() + " > " + (box.area() + 11));
    }

    @Test
    void anUntrustedShadowSendsTheWholeAreaAndTheHintBoundsTheComparison() {
        PanelShadow s = fresh(1);
        s.distrust();
        Rect area = new Rect(5, 5, 20, 20);
        assertEquals(1, s.update(area, picture(0), true, 11));
        assertEquals(area.area() + 11, s.plannedBytes());
        s.trust();
        // a change outside the hint is not looked at
        assertEquals(0, s.update(area, picture(4, new Rect(50, 50, 5, 5)), true, 11));
    }

    /** Records what a streamed update sent. */
    private static final class Recorder implements PanelShadow.Streamer {
        Rect area;
        int next = -1;
        long rows;

        @Override
        public void start(Rect a) {
            assertNull(area, "one streamed window per update");
            area = a;
            next = a.y();
        }

        @Override
        public void rows(int y0, int y1) {
            assertEquals(next, y0, "rows stream in order, without gaps");
            assertTrue(y1 > y0);
            rows += y1 - y0;
            next = y1;
        }
    }

    @Test
    void aFullChangeStreamsWhileItIsComparedAndThePlanCoversOnlyTheRest() {
        PanelShadow s = fresh(1);
        Recorder r = new Recorder();
        assertEquals(0, s.update(Rect.of(W, H), picture(8, Rect.of(W, H)), true, 11, r), "all of it streamed");
        assertEquals(Rect.of(W, H), r.area);
        assertEquals(H, r.rows);
        s.update(Rect.of(W, H), picture(0), true, 11, new Recorder());
        // the top 20 rows change wholly, then a small spot: the first band streams, the next band (rows
        // 8..59, under half changed) stops the stream, and its changes are planned below the streamed rows
        Rect top = new Rect(0, 0, W, 20), spot = new Rect(100, 55, 4, 3);
        Recorder r2 = new Recorder();
        int n = s.update(Rect.of(W, H), picture(2, top, spot), true, 11, r2);
        assertEquals(8, r2.rows, "the first band");
        assertEquals(2, n);
        assertEquals(new Rect(0, 8, W, 12), new Rect(s.x(0), s.y(0), s.w(0), s.h(0)));
        assertEquals(spot, new Rect(s.x(1), s.y(1), s.w(1), s.h(1)));
        assertTrue(8L * W + 11 + s.plannedBytes() <= (long) W * H + 11);
        // a small change is never streamed
        Recorder r3 = new Recorder();
        assertTrue(s.update(Rect.of(W, H), picture(2, top, new Rect(3, 50, 2, 2)), true, 11, r3) >= 1);
        assertNull(r3.area);
    }
}
