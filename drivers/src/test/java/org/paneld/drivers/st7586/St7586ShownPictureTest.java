package org.paneld.drivers.st7586;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.pixel.Framebuffer;
import org.paneld.drivers.pixel.PixelFormat;
import org.paneld.drivers.pixel.Rect;
import org.paneld.drivers.pixel.RgbImage;
import org.paneld.drivers.repaper.TestImages;
import org.paneld.drivers.testkit.LifecycleKit;
import org.paneld.drivers.testkit.PixelOracle;
import org.paneld.drivers.virtual.VirtualSt7586;

/**
 * The live view's picture of a real ST7586 ({@link Device#shownPicture()}, from the driver's
 * shadow of the controller's RAM) against the emulated controller's own decoding of the bytes on
 * the wire: equal pixel for pixel after whole and partial flushes, at every rotation; none
 * before the first flush.
 */
class St7586ShownPictureTest {
    @RegisterExtension
    final LifecycleKit kit = new LifecycleKit(new St7586Driver());

    @ParameterizedTest(name = "rotation {0} {1} damage {2}")
    @CsvSource({"0, XRGB8888, auto", "90, RGB565, auto", "180, R8, client", "270, XRGB8888, auto", "0, RGB565, full"})
    void theShadowIsWhatTheGlassShows(int rotation, String format, String damage) throws Exception {
        kit.addVirtual("lcd", "st7586", "rotation", rotation, "damage", damage);
        Device d = kit.bind("lcd").device();
        VirtualSt7586 v = kit.hardware("lcd", VirtualSt7586.class);
        assertNull(d.shownPicture(), "no picture before the first flush");
        int w = d.info().width(), h = d.info().height();
        Framebuffer fb = TestImages.picture(w, h, PixelFormat.parse(format), 3);
        d.flush(fb, fb.bounds());
        assertSame(v.snapshot(), d.shownPicture(), "after a whole flush");
        // partial damage, neither column triplet nor byte aligned, and a one-pixel one
        Framebuffer next = TestImages.picture(w, h, PixelFormat.parse(format), 9);
        List<Rect> rects = List.of(new Rect(1, 2, 37, 11), new Rect(w - 5, h - 7, 5, 7), new Rect(w / 2, h / 2, 1, 1));
        for (Rect r : rects) {
            for (int y = r.y(); y < r.bottom(); y++) {
                for (int x = r.x(); x < r.right(); x++) {
                    PixelOracle.put(fb, x, y, next.rgb(x, y));
                }
            }
            d.flush(fb, List.of(r));
            assertSame(v.snapshot(), d.shownPicture(), "after damage " + r);
        }
        // drawn while switched off, shown from the shadow at power on
        d.setProperty("power", 0);
        d.flush(next, next.bounds());
        d.setProperty("power", 1);
        assertSame(v.snapshot(), d.shownPicture(), "after power off, flush, power on");
        assertEquals(List.of(), v.violations());
    }

    private static void assertSame(RgbImage glass, RgbImage shown, String when) {
        assertNotEquals(null, shown, when + ": no picture");
        assertNull(glass.firstDifference(shown), when);
    }
}
