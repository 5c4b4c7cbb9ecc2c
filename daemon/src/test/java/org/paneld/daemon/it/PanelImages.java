package org.paneld.daemon.it;

import org.paneld.drivers.pixel.RgbImage;
import org.paneld.drivers.testkit.PixelOracle;

/**
 * Test images and what a panel of a given colour depth shows for them, by the kernel's formulas
 * ({@link PixelOracle}: written from drm_format_helper.c, drm_format_internal.h, st7586.c,
 * repaper.c), never by the drivers' own converters.
 */
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

    /** What a panel whose {@code panelFormat} (DisplayInfo/INFO panel_format) is shows for {@code img}. */
    public static RgbImage onPanel(RgbImage img, String panelFormat) {
        RgbImage out = img.copy();
        for (int i = 0; i < out.rgb().length; i++) {
            int c = out.rgb()[i];
            switch (panelFormat) {
                case "RGB565":
                    c = PixelOracle.shown565FromXrgb(c);
                    break;
                case "RGB666":
                    c = PixelOracle.shown666(c);
                    break;
                case "RGB888":
                case "XRGB8888":
                    break;
                case "GREY4": // st7586: the kernel's BT.601 gray8, level = grey >> 6, shown as 0, 0x555555, 0xAAAAAA, 0xFFFFFF
                    c = PixelOracle.st7586Shown(PixelOracle.st7586Level(PixelOracle.xrgb8888ToR8Bt601(c)));
                    break;
                case "MONO": // 1 bit with dither = "threshold" (the kernel's repaper): white when the gray8's top bit is set
                    c = PixelOracle.monoWhite(PixelOracle.xrgb8888ToR8Bt601(c)) ? 0xFFFFFF : 0;
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
