package org.paneld.drivers.st7586;

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
import org.paneld.drivers.repaper.TestImages;
import org.paneld.drivers.testkit.LifecycleKit;
import org.paneld.drivers.testkit.PixelOracle;
import org.paneld.drivers.virtual.VirtualSt7586;

/**
 * {@code damage = "auto"} on the ST7586 (grain: 3-pixel column bytes), every rotation: random
 * client frames flushed with damage lists that cover the changes; after each update the emulator
 * shows the client's whole buffer, and the bytes on the wire (pixel bytes plus 11 command bytes
 * per window) never exceed the kernel's one window over the damage's bounding rectangle, widened
 * to column triplets.
 */
class St7586ShadowPropertiesTest {

    record Change(int x, int y, int w, int h, int seed, boolean wholeHint) {
    }

    @Provide
    Arbitrary<List<Change>> changes() {
        Arbitrary<Integer> pos = Arbitraries.integers().between(0, 1000);
        Arbitrary<Integer> size = Arbitraries.oneOf(Arbitraries.integers().between(0, 30), Arbitraries.integers().between(0, 1000));
        return Combinators.combine(pos, pos, size, size, Arbitraries.integers().between(0, 50), Arbitraries.of(true, false))
                .as(Change::new).list().ofMinSize(1).ofMaxSize(6);
    }

    @Property(tries = 8)
    void panelEqualsClientBufferWithinTheKernelsBytes(@ForAll("changes") List<Change> steps) throws Exception {
        for (int rotation = 0; rotation < 360; rotation += 90) {
            LifecycleKit kit = new LifecycleKit(new St7586Driver());
            kit.start();
            try {
                kit.addVirtual("lcd", "st7586", "rotation", rotation);
                Device d = kit.bind("lcd").device();
                VirtualSt7586 v = kit.hardware("lcd", VirtualSt7586.class);
                int w = d.info().width(), h = d.info().height();
                Framebuffer fb = Framebuffer.allocate(w, h, PixelFormat.XRGB8888);
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        PixelOracle.put(fb, x, y, 0xFFFFFF); // the panel starts white
                    }
                }
                for (Change c : steps) {
                    int rx = c.x() * (w - 1) / 1000, ry = c.y() * (h - 1) / 1000;
                    Rect r = new Rect(rx, ry, 1 + c.w() * (w - rx - 1) / 1000, 1 + c.h() * (h - ry - 1) / 1000);
                    Framebuffer pic = TestImages.picture(w, h, PixelFormat.XRGB8888, c.seed());
                    for (int y = r.y(); y < r.bottom(); y++) {
                        for (int x = r.x(); x < r.right(); x++) {
                            PixelOracle.put(fb, x, y, pic.rgb(x, y));
                        }
                    }
                    List<Rect> damage = new ArrayList<>(List.of(c.wholeHint() ? fb.bounds() : r));
                    long ram0 = v.ramBytesWritten();
                    v.clearLog();
                    d.flush(fb, damage);
                    long windows = v.commandLog().stream().filter(s -> s.startsWith("2c")).count();
                    long sent = v.ramBytesWritten() - ram0 + 11 * windows;
                    Rect g = St7586DriverTest.glassBytesOf(damage.get(0), rotation);
                    long kernel = (long) (g.width() / 3) * g.height() + 11;
                    assertTrue(sent <= kernel, "rotation " + rotation + ", damage " + damage + ": " + sent + " > " + kernel);
                    assertNull(St7586DriverTest.expected(fb).firstDifference(v.snapshot()),
                            "rotation " + rotation + " after " + c);
                }
                assertEquals(List.of(), v.violations());
            } finally {
                kit.finish();
            }
        }
    }
}
