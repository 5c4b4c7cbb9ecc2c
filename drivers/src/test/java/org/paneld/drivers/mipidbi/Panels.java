package org.paneld.drivers.mipidbi;

import java.util.ArrayList;
import java.util.List;
import org.paneld.drivers.core.Driver;
import org.paneld.drivers.pixel.Framebuffer;
import org.paneld.drivers.pixel.PixelFormat;
import org.paneld.drivers.pixel.RgbImage;
import org.paneld.drivers.testkit.PixelOracle;
import org.paneld.drivers.virtual.DbiModel;
import org.paneld.drivers.virtual.VirtualDbiPanel;

/** The panel variants under test, test pictures and expected images. Test scope. */
final class Panels {
    private Panels() {
    }

    /** One configuration of one driver, with the emulator model of the real panel. */
    record Variant(String label, MipiDbiDriver driver, String driverName, Object[] config, DbiModel model) {
        Object[] configWith(Object... more) {
            Object[] all = java.util.Arrays.copyOf(config, config.length + more.length);
            System.arraycopy(more, 0, all, config.length, more.length);
            return all;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    static final Mi0283qtDriver MI0283QT = new Mi0283qtDriver();
    static final St7735rDriver ST7735R = new St7735rDriver();
    static final St7789vDriver ST7789V = new St7789vDriver();
    static final Ili9486Driver ILI9486 = new Ili9486Driver();
    static final Hx8357dDriver HX8357D = new Hx8357dDriver();
    static final Ili9488Driver ILI9488 = new Ili9488Driver();
    static final Yx240qv29Driver YX240QV29 = new Yx240qv29Driver();

    /**
     * The rotation at which the emulator's snapshot shows a driver's picture upright: the
     * configured one, except hx8357d, whose kernel MADCTL table turns the other way round.
     */
    static int viewRotation(MipiDbiDriver d, PanelConfig c) {
        return d instanceof Hx8357dDriver || d instanceof Yx240qv29Driver ? (360 - c.rotation()) % 360 : c.rotation();
    }

    static Driver[] allDrivers() {
        return MipiDbiDrivers.all().toArray(new Driver[0]);
    }

    /** Every fixed-panel driver variant, each with the emulator preset of the kernel driver's panel. */
    static List<Variant> variants() {
        List<Variant> v = new ArrayList<>();
        v.add(new Variant("mi0283qt", MI0283QT, "mi0283qt", new Object[0], DbiModel.mi0283qt()));
        v.add(new Variant("ili9341 (alias)", MI0283QT, "ili9341", new Object[0], DbiModel.ili9341()));
        v.add(new Variant("yx240qv29", YX240QV29, "yx240qv29", new Object[0], DbiModel.yx240qv29()));
        v.add(new Variant("mi0283qt option 1", MI0283QT, "mi0283qt", new Object[] {"dbi_option", 1},
                DbiModel.mi0283qt().toBuilder().option1(true).build()));
        v.add(new Variant("st7735r jd-t18003-t01", ST7735R, "jd-t18003-t01", new Object[0], DbiModel.st7735r()));
        v.add(new Variant("st7735r rh128128t", ST7735R, "rh128128t", new Object[0], DbiModel.rh128128t()));
        v.add(new Variant("st7789v 240x320", ST7789V, "st7789v", new Object[0], DbiModel.st7789v()));
        v.add(new Variant("st7789v 240x240", ST7789V, "st7789v", new Object[] {"height", 240},
                DbiModel.st7789v240x240()));
        v.add(new Variant("ili9486 waveshare", ILI9486, "ili9486", new Object[0], DbiModel.ili9486Waveshare()));
        v.add(new Variant("ili9486 plain spi", ILI9486, "ili9486", new Object[] {"spi_16bit_shift", false},
                DbiModel.ili9486()));
        v.add(new Variant("hx8357d", HX8357D, "hx8357d", new Object[0], DbiModel.hx8357d()));
        v.add(new Variant("ili9488", ILI9488, "ili9488", new Object[0], DbiModel.ili9488()));
        return v;
    }

    /**
     * The test picture: horizontal and vertical gradients, a diagonal ramp, text-like strokes of
     * one and two pixels, and a white one-pixel border; no symmetry, so any mirror or turn shows.
     */
    static int picture(int x, int y, int w, int h, int seed) {
        if (x == 0 || y == 0 || x == w - 1 || y == h - 1) {
            return 0xFFFFFF;
        }
        int cell = (x / 6) * 31 + (y / 9) * 17 + seed;
        int gx = x % 6, gy = y % 9;
        boolean glyph = (cell % 5 != 0) && gy >= 2 && gy <= 6 && (gx == 1 || (gy == 2 && gx < 4) || (gy == 4 && gx < 3 && cell % 3 == 0)
                || (gx == 3 && cell % 2 == 0));
        if (glyph) {
            return (cell & 1) == 0 ? 0x000000 : 0xFFFF00 ^ (seed * 0x010101 & 0xFFFFFF);
        }
        int r = x * 255 / Math.max(1, w - 1);
        int g = y * 255 / Math.max(1, h - 1);
        int b = ((x + 2 * y) * 3 + seed * 40) & 0xFF;
        return r << 16 | g << 8 | b;
    }

    static Framebuffer framebuffer(int w, int h, PixelFormat format, int seed) {
        Framebuffer fb = Framebuffer.allocate(w, h, format);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                PixelOracle.put(fb, x, y, picture(x, y, w, h, seed));
            }
        }
        return fb;
    }

    /**
     * What the panel must show for {@code fb}: each pixel as the framebuffer's bytes hold it,
     * through the kernel's conversion for the wire (independent oracle: {@link PixelOracle}).
     */
    static RgbImage expected(Framebuffer fb, WireFormat wire) {
        RgbImage img = RgbImage.blank(fb.width(), fb.height());
        for (int y = 0; y < fb.height(); y++) {
            for (int x = 0; x < fb.width(); x++) {
                img.set(x, y, shown(fb, x, y, wire));
            }
        }
        return img;
    }

    /** What the panel must show for pixel {@code x, y} of {@code fb} on {@code wire} (16 or 18 bits). */
    static int shown(Framebuffer fb, int x, int y, WireFormat wire) {
        return PixelOracle.shown(fb, x, y, wire != WireFormat.RGB565_BE);
    }
}
