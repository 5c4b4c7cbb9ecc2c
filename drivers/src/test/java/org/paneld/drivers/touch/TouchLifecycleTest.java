package org.paneld.drivers.touch;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.core.Driver;
import org.paneld.drivers.core.NoDeviceException;
import org.paneld.drivers.display.TouchEvent;
import org.paneld.drivers.display.TouchInput;
import org.paneld.drivers.display.TouchSimulator;
import org.paneld.drivers.mipidbi.MipiDbiDrivers;
import org.paneld.drivers.pixel.Framebuffer;
import org.paneld.drivers.pixel.PixelFormat;
import org.paneld.drivers.pixel.RgbImage;
import org.paneld.drivers.spi.Sleeper;
import org.paneld.drivers.testkit.LifecycleKit;
import org.paneld.drivers.testkit.PixelOracle;
import org.paneld.drivers.testkit.Waits;
import org.paneld.drivers.virtual.VirtualDbiPanel;
import org.paneld.drivers.virtual.VirtualStmpe610;
import org.paneld.drivers.virtual.VirtualTouchChip;
import org.paneld.drivers.virtual.VirtualXpt2046;

/**
 * The touch controller as a resource of its display's binding: sharing the panel's SPI bus while
 * full frames stream (every touch delivered, every frame intact, touch samples taken between two
 * pixel chunks), unplug with the finger down (no UP after unplug, ENODEV for the display, the
 * sampling thread gone, nothing leaked, a rebind works), and the STMPE610's GPIO2 as the PiTFT
 * backlight.
 */
class TouchLifecycleTest {
    @RegisterExtension
    final LifecycleKit kit = new LifecycleKit(MipiDbiDrivers.all().toArray(new Driver[0]));

    private Device bind(Object... config) throws Exception {
        kit.addVirtual("lcd0", "mi0283qt", config).attach(Sleeper.class, us -> { });
        kit.bind("lcd0");
        return kit.device("lcd0");
    }

    private static TouchRig rig(TouchInput input) {
        TouchSimulator sim = input.simulator().orElseThrow();
        return new TouchRig(input, new TouchRig.Finger() {
            @Override
            public void press(int x, int y) {
                sim.press(x, y);
            }

            @Override
            public void lift() {
                sim.release();
            }
        });
    }

