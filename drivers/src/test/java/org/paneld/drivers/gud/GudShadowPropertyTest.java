package org.paneld.drivers.gud;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.pixel.Framebuffer;
import org.paneld.drivers.pixel.PixelFormat;
import org.paneld.drivers.pixel.Rect;
import org.paneld.drivers.testkit.PixelOracle;
import org.paneld.drivers.virtual.VirtualGudDevice;
import org.paneld.drivers.virtual.VirtualGudFormat;

/**
 * The shadow diff on GUD devices, every device format (R1 byte-aligned), with and without LZ4: a
 * client that flips its whole buffer after changing random rectangles; after every flip the
 * device shows the whole client buffer, and the SET_BUFFER bytes (before compression) never
 * exceed one rectangle over the changes, widened to whole bytes of the format, or nothing at all
 * when nothing changed.
 */
class GudShadowPropertyTest {
    private static final int W = 45;
    private static final int H = 23;

    @Provide
    Arbitrary<Rect> change() {
        return Combinators.combine(Arbitraries.integers().between(0, W - 1), Arbitraries.integers().between(0, H - 1),
                Arbitraries.integers().between(0, 12), Arbitraries.integers().between(0, 8))
                .as((x, y, w, h) -> new Rect(x, y, Math.min(w, W - x), Math.min(h, H - y)));
    }

    @Property(tries = 30)
    void flipsShowTheBufferAndSendOnlyTheChanges(@ForAll VirtualGudFormat format, @ForAll boolean lz4,
                                                 @ForAll @Size(min = 1, max = 5) List<@net.jqwik.api.From("change") Rect> changes)
            throws Exception {
        VirtualGudDevice dev = new VirtualGudDevice(VirtualGudDevice.Config.defaults(W, H).withFormats(format)
                .withLz4(lz4).withConnectorPoll(false));
        try (GudRig rig = new GudRig()) {
            Device d = rig.bind("gud0", dev).device();
            GudDisplay display = (GudDisplay) d.display();
            Framebuffer fb = GudRig.pattern(W, H, PixelFormat.XRGB8888, 1);
            d.flush(fb, fb.bounds());
            int seed = 7;
            for (Rect c : changes) {
                Framebuffer next = GudRig.pattern(W, H, PixelFormat.XRGB8888, seed++);
                for (int y = c.y(); y < c.bottom(); y++) {
                    for (int x = c.x(); x < c.right(); x++) {
                        PixelOracle.put(fb, x, y, next.rgb(x, y));
                    }
                }
                long before = display.stats().bytes();
                d.flush(fb, fb.bounds());
                long sent = display.stats().bytes() - before;
                int ppb = GudRig.pixelsPerByte(format);
                long bound = c.isEmpty() ? 0 : (long) format.lineBytes((Math.min(W, (c.right() + ppb - 1) / ppb * ppb)
                        - c.x() / ppb * ppb)) * c.height();
                assertTrue(sent <= bound, format + ": change " + c + " sent " + sent + " bytes, the rectangle holds " + bound);
                GudDrawingTest.assertImage(GudRig.expected(fb, format), dev.snapshot());
            }
            dev.assertNoViolations();
        }
    }
}
