package org.paneld.drivers.gud;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.pixel.Framebuffer;
import org.paneld.drivers.pixel.PixelFormat;
import org.paneld.drivers.pixel.Rect;
import org.paneld.drivers.pixel.RgbImage;
import org.paneld.drivers.virtual.VirtualGudDevice;
import org.paneld.drivers.virtual.VirtualGudFormat;

/**
 * Random sequences of damage rectangles, frames, device formats, compression and buffer sizes:
 * after every flush the virtual device shows exactly what a model predicts (the damage, its x
 * aligned down to a whole byte for sub-byte formats, updated; everything else unchanged).
 */
class GudFlushPropertyTest {
    private static final int W = 45;
    private static final int H = 23;

    @Provide
    Arbitrary<Rect> damage() {
        return Combinators.combine(Arbitraries.integers().between(0, W - 1), Arbitraries.integers().between(0, H - 1),
                Arbitraries.integers().between(1, W), Arbitraries.integers().between(1, H))
                .as((x, y, w, h) -> new Rect(x, y, Math.min(w, W - x), Math.min(h, H - y)));
    }

    @Property(tries = 60)
    void everyFlushShowsTheModel(@ForAll VirtualGudFormat format, @ForAll boolean rgb565Client, @ForAll boolean lz4,
                                 @ForAll @IntRange(min = 0, max = 6) int bufferLines,
                                 @ForAll @Size(min = 1, max = 5) List<@net.jqwik.api.From("damage") Rect> damages) throws Exception {
        long maxBuffer = bufferLines == 0 ? 0 : (long) bufferLines * format.lineBytes(W);
        VirtualGudDevice dev = new VirtualGudDevice(VirtualGudDevice.Config.defaults(W, H).withFormats(format)
                .withLz4(lz4).withMaxBufferSize(maxBuffer).withConnectorPoll(false));
        PixelFormat client = rgb565Client ? PixelFormat.RGB565 : PixelFormat.XRGB8888;
        try (GudRig rig = new GudRig()) {
            Device d = rig.bind("gud0", dev).device();
            RgbImage model = RgbImage.blank(W, H);
            int seed = 0;
            for (Rect r : damages) {
                Framebuffer fb = GudRig.pattern(W, H, client, ++seed);
                d.flush(fb, r);
                RgbImage shown = GudRig.expected(fb, format);
                int x0 = r.x() - r.x() % GudRig.pixelsPerByte(format);
                for (int y = r.y(); y < r.bottom(); y++) {
                    // the shadow's windows are whole bytes of the device format (R1: 8 pixels), clipped to the width
                    int ppb = GudRig.pixelsPerByte(format);
                    long x1 = Math.min(fb.width(), (r.right() + ppb - 1) / ppb * ppb);
                    for (int x = x0; x < x1; x++) {
                        model.set(x, y, shown.get(x, y));
                    }
                }
                GudDrawingTest.assertImage(model, dev.snapshot());
            }
            dev.assertNoViolations();
        }
        assertEquals(0, dev.openTransports());
    }
}
