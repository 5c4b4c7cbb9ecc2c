package org.paneld.drivers.mipidbi;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.pixel.Framebuffer;
import org.paneld.drivers.pixel.PixelFormat;
import org.paneld.drivers.pixel.Rect;
import org.paneld.drivers.pixel.RgbImage;
import org.paneld.drivers.testkit.LifecycleKit;
import org.paneld.drivers.testkit.PixelOracle;
import org.paneld.drivers.virtual.VirtualDbiPanel;

/**
 * {@code damage = "auto"} with several rectangles: pixels the client changed between them (inside
 * their bounding rectangle, outside every one of them) stay off the panel until a flush names
 * them, as PROTOCOL.md says for FLUSH (a client may be drawing there). The libpaneld test found
 * the first version sending the whole bounding rectangle's changes.
 */
class DamageOutsideRectanglesTest {

    @Test
    void onlyTheNamedRectanglesReachThePanelAtEveryRotation() throws Exception {
        Panels.Variant base = Panels.variants().get(0);
        Panels.Variant v = new Panels.Variant(base.label(), base.driver(), base.driverName(),
                base.configWith("damage", "auto"), base.model());
        for (int rotation = 0; rotation < 360; rotation += 90) {
            LifecycleKit kit = new LifecycleKit(Panels.allDrivers());
            kit.start();
            try {
                VirtualDbiPanel panel = new VirtualDbiPanel(v.model());
                Device dev = DrawingTest.bind(kit, v, rotation, panel);
                int view = DrawingTest.viewRotation(v, rotation);
                int w = dev.info().width(), h = dev.info().height();
                WireFormat wire = v.driver().wireFormat(v.driver().panelConfig(dev.config()));
                Framebuffer fb = Framebuffer.allocate(w, h, PixelFormat.XRGB8888);
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        PixelOracle.put(fb, x, y, 0x204060);
                    }
                }
                dev.flush(fb, Rect.of(w, h));
                RgbImage before = Panels.expected(fb, wire);
                PixelOracle.put(fb, 5, 5, 0xFF0000);
                PixelOracle.put(fb, 40, 40, 0x00FF00); // between the two rectangles: the client is still drawing there
                PixelOracle.put(fb, 80, 80, 0x0000FF);
                dev.flush(fb, List.of(new Rect(5, 5, 1, 1), new Rect(80, 80, 1, 1)));
                RgbImage shown = panel.snapshot(view);
                String at = v + " at " + rotation;
                assertEquals(Panels.shown(fb, 5, 5, wire), shown.get(5, 5), at);
                assertEquals(Panels.shown(fb, 80, 80, wire), shown.get(80, 80), at);
                assertEquals(before.get(40, 40), shown.get(40, 40), at + ": a pixel outside both rectangles reached the panel");
                dev.flush(fb, List.of(new Rect(40, 40, 1, 1)));
                assertNull(Panels.expected(fb, wire).firstDifference(panel.snapshot(view)), at);
                panel.assertNoViolations();
            } finally {
                kit.finish();
            }
        }
    }
}
