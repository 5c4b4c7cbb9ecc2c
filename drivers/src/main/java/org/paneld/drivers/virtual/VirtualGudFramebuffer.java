package org.paneld.drivers.virtual;

import java.util.Arrays;
import org.paneld.drivers.pixel.RgbImage;

/**
 * The emulated GUD panel's picture: what a person sees, one 0xRRGGBB per pixel, written from
 * completed bulk transfers decoded by {@link VirtualGudFormat}. Guarded by the device's lock.
 */
final class VirtualGudFramebuffer {
    private final int width;
    private final int height;
    private final int[] rgb;

    VirtualGudFramebuffer(int width, int height) {
        this.width = width;
        this.height = height;
        this.rgb = new int[width * height];
    }

    /** Writes the packed rectangle {@code x, y, w x h} of format {@code f} found at {@code p[0]}. */
    void write(VirtualGudFormat f, byte[] p, int x, int y, int w, int h) {
        int pitch = (int) f.lineBytes(w);
        for (int row = 0; row < h; row++) {
            f.decodeLine(p, row * pitch, w, rgb, (y + row) * width + x);
        }
    }

    void clear() {
        Arrays.fill(rgb, 0);
    }

    RgbImage image() {
        return new RgbImage(width, height, rgb.clone());
    }
}
