package org.paneld.drivers.touch;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.paneld.drivers.core.ConfigException;
import org.paneld.drivers.core.DeviceConfig;
import org.paneld.drivers.core.VirtualHardwareRegistry;
import org.paneld.drivers.display.TouchCalibration;
import org.paneld.drivers.mipidbi.Mi0283qtDriver;

/**
 * The {@code touch.*} keys of a panel, checked with errors that name the key and the value;
 * calibration (tslib's pointercal, raw to display pixels) from 3 and 5 points at every rotation,
 * swap and inversion of the board, the default map through them, and bad calibration values
 * refused.
 */
class TouchConfigTest {
    private static final Mi0283qtDriver DRIVER = new Mi0283qtDriver();

    private static DeviceConfig config(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("driver", "mi0283qt");
        m.put("dc_gpio", 24);
        m.put("reset_gpio", 23);
        m.put("backlight_gpio", 18);
        for (int i = 0; i + 1 < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return new DeviceConfig("paneld.toml, panel 'lcd'", m);
    }

    private static String refused(Object... kv) {
        ConfigException e = assertThrows(ConfigException.class, () -> DRIVER.validate(config(kv)));
        assertTrue(e.getMessage().startsWith("paneld.toml, panel 'lcd'"), e.getMessage());
        return e.getMessage();
    }

    private static void says(String message, String... parts) {
        for (String p : parts) {
            assertTrue(message.contains(p), "'" + message + "' should say " + p);
        }
    }

    @Test
    void theWatterottAndPitftConfigsAreAccepted() throws Exception {
        DRIVER.validate(config("touch.driver", "ads7846", "touch.spi_cs", 1, "touch.spi_speed_hz", 2_000_000,
                "touch.irq_gpio", 25, "touch.swap_xy", true, "touch.invert_x", true,
                "touch.calibration", List.of(-1, 4, 5, 6, 7, 8, 65536)));
        DRIVER.validate(config("touch.driver", "ft6236", "touch.i2c_bus", 1, "touch.address", 0x38, "touch.irq_gpio", 17));
        DRIVER.validate(config("touch.driver", "evdev", "touch.evdev", "ADS7846 Touchscreen"));
        DeviceConfig pitft = config("touch.driver", "stmpe610", "touch.spi_speed_hz", 500_000, "touch.irq_gpio", 22,
                "touch.backlight", true).without(java.util.Set.of("backlight_gpio"));
        DRIVER.validate(pitft);
        TouchConfig tc = DRIVER.touchConfig(pitft, DRIVER.panelConfig(pitft)).orElseThrow();
        assertEquals(1, tc.spiCs(), "the other chip select by default");
        assertTrue(tc.backlight());
        // the emulator's key passes with backend virtual (the registry takes it out for the driver)
        VirtualHardwareRegistry.standard().validate(DRIVER, config("backend", "virtual", "touch.driver", "xpt2046",
                "touch.noise", 20));
        assertTrue(DRIVER.touchConfig(config(), DRIVER.panelConfig(config())).isEmpty());
    }

    @Test
    void badCalibrationValuesAreRefusedNamingKeyAndValue() {
        says(refused("touch.driver", "xpt2046", "touch.calibration", List.of(1, 2, 3)),
                "'touch.calibration'", "7 whole numbers", "[1, 2, 3]");
        says(refused("touch.driver", "xpt2046", "touch.calibration", List.of(1, 0, 0, 0, 1, 0, 0)),
                "'touch.calibration'", "scale", "[1, 0, 0, 0, 1, 0, 0]");
        says(refused("touch.driver", "xpt2046", "touch.calibration", List.of(2, 4, 0, 1, 2, 0, 1)),
                "'touch.calibration'", "one line", "[2, 4, 0, 1, 2, 0, 1]");
        says(refused("touch.driver", "xpt2046", "touch.calibration", List.of(1, 0, 0, 0, 1.5, 0, 1)),
                "'touch.calibration'", "element 5", "whole number", "1.5");
        says(refused("touch.driver", "xpt2046", "touch.calibration", List.of(1L << 50, 0, 0, 0, 1, 0, 1)),
                "'touch.calibration'", "element 1", "out of range");
        says(refused("touch.driver", "xpt2046", "touch.calibration", 42), "'touch.calibration'", "must be a list");
    }

    @Test
    void everyTouchKeyIsCheckedWithAClearError() {
        says(refused("touch.irq_gpio", 25), "missing key 'touch.driver'");
        says(refused("touch.driver", "tsc2007"), "'touch.driver'", "xpt2046", "'tsc2007'");
        says(refused("touch.driver", "xpt2046", "touch.pressure", 3), "unknown touch key", "touch.pressure");
        says(refused("touch.driver", "xpt2046", "touch.spi_cs", 0), "'touch.spi_cs'", "panel's spi_cs (0)", "got 0");
        says(refused("touch.driver", "xpt2046", "touch.spi_speed_hz", 8_000_000), "'touch.spi_speed_hz'", "2500000",
                "8000000");
        says(refused("touch.driver", "stmpe610", "touch.spi_speed_hz", 2_000_000), "'touch.spi_speed_hz'", "1000000");
        says(refused("touch.driver", "xpt2046", "touch.irq_gpio", 24), "'touch.irq_gpio'", "24", "dc_gpio");
        says(refused("touch.driver", "xpt2046", "touch.irq_gpio", 99), "'touch.irq_gpio'", "0 to 53", "99");
        says(refused("touch.driver", "xpt2046", "touch.i2c_bus", 1), "'touch.i2c_bus'", "I2C", "xpt2046");
        says(refused("touch.driver", "ft6236", "touch.spi_cs", 1), "'touch.spi_cs'", "SPI", "ft6236");
        says(refused("touch.driver", "ft6236", "touch.address", 0x90), "'touch.address'", "144");
        says(refused("touch.driver", "evdev"), "missing key 'touch.evdev'");
        says(refused("touch.driver", "evdev", "touch.evdev", " "), "'touch.evdev'", "must name an input device");
        says(refused("touch.driver", "evdev", "touch.irq_gpio", 4), "'touch.irq_gpio'", "evdev");
        says(refused("touch.driver", "xpt2046", "touch.swap_xy", "yes"), "'touch.swap_xy'", "true or false");
        says(refused("touch.driver", "xpt2046", "touch.noise", 3), "'touch.noise'", "backend = \"virtual\"");
        says(refused("touch.driver", "xpt2046", "touch.backlight", true), "'touch.backlight'", "stmpe610");
        says(refused("touch.driver", "stmpe610", "touch.backlight", true), "'touch.backlight'", "backlight_gpio");
    }

    /** A resistive panel's raw range: x over 150..3950, y over 3850..250 (inverted), 320x240 native. */
    private static int rawU(int u) {
        return 150 + u * 3800 / 319;
    }

    private static int rawV(int v) {
        return 3850 - v * 3600 / 239;
    }

    @Test
    void calibrationFromThreeAndFivePointsAtEveryRotationSwapAndInversion() {
        java.util.Random noise = new java.util.Random(7);
        for (int rotation : new int[] {0, 90, 180, 270}) {
            for (int flags = 0; flags < 8; flags++) {
                // how the board's touch axes lie on the picture: the raw axes follow (u, v)
                TouchTransform t = new TouchTransform(320, 240, rotation, (flags & 1) != 0, (flags & 2) != 0, (flags & 4) != 0);
                int w = t.displayWidth(), h = t.displayHeight();
                for (int y = 0; y < h; y += 7) { // the inverse is exact on every pixel
                    for (int x = 0; x < w; x += 5) {
                        int[] uv = t.fromDisplay(x, y);
                        assertArrayEquals(new int[] {x, y}, t.toDisplay(uv[0], uv[1]), t + " at " + x + "," + y);
                    }
                }
                int[][] three = {{w / 10, h / 10}, {w - 1 - w / 10, h / 2}, {w / 2, h - 1 - h / 10}};
                int[][] five = TouchRig.fivePoints(w, h);
                for (int[][] set : new int[][][] {three, five}) {
                    List<TouchCalibration.Point> pts = new ArrayList<>();
                    for (int[] p : set) {
                        int[] uv = t.fromDisplay(p[0], p[1]);
                        int n = set.length == 5 ? noise.nextInt(9) - 4 : 0;
                        pts.add(new TouchCalibration.Point(rawU(uv[0]) + n, rawV(uv[1]) - n, p[0], p[1]));
                    }
                    TouchCalibration c = TouchCalibration.fit(pts); // what panelctl calibrate does
                    for (int[] q : new int[][] {{0, 0}, {w - 1, h - 1}, {w / 3, h * 2 / 3}, {w - 1, 0}}) {
                        int[] uv = t.fromDisplay(q[0], q[1]);
                        int rx = rawU(uv[0]), ry = rawV(uv[1]);
                        int[] got = t.clampToDisplay(c.x(rx, ry), c.y(rx, ry));
                        String what = set.length + " points, " + t + ", at " + q[0] + "," + q[1] + " got " + got[0] + "," + got[1];
                        assertTrue(Math.abs(got[0] - q[0]) <= (set.length == 3 ? 1 : 2), what);
                        assertTrue(Math.abs(got[1] - q[1]) <= (set.length == 3 ? 1 : 2), what);
                    }
                }
                // without a calibration: the raw range through the board's swap, inversion and rotation
                TouchCalibration d = t.compose(t.defaultCalibration(4095));
                for (int[] q : new int[][] {{0, 0}, {w - 1, h - 1}, {w - 1, 0}, {0, h - 1}}) {
                    int[] uv = t.fromDisplay(q[0], q[1]);
                    int spanU = t.swapXy() ? 240 : 320, spanV = t.swapXy() ? 320 : 240;
                    int rx = uv[0] * 4095 / (spanU - 1), ry = uv[1] * 4095 / (spanV - 1);
                    assertArrayEquals(q, t.clampToDisplay(d.x(rx, ry), d.y(rx, ry)), "default map, " + t);
                }
            }
        }
    }

    @Test
    void theDaemonsCalibrationStringIsReadAndCheckedToo() throws Exception {
        DeviceConfig ok = config("touch.driver", "xpt2046", "touch.calibration", "-5612, 2, 21938000, 3,4426,-1240000,65536");
        assertArrayEquals(new long[] {-5612, 2, 21938000, 3, 4426, -1240000, 65536},
                DRIVER.touchConfig(ok, DRIVER.panelConfig(ok)).orElseThrow().calibration().toArray());
        says(refused("touch.driver", "xpt2046", "touch.calibration", "1,0,x,0,1,0,1"), "'touch.calibration'", "element 3", "'x'");
        says(refused("touch.driver", "xpt2046", "touch.calibration", "1,0,0,0,1,0"), "'touch.calibration'", "7 whole numbers");
    }

    @Test
    void theDefaultCalibrationSpreadsTheRawRangeOverThePanel() {
        TouchTransform t = new TouchTransform(320, 240, 0, false, false, false);
        TouchCalibration c = t.defaultCalibration(4095);
        assertEquals(0, c.x(0, 0));
        assertEquals(319, c.x(4095, 0));
        assertEquals(239, c.y(0, 4095));
        TouchTransform s = new TouchTransform(320, 240, 0, true, false, false);
        TouchCalibration cs = s.compose(s.defaultCalibration(4095));
        assertArrayEquals(new int[] {319, 0}, s.clampToDisplay(cs.x(0, 4095), cs.y(0, 4095)), "swapped: raw y runs along x");
        TouchTransform r = new TouchTransform(320, 240, 90, false, true, false);
        TouchCalibration cr = r.compose(r.defaultCalibration(4095));
        assertArrayEquals(r.toDisplay(0, 0), r.clampToDisplay(cr.x(0, 0), cr.y(0, 0)), "inverted x, turned 90");
    }
}
