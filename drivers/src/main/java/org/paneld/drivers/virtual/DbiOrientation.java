package org.paneld.drivers.virtual;

import static org.paneld.drivers.virtual.Dcs.MADCTL_MV;
import static org.paneld.drivers.virtual.Dcs.MADCTL_MX;
import static org.paneld.drivers.virtual.Dcs.MADCTL_MY;


/**
 * How a mounted module is turned: which MADCTL orientation bits show an image written in logical
 * order upright at a rotation ({@link DbiModel#madctlFor}), found by trying the eight bit
 * combinations against the mount on the corners and the axes, and which RAM offsets put logical
 * 0,0 on the glass's first pixel under given bits ({@link DbiModel#ramOffset}); and where a point
 * of the turned picture sits on the glass, for {@link DbiGlass#snapshot}. Uses
 * {@link DbiGram#map}, the one logical-to-physical map. Stateless; any thread.
 */
final class DbiOrientation {
    private DbiOrientation() {
    }

    /** {@link DbiModel#madctlFor}. */
    static int madctlFor(DbiModel m, int rotation) {
        DbiGlass.checkRotation(rotation);
        int vw = m.viewWidth(), vh = m.viewHeight();
        boolean turned = rotation == 90 || rotation == 270;
        int w = turned ? vh : vw, h = turned ? vw : vh;
        int[] want = new int[2], got = new int[2];
        int[][] probes = {{0, 0}, {w - 1, 0}, {0, h - 1}, {w - 1, h - 1}, {1, 0}, {0, 1}};
        for (int candidate = 0; candidate < 8; candidate++) {
            int c = (candidate & 1) * MADCTL_MV | (candidate >> 1 & 1) * MADCTL_MX | (candidate >> 2 & 1) * MADCTL_MY;
            boolean ok = true;
            for (int[] q : probes) {
                int qx = Math.min(q[0], w - 1), qy = Math.min(q[1], h - 1);
                glassPixelOf(m, rotation, qx, qy, want);
                DbiGram.map(c, qx, qy, m.glassWidth, m.glassHeight, got);
                if (want[0] != got[0] || want[1] != got[1]) {
                    ok = false;
                    break;
                }
            }
            if (ok) {
                return c;
            }
        }
        throw new IllegalStateException("no MADCTL for rotation " + rotation); // unreachable: D4 is closed
    }

    /**
     * The glass pixel (native column, row, into {@code out}) that shows point {@code qx, qy} of
     * the picture at {@code rotation}: the point turned back to the rotation-0 view, then the
     * mount's map to the glass.
     */
    static void glassPixelOf(DbiModel m, int rotation, int qx, int qy, int[] out) {
        int vw = m.viewWidth(), vh = m.viewHeight();
        int px, py;
        switch (rotation) {
            case 0: px = qx; py = qy; break;
            case 90: px = qy; py = vh - 1 - qx; break;
            case 180: px = vw - 1 - qx; py = vh - 1 - qy; break;
            default: px = vw - 1 - qy; py = qx; break;
        }
        DbiGram.map(m.mountMadctl, px, py, m.glassWidth, m.glassHeight, out);
    }

    /** {@link DbiModel#ramOffset}. */
    static int[] ramOffset(DbiModel m, int madctl) {
        boolean mv = (madctl & MADCTL_MV) != 0;
        int minX = Integer.MAX_VALUE, minY = Integer.MAX_VALUE;
        // the glass corners, mapped back to logical coordinates (each mirror is its own inverse)
        int[][] corners = {{m.glassX, m.glassY}, {m.glassX + m.glassWidth - 1, m.glassY + m.glassHeight - 1}};
        for (int[] c : corners) {
            int col = c[0], row = c[1];
            if ((madctl & MADCTL_MX) != 0) {
                col = m.gramWidth - 1 - col;
            }
            if ((madctl & MADCTL_MY) != 0) {
                row = m.gramHeight - 1 - row;
            }
            int x = mv ? row : col, y = mv ? col : row;
            minX = Math.min(minX, x);
            minY = Math.min(minY, y);
        }
        return new int[] {minX, minY};
    }
}
