package org.paneld.drivers.pixel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import org.paneld.drivers.testkit.PixelOracle;

/** The scalar colour helpers over every 24-bit colour, judged by the kernel's formulas ({@link PixelOracle}). */
class RgbTest {

    @Test
    void everyColourConvertsAsTheKernelDoes() {
        for (int c = 0; c < 1 << 24; c++) {
            if (Rgb.luma(c) != PixelOracle.xrgb8888ToR8Bt601(c)
                    || Rgb.luma(c >> 16, c >> 8 & 0xFF, c & 0xFF) != PixelOracle.xrgb8888ToR8Bt601(c)
                    || Rgb.to565(c) != PixelOracle.xrgb8888ToRgb565(c)
                    || Rgb.quantize565(c) != PixelOracle.shown565FromXrgb(c)
                    || Rgb.quantize666(c) != PixelOracle.shown666(c)) {
                fail(String.format("0x%06X: luma %d (kernel %d), 565 0x%04X (kernel 0x%04X), shown565 0x%06X (0x%06X),"
                        + " shown666 0x%06X (0x%06X)", c, Rgb.luma(c), PixelOracle.xrgb8888ToR8Bt601(c), Rgb.to565(c),
                        PixelOracle.xrgb8888ToRgb565(c), Rgb.quantize565(c), PixelOracle.shown565FromXrgb(c),
                        Rgb.quantize666(c), PixelOracle.shown666(c)));
            }
        }
        for (int v = 0; v < 1 << 16; v++) {
            assertEquals(PixelOracle.rgb565ToXrgb8888(v) & 0xFFFFFF, Rgb.from565(v), String.format("0x%04X", v));
        }
    }

    @Test
    void framebufferPixelsHoldTheFormatsBytes() {
        // setRgb/rgb against the DRM fourcc layouts, read and written by the oracle
        int[] colours = {0x000000, 0xFFFFFF, 0x12345F, 0x00D800, 0xFF28FF, 0x808080, 0xA0B0C0};
        for (PixelFormat f : new PixelFormat[] {PixelFormat.XRGB8888, PixelFormat.RGB565, PixelFormat.R8}) {
            Framebuffer mine = Framebuffer.allocate(colours.length, 1, f);
            Framebuffer kernel = Framebuffer.allocate(colours.length, 1, f);
            for (int x = 0; x < colours.length; x++) {
                mine.setRgb(x, 0, colours[x]);
                PixelOracle.put(kernel, x, 0, colours[x]);
            }
            assertEquals(bytes(kernel), bytes(mine), f + ": setRgb writes the format's bytes");
            for (int x = 0; x < colours.length; x++) {
                assertEquals(PixelOracle.source(kernel, x, 0), mine.rgb(x, 0), f + " rgb() of pixel " + x);
            }
        }
    }

    private static ByteBuffer bytes(Framebuffer fb) {
        return fb.pixels().duplicate().order(ByteOrder.LITTLE_ENDIAN).clear();
    }
}
