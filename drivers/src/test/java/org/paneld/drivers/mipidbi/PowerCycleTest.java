package org.paneld.drivers.mipidbi;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.paneld.drivers.core.BusDevice;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.core.Driver;
import org.paneld.drivers.core.VirtualHardware;
import org.paneld.drivers.gud.GudDriver;
import org.paneld.drivers.pixel.Framebuffer;
import org.paneld.drivers.pixel.PixelFormat;
import org.paneld.drivers.pixel.Rect;
import org.paneld.drivers.pixel.RgbImage;
import org.paneld.drivers.repaper.RepaperDriver;
import org.paneld.drivers.spi.Sleeper;
import org.paneld.drivers.st7586.St7586Driver;
import org.paneld.drivers.testkit.LifecycleKit;
import org.paneld.drivers.virtual.VirtualDbiPanel;
import org.paneld.drivers.virtual.VirtualFbDriver;

/**
 * Switching a panel off and on keeps its picture, for every driver (each MIPI DBI variant, st7586,
 * repaper, gud, virtual-fb) on its virtual backend: draw, power 0, power 1 (and disable/enable),
 * and the panel shows the drawing again — the device re-sends the buffer it was last flushed from,
 * as the kernel re-sends its framebuffer on enable.
 */
class PowerCycleTest {
    @RegisterExtension
    final LifecycleKit kit = new LifecycleKit(drivers());

    private static Driver[] drivers() {
        List<Driver> d = new ArrayList<>(List.of(Panels.allDrivers()));
        d.add(new St7586Driver());
        d.add(new RepaperDriver());
        d.add(new GudDriver());
        d.add(new VirtualFbDriver());
        return d.toArray(new Driver[0]);
    }

    static Stream<Arguments> devices() {
        List<Arguments> out = new ArrayList<>();
        for (Panels.Variant v : Panels.variants()) {
            out.add(Arguments.of(v.label(), v.driverName(), v.config()));
        }
        out.add(Arguments.of("mi0283qt write-only", "mi0283qt", new Object[] {"write_only", true}));
        out.add(Arguments.of("mi0283qt rotated", "mi0283qt", new Object[] {"rotation", 90}));
        out.add(Arguments.of("st7586", "st7586", new Object[] {}));
        out.add(Arguments.of("repaper", "repaper", new Object[] {"panel", "e1144cs021", "dither", "threshold"}));
        out.add(Arguments.of("gud", "gud", new Object[] {"width", 64L, "height", 48L, "connector_poll", false}));
        out.add(Arguments.of("virtual-fb", "virtual-fb", new Object[] {"width", 64, "height", 48}));
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("devices")
    void powerOffAndOnKeepsThePicture(String label, String driver, Object[] config) throws Exception {
        BusDevice bd = kit.addVirtual("lcd0", driver, config);
        bd.attach(Sleeper.class, us -> { });
        kit.bind("lcd0");
        Device dev = kit.device("lcd0");
        VirtualHardware hw = bd.attachment(VirtualHardware.class).orElseThrow();
        Supplier<RgbImage> shown = () -> {
            if (dev.display() instanceof org.paneld.drivers.repaper.RepaperDisplay) {
                try { // e-paper refreshes run on the display's own thread
                    ((org.paneld.drivers.repaper.RepaperDisplay) dev.display()).awaitIdle();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }
            return hw.snapshot();
        };
        int w = dev.info().width(), h = dev.info().height();
        Framebuffer a = Panels.framebuffer(w, h, PixelFormat.XRGB8888, 1);
        dev.flush(a, a.bounds());
        Framebuffer b = Panels.framebuffer(w, h, PixelFormat.XRGB8888, 2);
        Rect part = new Rect(1, 2, Math.min(9, w - 1), Math.min(7, h - 2));
        for (int y = part.y(); y < part.y() + part.height(); y++) { // the client draws into its buffer ...
            for (int x = part.x(); x < part.x() + part.width(); x++) {
                a.setRgb(x, y, b.rgb(x, y));
            }
        }
        dev.flush(a, part); // ... and flushes the damage
        RgbImage drawing = shown.get();
        assertNotEquals(RgbImage.blank(drawing.width(), drawing.height()), drawing);

        dev.setProperty("power", 0);
        dev.setProperty("power", 1);
        assertNull(drawing.firstDifference(shown.get()), label + ": after power 0 / power 1");

        dev.disable();
        dev.enable();
        assertNull(drawing.firstDifference(shown.get()), label + ": after disable / enable");

        // a flush while off is what shows after power 1
        dev.setProperty("power", 0);
        dev.flush(b, b.bounds());
        dev.setProperty("power", 1);
        Framebuffer only = Panels.framebuffer(w, h, PixelFormat.XRGB8888, 2);
        dev.flush(only, only.bounds());
        RgbImage second = shown.get();
        dev.setProperty("power", 0);
        dev.setProperty("power", 1);
        assertNull(second.firstDifference(shown.get()), label + ": the frame flushed while off");
        if (hw instanceof VirtualDbiPanel) {
            ((VirtualDbiPanel) hw).assertNoViolations();
        }
    }
}
