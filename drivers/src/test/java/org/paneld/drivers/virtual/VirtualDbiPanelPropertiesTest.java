package org.paneld.drivers.virtual;

import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.util.Random;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.paneld.drivers.pixel.Convert;
import org.paneld.drivers.pixel.Framebuffer;
import org.paneld.drivers.pixel.PixelFormat;
import org.paneld.drivers.pixel.Rect;
import org.paneld.drivers.pixel.RgbImage;
import org.paneld.drivers.testkit.PixelOracle;

/**
 * Conversion and emulator agree: random damage rectangles, drawn the two ways a driver can rotate
 * (MADCTL, or software rotation with {@link Convert}'s rotated output into the mounted frame),
 * at 16 and 18 bits, leave exactly the client image (quantised) in {@code snapshot(rotation)}.
 * The expected image comes from {@link PixelOracle} (the kernel's formulas), not from Convert.
 */
class VirtualDbiPanelPropertiesTest {
    static final DbiModel[] MODELS = {DbiModel.st7735r(), DbiModel.rh128128t(), DbiModel.st7735rOffset(),
        DbiModel.generic(23, 17).toBuilder().glass(2, 3, 19, 11).mount(0xA0).build(),
        DbiModel.generic(16, 9).toBuilder().mount(0x40).bgrPanel(true).build()};

    @Property(tries = 60)
    void damageRectanglesShowUpright(@ForAll @IntRange(min = 0, max = 4) int modelIndex,
                                     @ForAll @IntRange(min = 0, max = 3) int quarter,
                                     @ForAll boolean software, @ForAll boolean eighteenBit,
                                     @ForAll boolean rgb565Client, @ForAll long seed) {
        DbiModel m = MODELS[modelIndex];
        int rotation = quarter * 90;
        boolean turned = rotation == 90 || rotation == 270;
        int w = turned ? m.viewHeight() : m.viewWidth(), h = turned ? m.viewWidth() : m.viewHeight();
        Random rnd = new Random(seed);
        PixelFormat clientFormat = rgb565Client ? PixelFormat.RGB565 : PixelFormat.XRGB8888;
        Framebuffer fb = Framebuffer.allocate(w, h, clientFormat);
        fill(fb, fb.bounds(), rnd);

        VirtualDbiPanel p = VirtualDbiPanelTest.awake(m, eighteenBit ? 0x66 : 0x55);
        int bits = software ? m.madctlFor(0) : m.madctlFor(rotation);
        int[] off = m.ramOffset(bits);
        VirtualDbiPanelTest.cmd(p, 0x36, bits | (m.bgrPanel() ? 0x08 : 0));
        flush(p, fb, fb.bounds(), software ? rotation : 0, eighteenBit, off);
        for (int k = 0; k < 4; k++) {
            int x = rnd.nextInt(w), y = rnd.nextInt(h);
            Rect r = new Rect(x, y, 1 + rnd.nextInt(w - x), 1 + rnd.nextInt(h - y));
            fill(fb, r, rnd);
            flush(p, fb, r, software ? rotation : 0, eighteenBit, off);
        }
        RgbImage want = RgbImage.blank(w, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                want.set(x, y, PixelOracle.shown(fb, x, y, eighteenBit));
            }
        }
        assertNull(want.firstDifference(p.snapshot(rotation)),
                m + " rotation " + rotation + (software ? " (software)" : " (MADCTL)") + (eighteenBit ? " 18-bit" : ""));
        p.assertNoViolations();
    }

    static void fill(Framebuffer fb, Rect r, Random rnd) {
        for (int y = r.y(); y < r.bottom(); y++) {
            for (int x = r.x(); x < r.right(); x++) {
                PixelOracle.put(fb, x, y, rnd.nextInt(0x1000000));
            }
        }
    }

    /** What a driver's flush does: the window (rotated for software rotation, plus RAM offsets), RAMWR, pixels in chunks. */
    static void flush(VirtualDbiPanel p, Framebuffer fb, Rect damage, int softRotation, boolean eighteenBit, int[] off) {
        Rect win = Convert.rotate(damage, fb.width(), fb.height(), softRotation);
        VirtualDbiPanelTest.window(p, off[0] + win.x(), off[1] + win.y(), off[0] + win.x() + win.width() - 1,
                off[1] + win.y() + win.height() - 1);
        PixelFormat wire = eighteenBit ? PixelFormat.RGB666 : PixelFormat.RGB565_BE;
        ByteBuffer out = ByteBuffer.allocate(Convert.outputBytes(damage, wire));
        Convert.convert(fb, damage, softRotation, wire, false, out);
        VirtualDbiPanelTest.cmd(p, 0x2C);
        byte[] bytes = out.array();
        for (int o = 0; o < bytes.length; o += 4096) { // spidev-sized transfers, pixels may straddle them
            p.write(true, bytes, o, Math.min(4096, bytes.length - o));
        }
    }
}
