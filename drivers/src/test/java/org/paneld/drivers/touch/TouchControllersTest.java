package org.paneld.drivers.touch;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.core.Driver;
import org.paneld.drivers.display.TouchEvent;
import org.paneld.drivers.display.TouchInput;
import org.paneld.drivers.display.TouchSimulator;
import org.paneld.drivers.mipidbi.MipiDbiDrivers;
import org.paneld.drivers.spi.Sleeper;
import org.paneld.drivers.testkit.LifecycleKit;
import org.paneld.drivers.virtual.VirtualDbiPanel;
import org.paneld.drivers.virtual.VirtualTouchChip;

/**
 * Each touch controller on its emulator, on the boards that carry it, at every rotation, with the
 * emulator's noise on: calibrated from tslib's five crosshairs (through the controller's
 * rotation, swap and inversion), then a tap and a swipe arrive as DOWN / MOVE / UP within 2
 * pixels of the finger in display coordinates of the rotated picture. The emulators, the panel's
 * shared SPI bus and the lifecycle kit referee every run.
 */
class TouchControllersTest {
    @RegisterExtension
    final LifecycleKit kit = new LifecycleKit(MipiDbiDrivers.all().toArray(new Driver[0]));

    static Stream<Arguments> boards() {
        List<Arguments> out = new ArrayList<>();
        Object[][] boards = {
            // label, panel driver, touch keys
            {"Watterott RPi-Display (ads7846)", "mi0283qt", new Object[] {"touch.driver", "ads7846", "touch.irq_gpio", 25,
                "touch.noise", 12}},
            {"Waveshare 3.5\" (A) (xpt2046)", "ili9486", new Object[] {"touch.driver", "xpt2046", "touch.irq_gpio", 17,
                "touch.noise", 12}},
            {"xpt2046 polled (no PENIRQ line)", "st7789v", new Object[] {"touch.driver", "xpt2046", "touch.noise", 8}},
            {"PiTFT 2.8\" resistive (stmpe610)", "mi0283qt", new Object[] {"touch.driver", "stmpe610", "touch.irq_gpio", 24,
                "touch.noise", 12}},
            {"PiTFT 3.5\" resistive (stmpe610 on hx8357d)", "hx8357d", new Object[] {"touch.driver", "stmpe610",
                "touch.irq_gpio", 24, "touch.noise", 12}},
            {"PiTFT 2.8\" capacitive (ft6236)", "mi0283qt", new Object[] {"touch.driver", "ft6236", "touch.irq_gpio", 24,
                "touch.noise", 1}},
        };
        for (Object[] b : boards) {
            for (int rotation : new int[] {0, 90, 180, 270}) {
                out.add(Arguments.of(b[0] + " at " + rotation, b[1], b[2], rotation));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("boards")
    void tapAndSwipeLandWhereTheFingerIs(String label, String panelDriver, Object[] touch, int rotation) throws Exception {
        Object[] cfg = new Object[touch.length + 2];
        cfg[0] = "rotation";
        cfg[1] = rotation;
        System.arraycopy(touch, 0, cfg, 2, touch.length);
        kit.addVirtual("lcd0", panelDriver, cfg).attach(Sleeper.class, us -> { });
        kit.bind("lcd0");
        Device dev = kit.device("lcd0");
        VirtualDbiPanel panel = kit.hardware("lcd0", VirtualDbiPanel.class);
        VirtualTouchChip chip = panel.touch().orElseThrow();
        TouchInput input = dev.display().touch().orElseThrow(() -> new AssertionError("no touch on " + label));
        TouchSimulator sim = input.simulator().orElseThrow();
        assertEquals(touch[1], input.driver());
        TouchRig rig = new TouchRig(input, new TouchRig.Finger() {
            @Override
            public void press(int x, int y) {
                sim.press(x, y);
            }

            @Override
            public void lift() {
                sim.release();
            }
        });
        int w = dev.info().width(), h = dev.info().height();
        rig.calibrate(TouchRig.fivePoints(w, h));
        rig.tap(w / 3, h / 4);
        rig.tap(w - 3, h - 2);
        rig.tap(1, h - 1);
        rig.swipe(w / 5, h / 5, w * 4 / 5, h * 3 / 4, 8);
        rig.swipe(w - 10, 10, 10, h / 2, 6);
        chip.assertNoViolations();
        panel.spiBus().assertNoViolations();
        panel.assertNoViolations();
        kit.bus().unbind("lcd0");
        assertFalse(((TouchController) input).isSampling(), "sampling stopped at unbind");
        chip.assertNoViolations();
    }

    @ParameterizedTest(name = "two fingers on the {0} at {1}")
    @org.junit.jupiter.params.provider.CsvSource({"ft6236, 0", "ft6236, 90", "ft6206, 270"})
    void ft62x6ReportsTwoContacts(String driver, int rotation) throws Exception {
        kit.addVirtual("lcd0", "mi0283qt", "rotation", rotation, "touch.driver", driver, "touch.irq_gpio", 24)
                .attach(Sleeper.class, us -> { });
        kit.bind("lcd0");
        Device dev = kit.device("lcd0");
        org.paneld.drivers.virtual.VirtualFt6236 chip = (org.paneld.drivers.virtual.VirtualFt6236)
                kit.hardware("lcd0", VirtualDbiPanel.class).touch().orElseThrow();
        assertEquals(driver.equals("ft6206") ? 0x06 : 0x36, chip.chipId());
        TouchInput input = dev.display().touch().orElseThrow();
        assertEquals(driver, input.driver());
        assertEquals(2, input.maxContacts());
        TouchRig rig = new TouchRig(input, null);
        input.simulator().orElseThrow().press(10, 10);
        TouchEvent first = rig.next("first finger");
        assertEquals(TouchEvent.Kind.DOWN, first.kind());
        assertEquals(0, first.slot());
        chip.pressSecond(100, 100);
        TouchEvent second;
        do {
            second = rig.next("second finger");
        } while (second.slot() == 0);
        assertEquals(TouchEvent.Kind.DOWN, second.kind());
        assertEquals(1, second.slot());
        chip.releaseSecond();
        TouchEvent up;
        do {
            up = rig.next("second finger's UP");
        } while (up.slot() == 0);
        assertEquals(TouchEvent.Kind.UP, up.kind());
        input.simulator().orElseThrow().release();
        do {
            up = rig.next("first finger's UP");
        } while (up.kind() != TouchEvent.Kind.UP);
        assertEquals(0, up.slot());
        chip.assertNoViolations();
    }
}
