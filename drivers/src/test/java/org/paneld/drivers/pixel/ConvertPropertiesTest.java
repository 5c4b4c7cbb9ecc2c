package org.paneld.drivers.pixel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.paneld.drivers.testkit.PixelOracle;

/** Property tests: every conversion equals the slow per-pixel reference for random frames and rectangles. */
class ConvertPropertiesTest {

    @Property(tries = 300)
    void anyRectangleAnyFormatMatchesReference(
            @ForAll @IntRange(min = 1, max = 40) int w, @ForAll @IntRange(min = 1, max = 24) int h,
            @ForAll @IntRange(min = 0, max = 9) int pad, @ForAll boolean rgb565Source,
            @ForAll @IntRange(min = 0, max = 3) int targetIndex, @ForAll @IntRange(min = 0, max = 3) int quarter,
            @ForAll boolean swap, @ForAll long seed,
            @ForAll @IntRange(min = 0, max = 1000) int a, @ForAll @IntRange(min = 0, max = 1000) int b,
            @ForAll @IntRange(min = 0, max = 1000) int c, @ForAll @IntRange(min = 0, max = 1000) int d) {
        PixelFormat src = rgb565Source ? PixelFormat.RGB565 : PixelFormat.XRGB8888;
        PixelFormat target = new PixelFormat[] {PixelFormat.RGB565_BE, PixelFormat.RGB565, PixelFormat.RGB666,
            PixelFormat.RGB888}[targetIndex];
        Framebuffer fb = ConvertTest.random(w, h, pad, src, seed);
        int x = a % w, y = b % h;
        Rect r = new Rect(x, y, 1 + c % (w - x), 1 + d % (h - y));
        int rotation = quarter * 90;
        byte[] out = new byte[Convert.outputBytes(r, target) + 2];
        Convert.convert(fb, r, rotation, target, swap, out, 1);
        assertArrayEquals(ConvertTest.reference(fb, r, rotation, target, swap),
                Arrays.copyOfRange(out, 1, out.length - 1), src + "->" + target + " " + r + " rot " + rotation);
        // nothing written outside the output range
        assertArrayEquals(new byte[] {0, 0}, new byte[] {out[0], out[out.length - 1]});
    }

    @Property(tries = 200)
    void fastPathEqualsTheKernels565(@ForAll @IntRange(min = 1, max = 70) int w, @ForAll long seed,
                                @ForAll @IntRange(min = 0, max = 100) int x0) {
        Framebuffer fb = ConvertTest.random(w, 2, 0, PixelFormat.XRGB8888, seed);
        int x = x0 % w;
        Rect r = new Rect(x, 0, w - x, 2);
        byte[] out = new byte[Convert.outputBytes(r, PixelFormat.RGB565_BE)];
        Convert.convert(fb, r, PixelFormat.RGB565_BE, out, 0);
        byte[] want = new byte[out.length];
        int o = 0;
        for (int yy = 0; yy < 2; yy++) {
            for (int xx = x; xx < w; xx++) {
                int v = PixelOracle.xrgb8888ToRgb565(PixelOracle.source(fb, xx, yy));
                want[o++] = (byte) (v >> 8);
                want[o++] = (byte) v;
            }
        }
        assertArrayEquals(want, out);
    }
}
