package org.paneld.daemon.it;

import org.paneld.drivers.pixel.Rgb;
import org.paneld.drivers.pixel.RgbImage;

/** Test images and what a panel of a given colour depth shows for them. */
public final class PanelImages {
    private PanelImages() {
    }

    /** A deterministic pattern: gradients, stripes and a few pure colours, so that any pixel mix-up shows. */
    public static RgbImage pattern(int w, int h, int seed) {
        RgbImage img = RgbImage.blank(w, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int r = (x * 255 / Math.max(1, w - 1) + seed * 37) & 0xFF;
                int g = (y * 255 / Math.max(1, h - 1) + seed * 11) & 0xFF;
                int b = ((x ^ y) * 7 + seed) & 0xFF;
                if ((x / 8 + y / 8) % 5 == 0) {
                    r = 255 - r;
                }
                img.set(x, y, r << 16 | g << 8 | b);
            }
        }
        img.set(0, 0, 0xFF0000);
        img.set(w - 1, 0, 0x00FF00);
        img.set(0, h - 1, 0x0000FF);
        img.set(w - 1, h - 1, 0xFFFFFF);
        return img;
    }

    /** DRM's drm_fb_xrgb8888_to_gray8 weights. */
    static int grey8(int rgb) {
        return (3 * (rgb >> 16 & 0xFF) + 6 * (rgb >> 8 & 0xFF) + (rgb & 0xFF)) / 10;
    }

    /** What a panel whose {@code panelFormat} (DisplayInfo/INFO panel_format) is shows for {@code img}. */
    public static RgbImage onPanel(RgbImage img, String panelFormat) {
        RgbImage out = img.copy();
        for (int i = 0; i < out.rgb().length; i++) {
            int c = out.rgb()[i];
            switch (panelFormat) {
                case "RGB565":
                    c = Rgb.quantize565(c);
                    break;
                case "RGB666":
                    c = Rgb.quantize666(c);
                    break;
                case "RGB888":
                case "XRGB8888":
                    break;
                case "GREY4": // 2-bit grey: DRM's gray8 weights, level = grey >> 6, shown as 0, 0x555555, 0xAAAAAA, 0xFFFFFF
                    c = (grey8(c) >> 6) * 0x555555;
                    break;
                case "MONO": // 1 bit with dither = "threshold": white when grey >= 128
                    c = grey8(c) >= 128 ? 0xFFFFFF : 0;
                    break;
                default:
                    throw new IllegalArgumentException("no expectation for panel format " + panelFormat
                            + " yet: add it to PanelImages.onPanel");
            }
            out.rgb()[i] = c & 0xFFFFFF;
        }
        return out;
    }
}
