package org.paneld.drivers.virtual;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.paneld.drivers.core.ConfigException;
import org.paneld.drivers.core.DeviceConfig;
import org.paneld.drivers.display.TouchEvent;
import org.paneld.drivers.display.TouchInput;
import org.paneld.drivers.testkit.LifecycleKit;

/** The virtual-fb touch: DOWN/MOVE/UP from its simulator, its raw range mapped back exactly, silent after unbind. */
class VirtualFbTouchTest {
    @RegisterExtension
    final LifecycleKit kit = new LifecycleKit(new VirtualFbDriver());

    @Test
    void reportsTheFingerInDisplayPixelsAndNothingAfterUnbind() throws Exception {
        kit.addVirtual("tp", "virtual-fb", "width", 40, "height", 30, "touch.driver", "virtual-fb");
        kit.bind("tp");
        TouchInput in = kit.device("tp").display().touch().orElseThrow();
        assertEquals("virtual-fb", in.driver());
        List<TouchEvent> got = new CopyOnWriteArrayList<>();
        in.addListener(got::add);
        var finger = in.simulator().orElseThrow();
        finger.press(3, 4);
        finger.press(39, 29);
        finger.release();
        finger.release(); // lifted already: nothing
        assertEquals(List.of(TouchEvent.Kind.DOWN, TouchEvent.Kind.MOVE, TouchEvent.Kind.UP), got.stream().map(TouchEvent::kind).toList());
        assertEquals(3, got.get(0).x());
        assertEquals(4, got.get(0).y());
        assertEquals(VirtualFbTouch.rawX(3), got.get(0).rawX());
        assertEquals(VirtualFbTouch.rawY(4), got.get(0).rawY());
        assertEquals(39, got.get(2).x());
        assertEquals(29, got.get(2).y());
        for (int x = 0; x < 40; x++) {
            for (int y = 0; y < 30; y++) {
                assertEquals(x, VirtualFbTouch.DEFAULT_CALIBRATION.x(VirtualFbTouch.rawX(x), VirtualFbTouch.rawY(y)));
                assertEquals(y, VirtualFbTouch.DEFAULT_CALIBRATION.y(VirtualFbTouch.rawX(x), VirtualFbTouch.rawY(y)));
            }
        }
        finger.press(5, 5);
        kit.bus().unbind("tp");
        finger.release();
        finger.press(6, 6);
        assertEquals(TouchEvent.Kind.DOWN, got.get(got.size() - 1).kind(), "no UP, nothing at all after unbind");
    }

    @Test
    void noTouchUnlessConfiguredAndBadCalibrationsAreRefused() throws Exception {
        kit.addVirtual("fb", "virtual-fb", "width", 8, "height", 8);
        kit.bind("fb");
        assertTrue(kit.device("fb").display().touch().isEmpty());
        VirtualFbDriver d = new VirtualFbDriver();
        ConfigException e = assertThrows(ConfigException.class, () -> d.validate(DeviceConfig.of("p", "backend", "virtual",
                "touch.driver", "virtual-fb", "touch.calibration", "1,2,0,2,4,0,1")));
        assertTrue(e.getMessage().contains("key 'touch.calibration'") && e.getMessage().contains("onto one line"), e.getMessage());
        ConfigException f = assertThrows(ConfigException.class, () -> d.validate(DeviceConfig.of("p", "backend", "virtual",
                "touch.driver", "xpt2046")));
        assertTrue(f.getMessage().contains("key 'touch.driver'"), f.getMessage());
        ConfigException g = assertThrows(ConfigException.class, () -> d.validate(DeviceConfig.of("p", "backend", "virtual",
                "touch.driver", "virtual-fb", "touch.swap_xy", true)));
        assertTrue(g.getMessage().contains("touch.swap_xy"), g.getMessage());
        d.validate(DeviceConfig.of("p", "backend", "virtual", "touch.driver", "virtual-fb", "touch.calibration", "1, 0, 0, 0, 1, 0, 1"));
    }
}
