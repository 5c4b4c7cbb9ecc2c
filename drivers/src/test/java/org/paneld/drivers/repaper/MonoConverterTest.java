package org.paneld.drivers.repaper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.paneld.drivers.pixel.Framebuffer;
import org.paneld.drivers.pixel.PixelFormat;
import org.paneld.drivers.pixel.RgbImage;
import org.paneld.drivers.testkit.PixelOracle;

/**
 * The mono converter on its own, judged by {@link TestImages#mono} (the kernel's BT.601 grey from
 * the buffer's bytes, the dithers restated from their definitions).
 */
class MonoConverterTest {

    /** The converter's 1-bit output (MSB first, 1 = white) as an image. */
    static RgbImage unpack(byte[] mono, int w, int h) {
        RgbImage img = RgbImage.blank(w, h);
        int stride = (w + 7) / 8;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean white = (mono[y * stride + x / 8] & 0x80 >> (x & 7)) != 0;
                img.set(x, y, white ? 0xFFFFFF : 0);
            }
        }
        return img;
    }

    @ParameterizedTest(name = "{0} from {1}, {2}x{3}")
    @CsvSource({
        "threshold, XRGB8888, 37, 23", "threshold, RGB565, 40, 9", "threshold, R8, 17, 5",
        "ordered, XRGB8888, 37, 23", "ordered, RGB565, 64, 16", "ordered, R8, 9, 9",
        "floyd-steinberg, XRGB8888, 37, 23", "floyd-steinberg, RGB565, 41, 12", "floyd-steinberg, R8, 8, 30",
    })
    void everyModeAndSourceEqualsTheReference(String mode, String format, int w, int h) {
        MonoConverter c = new MonoConverter(MonoConverter.Mode.byName(mode));
        for (int seed = 0; seed < 3; seed++) { // the same converter again: no state leaks from one frame into the next
            Framebuffer fb = TestImages.picture(w, h, PixelFormat.parse(format), seed);
            byte[] out = new byte[MonoConverter.stride(w) * h];
            c.convert(fb, out);
            assertNull(TestImages.mono(fb, mode).firstDifference(unpack(out, w, h)), mode + " " + format + " seed " + seed);
        }
    }

    @Test
    void thresholdIsTheKernelsBt601GreyTopBit() {
        // grey by the kernel's BT.601 weights over 256, not (3r + 6g + b) / 10: 0x00D800 is 126
        // (black; 129 by tenths), 0xFF28FF is 129 (white; 126 by tenths)
        int[] colour = {0x00D800, 0xFF28FF, 0x7F7F7F, 0x808080, 0x000000, 0xFFFFFF};
        int[] white = {0, 0xFFFFFF, 0, 0xFFFFFF, 0, 0xFFFFFF};
        Framebuffer fb = Framebuffer.allocate(colour.length, 1, PixelFormat.XRGB8888);
        for (int x = 0; x < colour.length; x++) {
            PixelOracle.put(fb, x, 0, colour[x]);
        }
        byte[] out = new byte[1];
        new MonoConverter(MonoConverter.Mode.THRESHOLD).convert(fb, out);
        RgbImage got = unpack(out, colour.length, 1);
        for (int x = 0; x < colour.length; x++) {
            assertEquals(white[x], got.get(x, 0), String.format("0x%06X", colour[x]));
        }
    }
}
