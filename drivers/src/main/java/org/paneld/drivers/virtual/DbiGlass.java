package org.paneld.drivers.virtual;

import static org.paneld.drivers.virtual.Dcs.MADCTL_BGR;

import org.paneld.drivers.pixel.RgbImage;

/**
 * Renders what a person sees on the glass: the glass rectangle of GRAM in native scan order,
 * red and blue swapped when MADCTL's BGR bit differs from the colour-filter order, inverted when
 * INVON differs from the IPS glass's need, black when dark; and the upright picture at a
 * rotation (the mount applied, then the content turned counter-clockwise). Stateless apart from
 * its model; called under the panel's lock.
 */
final class DbiGlass {
    private final DbiModel model;

    DbiGlass(DbiModel model) {
        this.model = model;
    }

    /** The glass in native scan order with the colour rules applied. */
    int[] glassPixels(int[] gram, int madctl, boolean inverted) {
        int gw = model.glassWidth, gh = model.glassHeight;
        int[] out = new int[gw * gh];
        boolean swap = ((madctl & MADCTL_BGR) != 0) != model.bgrPanel;
        boolean invert = inverted != model.invertedGlass;
        for (int y = 0; y < gh; y++) {
            int src = (model.glassY + y) * model.gramWidth + model.glassX;
            for (int x = 0; x < gw; x++) {
                int c = gram[src + x];
                if (swap) {
                    c = (c & 0x00FF00) | (c >> 16 & 0xFF) | (c & 0xFF) << 16;
                }
                if (invert) {
                    c ^= 0xFFFFFF;
                }
                out[y * gw + x] = c;
            }
        }
        return out;
    }

    /** The glass as an image; black when not {@code lit}. */
    RgbImage glassImage(int[] gram, int madctl, boolean inverted, boolean lit) {
        return new RgbImage(model.glassWidth, model.glassHeight,
                lit ? glassPixels(gram, madctl, inverted) : new int[model.glassWidth * model.glassHeight]);
    }

    /**
     * What a person sees with the panel used at {@code rotation} degrees: the rotation-0 view
     * (mount applied) with its content turned counter-clockwise by {@code rotation}; black when
     * not {@code lit}.
     */
    RgbImage snapshot(int rotation, int[] gram, int madctl, boolean inverted, boolean lit) {
        checkRotation(rotation);
        int vw = model.viewWidth(), vh = model.viewHeight();
        boolean turned = rotation == 90 || rotation == 270;
        int w = turned ? vh : vw, h = turned ? vw : vh;
        int[] out = new int[w * h];
        if (!lit) {
            return new RgbImage(w, h, out);
        }
        int[] g = glassPixels(gram, madctl, inverted);
        int[] at = new int[2];
        for (int qy = 0; qy < h; qy++) {
            for (int qx = 0; qx < w; qx++) {
                DbiOrientation.glassPixelOf(model, rotation, qx, qy, at);
                out[qy * w + qx] = g[at[1] * model.glassWidth + at[0]];
            }
        }
        return new RgbImage(w, h, out);
    }

    static int checkRotation(int rotation) {
        if (rotation != 0 && rotation != 90 && rotation != 180 && rotation != 270) {
            throw new IllegalArgumentException("rotation must be 0, 90, 180 or 270, got " + rotation);
        }
        return rotation;
    }
}
