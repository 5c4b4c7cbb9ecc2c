package org.paneld.drivers.mipidbi;

import static org.junit.jupiter.api.Assertions.*;

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
import org.paneld.drivers.testkit.LifecycleKit;
import org.paneld.drivers.virtual.VirtualDbiPanel;

/**
 * Random sequences of damage rectangles (any position and size, from 1x1 to full screen), in
 * random client formats, on random drivers and rotations: after each flush the panel equals the
 * model "pixels inside the damage take the new picture, the rest keep what they had".
 */
class DamagePropertiesTest {

    /** A rectangle as fractions of the display, so it fits any size. */
    record Frac(int x, int y, int w, int h) {
        Rect in(int width, int height) {
            int rx = x * (width - 1) / 1000, ry = y * (height - 1) / 1000;
            int rw = 1 + w * (width - rx - 1) / 1000, rh = 1 + h * (height - ry - 1) / 1000;
            return new Rect(rx, ry, rw, rh);
        }
    }

    @Provide
    Arbitrary<Frac> rects() {
        Arbitrary<Integer> pos = Arbitraries.integers().between(0, 1000);
        Arbitrary<Integer> size = Arbitraries.oneOf(Arbitraries.integers().between(0, 30),
                Arbitraries.integers().between(0, 1000), Arbitraries.just(1000));
        return Combinators.combine(pos, pos, size, size).as(Frac::new);
    }

    @Property(tries = 40)
    void damageShowsExactlyWhereItWasFlushed(@ForAll @IntRange(min = 0, max = 10) int variantIndex,
                                             @ForAll @IntRange(min = 0, max = 3) int quarter,
                                             @ForAll @Size(min = 1, max = 6) List<@net.jqwik.api.From("rects") Frac> damage,
                                             @ForAll boolean rgb565Client) throws Exception {
        Panels.Variant v = Panels.variants().get(variantIndex);
        int rotation = quarter * 90;
        LifecycleKit kit = new LifecycleKit(Panels.allDrivers());
        kit.start();
        try {
            VirtualDbiPanel panel = new VirtualDbiPanel(v.model());
            Device dev = DrawingTest.bind(kit, v, rotation, panel);
            int view = DrawingTest.viewRotation(v, rotation);
            int w = dev.info().width(), h = dev.info().height();
            WireFormat wire = v.driver().wireFormat(v.driver().panelConfig(dev.config()));
            PixelFormat format = rgb565Client ? PixelFormat.RGB565 : PixelFormat.XRGB8888;
            RgbImage expected = RgbImage.blank(w, h);
            int seed = 10;
            for (Frac f : damage) {
                Framebuffer fb = Panels.framebuffer(w, h, format, seed++);
                Rect r = f.in(w, h);
                dev.flush(fb, r);
                for (int y = r.y(); y < r.y() + r.height(); y++) {
                    for (int x = r.x(); x < r.x() + r.width(); x++) {
                        expected.set(x, y, Panels.shown(fb, x, y, wire));
                    }
                }
                String diff = expected.firstDifference(panel.snapshot(view));
                assertNull(diff, v + " at " + rotation + ", damage " + r + ": " + diff);
            }
            panel.assertNoViolations();
        } finally {
            kit.finish();
        }
    }
}
