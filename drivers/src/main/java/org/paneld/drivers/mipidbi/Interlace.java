package org.paneld.drivers.mipidbi;

import java.util.Arrays;
import java.util.List;
import org.paneld.drivers.pixel.PanelShadow;
import org.paneld.drivers.pixel.Rect;

/**
 * Adaptive interlacing ({@code interlace = "auto"}, after fbcp-ili9341): under sustained overload
 * a large update (more than half the panel's rows) sends only the rows of one parity; the others
 * stay pending, and the next update sends them (the parity alternates), with whatever newer pixels
 * arrived by then, so a stream of full-change frames shows twice as many updates, each half new.
 *
 * <p>The panel's {@link PanelShadow} stays exact (only what is sent goes into it); what the client
 * asked for lives in the target picture, in the shadow's layout: while rows are pending every
 * update is converted into it first, and the update's area together with the pending rows is then
 * compared with the shadow, reading the target on the rows that go out and the shadow's own bytes
 * (nothing changed) on the others. When no rows are pending, updates take the display's ordinary
 * path and the target is copied from the shadow again before the next interlaced update.
 *
 * <p>Fixed size (one more picture in the panel's format). Lifetime: the display's. Threads: the
 * device's operation lock.
 */
final class Interlace {
    private final PanelShadow shadow;
    private final int height;
    private final int bpp;
    private final int stride;
    private final byte[] target;
    private Rect pendingArea;   // rows not sent yet (target differs from shadow there), or null
    private int parity;         // the rows the next interlaced update sends: y % 2 == parity
    private Rect region;        // the area of the last plan
    private boolean interlaced; // the last plan sent one parity only

    Interlace(PanelShadow shadow, int width, int height) {
        this.shadow = shadow;
        this.height = height;
        this.bpp = shadow.bytesPerPixel();
        this.stride = shadow.stride();
        this.target = new byte[shadow.bytes().length];
    }

    /** True when rows of the last update are not on the panel yet. */
    boolean pending() {
        return pendingArea != null;
    }

    /** The pending rows' area (columns of the update they belong to), or null. */
    Rect pendingArea() {
        return pendingArea;
    }

    /** An update large enough to interlace: more than half the panel's rows. */
    boolean large(Rect box) {
        return box.height() * 2 > height;
    }

    /** Converts the update's damage into the target picture (the shadow's copy when nothing is pending). */
    void take(List<Rect> damage, PanelShadow.RowSource conv) {
        if (pendingArea == null) {
            System.arraycopy(shadow.bytes(), 0, target, 0, target.length);
        }
        for (Rect r : damage) {
            for (int y = r.y(); y < r.y() + r.height(); y++) {
                conv.convert(r.x(), y, r.width(), target, y * stride + r.x() * bpp);
            }
        }
    }

    /**
     * Plans, in the shadow, the windows of {@code box} (null: only the pending rows) together with
     * the pending rows: with {@code interlace} only the rows of this update's parity, else all.
     */
    void plan(Rect box, boolean interlace, int windowCost) {
        Rect area = box == null ? pendingArea : pendingArea == null ? box : box.union(pendingArea);
        int p = parity;
        byte[] own = shadow.bytes();
        PanelShadow.RowSource src = (x, y, n, dst, off) ->
                System.arraycopy(!interlace || (y & 1) == p ? target : own, y * stride + x * bpp, dst, off, n * bpp);
        shadow.update(area, src, true, windowCost);
        this.region = area;
        this.interlaced = interlace;
    }

    /** The planned windows are on the wire: what was skipped (rows of the other parity that differ) is pending now. */
    void sent() {
        if (!interlaced) {
            pendingArea = null;
            return;
        }
        int skipped = parity ^ 1;
        parity = skipped; // the next interlaced update sends the rows skipped now
        byte[] own = shadow.bytes();
        int from = region.x() * bpp, len = region.width() * bpp, y0 = -1, y1 = -1;
        int first = region.y() + ((region.y() & 1) == skipped ? 0 : 1);
        for (int y = first; y < region.y() + region.height(); y += 2) {
            int o = y * stride + from;
            if (Arrays.mismatch(target, o, o + len, own, o, o + len) >= 0) {
                y0 = y0 < 0 ? y : y0;
                y1 = y;
            }
        }
        pendingArea = y0 < 0 ? null : new Rect(region.x(), y0, region.width(), y1 - y0 + 1);
    }
}
