package org.paneld.drivers.mipidbi;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.paneld.drivers.core.BusDevice;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.core.VirtualHardware;
import org.paneld.drivers.display.DisplayInfo;
import org.paneld.drivers.pixel.Framebuffer;
import org.paneld.drivers.pixel.PixelFormat;
import org.paneld.drivers.pixel.Rect;
import org.paneld.drivers.pixel.RgbImage;
import org.paneld.drivers.spi.Sleeper;
import org.paneld.drivers.testkit.LifecycleKit;
import org.paneld.drivers.virtual.VirtualDbiPanel;

/**
 * For every driver variant and rotation: a test picture drawn through the driver into the
 * emulated panel of the kernel driver's hardware shows, pixel for pixel, as the picture after the
 * panel's colour quantisation — full frames from XRGB8888 and RGB565 clients, then partial
 * damage at odd positions and sizes (1x1 corners, odd rectangles, rectangles bigger than one
 * transfer chunk, full screen) on top of an earlier frame. The emulator must report no protocol
 * violation (including its reset/sleep timing rules, with skipped waits declared to it).
 */
class DrawingTest {
    @RegisterExtension
    final LifecycleKit kit = new LifecycleKit(Panels.allDrivers());

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Panels.Variant v : Panels.variants()) {
            for (int rotation : new int[] {0, 90, 180, 270}) {
                out.add(Arguments.of(v, rotation));
            }
        }
        return out.stream();
    }

    /** Adds and binds the variant on the emulator preset (not the config-adjusted virtual panel). */
    static Device bind(LifecycleKit kit, Panels.Variant v, int rotation, VirtualDbiPanel panel) throws Exception {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("name", "lcd0");
        m.put("driver", v.driverName());
        m.put("backend", "virtual");
        m.put("rotation", rotation);
        for (int i = 0; i + 1 < v.config().length; i += 2) {
            m.put((String) v.config()[i], v.config()[i + 1]);
        }
        BusDevice bd = new BusDevice("lcd0", v.driverName(),
                new org.paneld.drivers.core.DeviceConfig("test '" + v.label() + "'", m));
        bd.attach(VirtualHardware.class, panel);
        bd.attach(Sleeper.class, us -> { });
        kit.add(bd);
        kit.bind("lcd0");
        return kit.device("lcd0");
    }

    static int viewRotation(Panels.Variant v, int rotation) throws Exception {
        java.util.Map<String, Object> m = new java.util.HashMap<>();
        m.put("driver", v.driverName());
        m.put("backend", "virtual");
        m.put("rotation", rotation);
        for (int i = 0; i + 1 < v.config().length; i += 2) {
            m.put((String) v.config()[i], v.config()[i + 1]);
        }
        MipiDbiDriver d = v.driver();
        return Panels.viewRotation(d, d.panelConfig(new org.paneld.drivers.core.DeviceConfig("t", m)));
    }

    @ParameterizedTest(name = "{0} at {1}°")
    @MethodSource("cases")
    void fullFramesAndPartialDamageShowExactly(Panels.Variant v, int rotation) throws Exception {
        VirtualDbiPanel panel = new VirtualDbiPanel(v.model());
        Device dev = bind(kit, v, rotation, panel);
        int view = viewRotation(v, rotation);
        DisplayInfo info = dev.info();
        int w = info.width(), h = info.height();
        RgbImage shown = panel.snapshot(view);
        assertEquals(w + "x" + h, shown.width() + "x" + shown.height(), "display size vs what the glass shows");
        WireFormat wire = v.driver().wireFormat(v.driver().panelConfig(dev.config()));
        assertEquals(wire.panelFormat(), info.panelFormat());
        assertEquals(RgbImage.blank(w, h), shown, "a fresh enable shows black");

        for (PixelFormat format : new PixelFormat[] {PixelFormat.XRGB8888, PixelFormat.RGB565}) {
            Framebuffer a = Panels.framebuffer(w, h, format, 1);
            dev.flush(a, a.bounds());
            RgbImage expected = Panels.expected(a, wire);
            String diff = expected.firstDifference(panel.snapshot(view));
            assertNull(diff, v + " at " + rotation + "°, full " + format + " frame: " + diff);

            Framebuffer b = Panels.framebuffer(w, h, format, 2);
            int chunkPixels = 4096 / wire.bytesPerPixel();
            Rect[] damage = {
                new Rect(0, 0, 1, 1), new Rect(w - 1, h - 1, 1, 1), new Rect(w - 1, 0, 1, 1), new Rect(0, h - 1, 1, 1),
                new Rect(3, 5, 17, 9), new Rect(w - 7, h - 3, 7, 3), new Rect(1, 2, w - 3, 1), new Rect(w / 2, 1, 1, h - 2),
                new Rect(1, 1, w - 2, Math.min(h - 2, chunkPixels / (w - 2) * 3 + 1)), // several chunks, not row-aligned
            };
            for (Rect r : damage) {
                dev.flush(b, r);
                for (int y = r.y(); y < r.y() + r.height(); y++) {
                    for (int x = r.x(); x < r.x() + r.width(); x++) {
                        expected.set(x, y, Panels.shown(b, x, y, wire));
                    }
                }
                diff = expected.firstDifference(panel.snapshot(view));
                assertNull(diff, v + " at " + rotation + "°, " + format + " damage " + r + ": " + diff);
            }
            dev.flush(b, b.bounds());
            diff = Panels.expected(b, wire).firstDifference(panel.snapshot(view));
            assertNull(diff, v + " at " + rotation + "°, full-screen damage: " + diff);
        }
        panel.assertNoViolations();
    }
}
