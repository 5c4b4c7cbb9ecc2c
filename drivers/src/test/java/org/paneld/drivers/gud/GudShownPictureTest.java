package org.paneld.drivers.gud;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.pixel.Framebuffer;
import org.paneld.drivers.pixel.PixelFormat;
import org.paneld.drivers.pixel.Rect;
import org.paneld.drivers.pixel.RgbImage;
import org.paneld.drivers.testkit.PixelOracle;
import org.paneld.drivers.virtual.VirtualGudDevice;
import org.paneld.drivers.virtual.VirtualGudFormat;

/**
 * The live view's picture of a real GUD device ({@link Device#shownPicture()}, from the driver's
 * shadow of the device's framebuffer in the device format) against the emulated device's own
 * decoding of the bulk transfers: equal pixel for pixel in every device format, after whole and
 * partial flushes (odd x, so sub-byte formats are widened), with LZ4 and on FULL_UPDATE devices;
 * none before the first flush. GUD devices take rotation 0 only, so there is no rotation to
 * undo.
 */
class GudShownPictureTest {
    private static final int W = 45; // odd: R1 and XRGB1111 lines end mid-byte
    private static final int H = 23;

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (VirtualGudFormat f : VirtualGudFormat.values()) {
            out.add(Arguments.of(f, PixelFormat.XRGB8888, false, false));
            out.add(Arguments.of(f, PixelFormat.RGB565, true, false));
            out.add(Arguments.of(f, PixelFormat.XRGB8888, false, true));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} from {1} lz4={2} full_update={3}")
    @MethodSource("cases")
    void theShadowIsWhatTheDeviceShows(VirtualGudFormat format, PixelFormat client, boolean lz4, boolean fullUpdate)
            throws Exception {
        VirtualGudDevice dev = new VirtualGudDevice(VirtualGudDevice.Config.defaults(W, H).withFormats(format)
                .withLz4(lz4).withFullUpdate(fullUpdate).withConnectorPoll(false));
        try (GudRig rig = new GudRig()) {
            Device d = rig.bind("gud0", dev).device();
            assertNull(d.shownPicture(), "no picture before the first flush");
            Framebuffer fb = GudRig.pattern(W, H, client, 1);
            d.flush(fb, fb.bounds());
            assertSame(dev.snapshot(), d.shownPicture(), "after a whole flush");
            Framebuffer next = GudRig.pattern(W, H, client, 5);
            for (Rect r : List.of(new Rect(13, 5, 19, 9), new Rect(W - 3, H - 2, 3, 2), new Rect(9, 0, 1, 1))) {
                for (int y = r.y(); y < r.bottom(); y++) {
                    for (int x = r.x(); x < r.right(); x++) {
                        PixelOracle.put(fb, x, y, next.rgb(x, y));
                    }
                }
                d.flush(fb, List.of(r));
                assertSame(dev.snapshot(), d.shownPicture(), "after damage " + r);
            }
            // a partial flush of another buffer: pixels next to the damage (within a byte) come from it too
            d.flush(next, List.of(new Rect(3, 3, 5, 4)));
            assertSame(dev.snapshot(), d.shownPicture(), "after a partial flush of another buffer");
            dev.assertNoViolations();
        }
    }

    private static void assertSame(RgbImage device, RgbImage shown, String when) {
        assertNotNull(shown, when + ": no picture");
        assertNull(device.firstDifference(shown), when);
    }
}