    private static Framebuffer picture(int w, int h, int seed) {
        Framebuffer fb = Framebuffer.allocate(w, h, PixelFormat.XRGB8888);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                PixelOracle.put(fb, x, y, colour(x, y, seed));
            }
        }
        return fb;
    }

    private static int colour(int x, int y, int seed) {
        return (x * 7 + y * 13 + seed * 101) * 2654435 & 0xFFFFFF;
    }

    /** What the panel shows for picture {@code seed} over RGB565 (the kernel's conversion, computed here). */
    private static int[] shown(int w, int h, int seed) {
        int[] out = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out[y * w + x] = PixelOracle.rgb565ToXrgb8888(PixelOracle.xrgb8888ToRgb565(colour(x, y, seed)));
            }
        }
        return out;
    }

    @Test
    void touchesDuringAStreamOfFullFramesAreAllDeliveredAndNoFrameIsCorrupted() throws Exception {
        Device dev = bind("rotation", 90, "touch.driver", "xpt2046", "touch.irq_gpio", 25, "touch.noise", 12);
        VirtualDbiPanel panel = kit.hardware("lcd0", VirtualDbiPanel.class);
        VirtualXpt2046 chip = (VirtualXpt2046) panel.touch().orElseThrow();
        TouchInput input = dev.display().touch().orElseThrow();
        TouchRig rig = rig(input);
        int w = dev.info().width(), h = dev.info().height();
        rig.calibrate(TouchRig.fivePoints(w, h));
        dev.enable();
        Framebuffer[] frames = {picture(w, h, 1), picture(w, h, 2), picture(w, h, 3)};
        int[][] expected = {shown(w, h, 1), shown(w, h, 2), shown(w, h, 3)};
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger flushed = new AtomicInteger();
        List<String> corrupted = new CopyOnWriteArrayList<>();
        Waits.Task<Void> stream = Waits.task("frames", () -> {
            for (int i = 0; !stop.get(); i++) {
                Framebuffer f = frames[i % 3];
                dev.flush(f, f.bounds());
                RgbImage seen = panel.snapshot();
                if (!java.util.Arrays.equals(seen.rgb(), expected[i % 3])) {
                    corrupted.add("frame " + i);
                }
                flushed.incrementAndGet();
            }
        }).start();
        org.awaitility.Awaitility.await().atMost(Waits.LONG).until(() -> flushed.get() >= 1); // warmed up
        long sandwichesBefore = panel.spiBus().sandwiches();
        int framesBefore = flushed.get();
        int taps = 0;
        // tap on until at least four frames went by (every tap is checked), then swipe
        while (flushed.get() - framesBefore < 4 && taps < 500) {
            int x = (taps * 37 + 5) % w, y = (taps * 53 + 9) % h;
            rig.tap(x, y);
            taps++;
        }
        rig.swipe(5, 5, w - 6, h - 6, 10);
        int framesDuring = flushed.get() - framesBefore;
        stop.set(true);
        stream.get();
        assertTrue(corrupted.isEmpty(), "frames not shown as sent while touches were sampled: " + corrupted);
        assertTrue(framesDuring > 0, "frames streamed while the finger tapped " + taps + " times: " + framesDuring);
        assertTrue(panel.spiBus().sandwiches() > sandwichesBefore,
                "no touch sample was taken between two pixel chunks of a frame (" + framesDuring + " frames, "
                        + chip.conversions() + " conversions)");
        panel.spiBus().assertNoViolations();
        chip.assertNoViolations();
        panel.assertNoViolations();
    }

    @Test
    void unplugWithTheFingerDownInventsNoUpAndLeaksNothing() throws Exception {
        Device dev = bind("touch.driver", "ads7846", "touch.irq_gpio", 25, "touch.noise", 12);
        VirtualDbiPanel panel = kit.hardware("lcd0", VirtualDbiPanel.class);
        VirtualTouchChip chip = panel.touch().orElseThrow();
        TouchController input = (TouchController) dev.display().touch().orElseThrow();
        AtomicBoolean unplugged = new AtomicBoolean();
        List<TouchEvent> afterUnplug = new CopyOnWriteArrayList<>();
        input.addListener(e -> {
            if (unplugged.get()) {
                afterUnplug.add(e);
            }
        });
        TouchRig rig = rig(input);
        TouchEvent down = rig.down(100, 100);
        assertEquals(TouchEvent.Kind.DOWN, down.kind());
        input.simulator().orElseThrow().press(120, 110); // still down and moving while the panel goes
        kit.bus().binding("lcd0").orElseThrow().yank();
        unplugged.set(true);
        assertFalse(input.isSampling(), "the sampling thread ended with the hardware scope");
        input.simulator().orElseThrow().release(); // the finger lifts after the panel is gone
        assertTrue(afterUnplug.isEmpty(), "events after unplug: " + afterUnplug);
        for (TouchEvent e : rig.events) {
            assertNotEquals(TouchEvent.Kind.UP, e.kind(), "an UP was invented: " + e);
        }
        Framebuffer f = picture(320, 240, 1);
        NoDeviceException gone = assertThrows(NoDeviceException.class, () -> dev.flush(f, f.bounds()));
        assertNotNull(gone.getMessage());
        chip.assertNoViolations(); // no access after the driver released its ports
        // a rebind finds the controller again
        kit.bind("lcd0");
        TouchInput again = kit.device("lcd0").display().touch().orElseThrow();
        TouchRig rig2 = rig(again);
        rig2.down(50, 60);
        rig2.liftAnywhere();
        chip.assertNoViolations();
    }

    @Test
    void theStmpe610sGpio2IsThePitftBacklight() throws Exception {
        Device dev = bind("touch.driver", "stmpe610", "touch.irq_gpio", 24, "touch.backlight", true);
        VirtualDbiPanel panel = kit.hardware("lcd0", VirtualDbiPanel.class);
        VirtualStmpe610 chip = (VirtualStmpe610) panel.touch().orElseThrow();
        dev.enable();
        assertEquals(0x04, chip.gpioLevels() & 0x04, "GPIO2 high: backlight on");
        assertEquals(100, panel.backlight());
        assertTrue(dev.info().properties().stream().anyMatch(p -> p.name().equals("backlight")));
        dev.setProperty("backlight", 0);
        assertEquals(0, chip.gpioLevels() & 0x04);
        assertEquals(0, panel.backlight());
        dev.setProperty("backlight", 60);
        assertEquals(0x04, chip.gpioLevels() & 0x04, "a GPIO backlight is on for any level above 0");
        dev.disable();
        assertEquals(0, chip.gpioLevels() & 0x04, "disable switches the backlight off");
        chip.assertNoViolations();
        panel.spiBus().assertNoViolations();
    }
}
