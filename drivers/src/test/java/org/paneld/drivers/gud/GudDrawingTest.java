package org.paneld.drivers.gud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.paneld.drivers.core.Binding;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.pixel.Framebuffer;
import org.paneld.drivers.pixel.PixelFormat;
import org.paneld.drivers.pixel.Rect;
import org.paneld.drivers.pixel.RgbImage;
import org.paneld.drivers.virtual.VirtualGudDevice;
import org.paneld.drivers.virtual.VirtualGudFormat;

/**
 * Pixel-exact drawing through the real GUD host driver into the virtual GUD device, for every
 * device format, with and without LZ4, with a small max_buffer_size forcing splits, and with
 * FULL_UPDATE; for both client formats. The expected pixels are computed independently of the
 * driver's conversion code; the device decodes what came over the (virtual) wire.
 */
class GudDrawingTest {
    private static final int W = 61; // odd: R1 lines end mid-byte, XRGB1111 mid-byte
    private static final int H = 37;

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (VirtualGudFormat f : VirtualGudFormat.values()) {
            for (PixelFormat client : new PixelFormat[] {PixelFormat.XRGB8888, PixelFormat.RGB565}) {
                out.add(Arguments.of(f, client, false, 0, false));
                out.add(Arguments.of(f, client, true, 0, false));
                out.add(Arguments.of(f, client, true, 3L * f.lineBytes(W) + 1, false)); // 3 lines a piece
                out.add(Arguments.of(f, client, false, 0, true));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} from {1} lz4={2} max_buffer={3} full_update={4}")
    @MethodSource("cases")
    void drawsPixelExact(VirtualGudFormat format, PixelFormat client, boolean lz4, long maxBuffer, boolean fullUpdate) throws Exception {
        VirtualGudDevice dev = new VirtualGudDevice(VirtualGudDevice.Config.defaults(W, H).withFormats(format)
                .withLz4(lz4).withMaxBufferSize(maxBuffer).withFullUpdate(fullUpdate));
        try (GudRig rig = new GudRig()) {
            Binding b = rig.bind("gud0", dev);
            Device d = b.device();
            GudDisplay display = (GudDisplay) d.display();
            assertEquals(format, dev.committedFormat());
            assertTrue(dev.controllerEnabled() && dev.displayEnabled());

            Framebuffer fb = GudRig.pattern(W, H, client, 1);
            d.flush(fb, fb.bounds());
            assertImage(GudRig.expected(fb, format), dev.snapshot());
            long framesAfterFirst = dev.frames();
            if (maxBuffer > 0) {
                assertTrue(framesAfterFirst >= (H + 2) / 3, "split into 3-line pieces: " + framesAfterFirst);
            }
            if (lz4) {
                assertTrue(display.stats().wireBytes() < display.stats().bytes(), "LZ4 shrank the pattern: " + display.stats());
            }

            // Partial update at an odd x: only the damage (widened to whole bytes of the device format) may change.
            Framebuffer next = GudRig.pattern(W, H, client, 2);
            Rect damage = new Rect(13, 5, 29, 20);
            RgbImage want = fullUpdate ? GudRig.expected(next, format) : GudRig.expected(fb, format);
            if (!fullUpdate) {
                RgbImage nextShown = GudRig.expected(next, format);
                int ppb = GudRig.pixelsPerByte(format);
                int x0 = damage.x() - damage.x() % ppb;
                long x1 = Math.min(W, (damage.right() + ppb - 1) / ppb * ppb);
                for (int y = damage.y(); y < damage.bottom(); y++) {
                    for (int x = x0; x < x1; x++) {
                        want.set(x, y, nextShown.get(x, y));
                    }
                }
            }
            d.flush(next, damage);
            assertImage(want, dev.snapshot());
            dev.assertNoViolations();

            d.disable();
            assertImage(RgbImage.blank(W, H), dev.snapshot());
            d.enable();
            assertImage(want, dev.snapshot());
        }
        assertEquals(0, dev.openTransports());
    }

    @Test
    void modesFromEdidAndSizeInMillimetres() throws Exception {
        VirtualGudDevice dev = new VirtualGudDevice(VirtualGudDevice.Config.defaults(320, 240).withModesViaEdid(true));
        try (GudRig rig = new GudRig()) {
            Device d = rig.bind("gud0", dev).device();
            assertEquals(320, d.info().width());
            assertEquals(240, d.info().height());
            assertEquals(64, d.info().widthMm());
            assertEquals(48, d.info().heightMm());
            Framebuffer fb = GudRig.pattern(320, 240, PixelFormat.XRGB8888, 3);
            d.flush(fb, fb.bounds());
            assertImage(GudRig.expected(fb, VirtualGudFormat.XRGB8888), dev.snapshot());
        }
    }

    @Test
    void rgb565ClientOnRgb565DeviceIsSentUnchangedAndSwitchesStateFormat() throws Exception {
        VirtualGudDevice dev = new VirtualGudDevice(VirtualGudDevice.Config.defaults(40, 30)
                .withFormats(VirtualGudFormat.XRGB8888, VirtualGudFormat.RGB565));
        try (GudRig rig = new GudRig()) {
            Device d = rig.bind("gud0", dev).device();
            assertEquals(VirtualGudFormat.XRGB8888, dev.committedFormat());
            Framebuffer fb = GudRig.pattern(40, 30, PixelFormat.RGB565, 4);
            d.flush(fb, fb.bounds());
            assertEquals(VirtualGudFormat.RGB565, dev.committedFormat(), "a new state with the client's format was committed");
            assertImage(GudRig.expected(fb, VirtualGudFormat.RGB565), dev.snapshot());
            assertEquals(2L * 40 * 30, dev.bulkBytes());
        }
    }

    static void assertImage(RgbImage want, RgbImage got) {
        assertNull(want.firstDifference(got));
    }
}
