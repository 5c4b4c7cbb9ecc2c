package org.paneld.drivers.mipidbi;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.pixel.Framebuffer;
import org.paneld.drivers.pixel.PixelFormat;
import org.paneld.drivers.pixel.Rect;
import org.paneld.drivers.pixel.RgbImage;
import org.paneld.drivers.testkit.LifecycleKit;
import org.paneld.drivers.testkit.PixelOracle;
import org.paneld.drivers.virtual.DbiCommand;
import org.paneld.drivers.virtual.VirtualDbiPanel;

/**
 * {@code damage = "auto"}: random sequences of client frames (patterns and solid fills in random
 * rectangles, one-pixel scrolls of the whole frame, no change at all) flushed with random damage
 * lists that cover the changes (exactly, enlarged, the whole frame, or with an extra unchanged
 * rectangle), on every driver variant at every rotation: after each update the emulator shows the
 * client's whole buffer, and the bytes the controller received (commands, parameters, pixels)
 * never exceed what the kernel's single bounding rectangle of the damage costs.
 */
class ShadowDamagePropertiesTest {

    /** A rectangle as fractions of the display (0–1000), so it fits any size. */
    record Frac(int x, int y, int w, int h) {
        Rect in(int width, int height) {
            int rx = x * (width - 1) / 1000, ry = y * (height - 1) / 1000;
            int rw = 1 + w * (width - rx - 1) / 1000, rh = 1 + h * (height - ry - 1) / 1000;
            return new Rect(rx, ry, rw, rh);
        }
    }

    /** One client update: its changes (kind 0 pattern, 1 solid, 2 scroll all), how the damage covers them. */
    record Step(List<Frac> changes, int kind, int hint, int seed, Frac extra) {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Integer> pos = Arbitraries.integers().between(0, 1000);
        Arbitrary<Integer> size = Arbitraries.oneOf(Arbitraries.integers().between(0, 20),
                Arbitraries.integers().between(0, 1000));
        Arbitrary<Frac> frac = Combinators.combine(pos, pos, size, size).as(Frac::new);
        Arbitrary<Step> step = Combinators.combine(frac.list().ofMaxSize(3), Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 1000), frac).as(Step::new);
        return step.list().ofMinSize(1).ofMaxSize(4);
    }

    @Property(tries = 3)
    void panelEqualsClientBufferAndWireNeverExceedsTheKernelsBoundingRectangle(
            @ForAll("steps") List<Step> steps, @ForAll boolean rgb565Client) throws Exception {
        for (Panels.Variant base : Panels.variants()) {
            Panels.Variant v = new Panels.Variant(base.label(), base.driver(), base.driverName(),
                    base.configWith("damage", "auto"), base.model());
            for (int rotation = 0; rotation < 360; rotation += 90) {
                run(v, rotation, steps, rgb565Client ? PixelFormat.RGB565 : PixelFormat.XRGB8888);
            }
        }
    }

    private static void run(Panels.Variant v, int rotation, List<Step> steps, PixelFormat format) throws Exception {
        LifecycleKit kit = new LifecycleKit(Panels.allDrivers());
        kit.start();
        try {
            VirtualDbiPanel panel = new VirtualDbiPanel(v.model());
            panel.setCommandLogCapacity(100_000);
            Device dev = DrawingTest.bind(kit, v, rotation, panel);
            int view = DrawingTest.viewRotation(v, rotation);
            int w = dev.info().width(), h = dev.info().height();
            WireFormat wire = v.driver().wireFormat(v.driver().panelConfig(dev.config()));
            Framebuffer fb = Framebuffer.allocate(w, h, format);
            for (Step s : steps) {
                List<Rect> damage = apply(fb, s, w, h);
                panel.clearCommandLog();
                dev.flush(fb, damage);
                Rect box = damage.get(0);
                for (Rect r : damage) {
                    box = box.union(r);
                }
                long kernel = box.area() * wire.bytesPerPixel() + 11;
                long sent = 0;
                for (DbiCommand c : panel.commandLog()) {
                    sent += 1 + c.params().length + c.dataBytes();
                }
                String where = v + " at " + rotation + ", " + format + ", step " + s + ", damage " + damage;
                assertTrue(sent <= kernel, where + ": " + sent + " bytes on the wire, the kernel's bounding rectangle costs " + kernel);
                RgbImage expected = RgbImage.blank(w, h);
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        expected.set(x, y, Panels.shown(fb, x, y, wire));
                    }
                }
                String diff = expected.firstDifference(panel.snapshot(view));
                assertNull(diff, where + ": " + diff);
            }
            panel.assertNoViolations();
        } finally {
            kit.finish();
        }
    }

    /** Changes the client's buffer as the step says; returns the damage list the client flushes. */
    private static List<Rect> apply(Framebuffer fb, Step s, int w, int h) {
        List<Rect> changed = new ArrayList<>();
        if (s.kind() == 2) {
            for (int y = 0; y < h - 1; y++) {
                for (int x = 0; x < w; x++) {
                    PixelOracle.put(fb, x, y, fb.rgb(x, y + 1));
                }
            }
            for (int x = 0; x < w; x++) {
                PixelOracle.put(fb, x, h - 1, Panels.picture(x, s.seed() % h, w, h, s.seed()));
            }
            changed.add(Rect.of(w, h));
        } else {
            for (Frac f : s.changes()) {
                Rect r = f.in(w, h);
                int solid = s.seed() * 0x9E3779B1 & 0xFFFFFF;
                for (int y = r.y(); y < r.bottom(); y++) {
                    for (int x = r.x(); x < r.right(); x++) {
                        PixelOracle.put(fb, x, y, s.kind() == 0 ? Panels.picture(x, y, w, h, s.seed()) : solid);
                    }
                }
                changed.add(r);
            }
        }
        List<Rect> damage = new ArrayList<>();
        switch (s.hint()) {
            case 1:
                for (Rect r : changed) {
                    damage.add(new Rect(r.x() - Math.min(r.x(), 3), r.y() - Math.min(r.y(), 2), r.width(), r.height())
                            .union(new Rect(r.x(), r.y(), (int) Math.min(w - r.x(), r.width() + 4L),
                                    (int) Math.min(h - r.y(), r.height() + 5L))));
                }
                break;
            case 2:
                damage.add(Rect.of(w, h));
                break;
            case 3:
                damage.addAll(changed);
                damage.add(s.extra().in(w, h));
                break;
            default:
                damage.addAll(changed);
        }
        if (damage.isEmpty()) {
            damage.add(new Rect(0, 0, 1, 1));
        }
        return damage;
    }
}
