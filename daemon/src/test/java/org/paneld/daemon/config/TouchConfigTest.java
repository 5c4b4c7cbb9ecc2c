package org.paneld.daemon.config;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.paneld.daemon.Drivers;
import org.paneld.drivers.core.ConfigException;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.core.DeviceConfig;
import org.paneld.drivers.core.Driver;
import org.paneld.drivers.display.Display;

/** {@code [panel.touch]}: its keys reach the driver as {@code touch.*}; bad ones are refused naming the key and the panel. */
class TouchConfigTest {
    /** A driver that accepts any config and keeps what it was given (the touch drivers check their own values). */
    private final AtomicReference<DeviceConfig> seen = new AtomicReference<>();
    private final Driver recording = new Driver() {
        @Override
        public String name() {
            return "recording";
        }

        @Override
        public void validate(DeviceConfig config) {
            seen.set(config);
        }

        @Override
        public Display probe(Device device) {
            throw new UnsupportedOperationException();
        }
    };
    private final ConfigLoader loader = new ConfigLoader(n -> n.equals("recording") ? Optional.of(recording) : Drivers.find(n),
            n -> "recording");

    private PaneldConfig parse(String... touchLines) throws ConfigException {
        return loader.parse("test.toml", null, "[[panel]]\nname = \"lcd0\"\ndriver = \"recording\"\nbackend = \"spi\"\n"
                + "[panel.touch]\n" + String.join("\n", touchLines) + "\n");
    }

    @Test
    void everyKeyReachesTheDriverPrefixed() throws Exception {
        PaneldConfig c = parse("driver = \"xpt2046\"", "spi_cs = 1", "spi_speed_hz = 2000000", "irq_gpio = 25", "i2c_bus = 1",
                "address = 0x38", "evdev = \"/dev/input/event0\"", "swap_xy = true", "invert_x = false", "invert_y = true",
                "calibration = [-4500, 12, 17000000, 30, 6000, -1200000, 65536]", "noise = 3");
        DeviceConfig d = c.panels().get(0).device();
        assertSame(seen.get().asMap().get("touch.driver"), d.asMap().get("touch.driver"), "validated with what it gets");
        assertEquals("xpt2046", d.string("touch.driver"));
        assertEquals(1, d.integer("touch.spi_cs", 0, 1));
        assertEquals(2_000_000, d.integer("touch.spi_speed_hz", 1, 100_000_000));
        assertEquals(25, d.integer("touch.irq_gpio", 0, 60));
        assertEquals(1, d.integer("touch.i2c_bus", 0, 9));
        assertEquals(0x38, d.integer("touch.address", 0, 127));
        assertEquals("/dev/input/event0", d.string("touch.evdev"));
        assertTrue(d.bool("touch.swap_xy", false));
        assertFalse(d.bool("touch.invert_x", true));
        assertTrue(d.bool("touch.invert_y", false));
        assertEquals("-4500,12,17000000,30,6000,-1200000,65536", d.string("touch.calibration"));
        assertEquals(3, d.integer("touch.noise", 0, 100));
        assertFalse(d.has("touch"), "the table itself is not passed on");
    }

    @Test
    void virtualFbTakesItsOwnTouch() throws Exception {
        PaneldConfig c = loader.parse("test.toml", null, "[[panel]]\nname = \"fb\"\ndriver = \"virtual-fb\"\nbackend = \"virtual\"\n"
                + "[panel.touch]\ndriver = \"virtual-fb\"\ncalibration = [14, 0, -1400, 0, -12, 46800, 168]\n");
        assertEquals("virtual-fb", c.panels().get(0).device().string("touch.driver"));
        ConfigException e = assertThrows(ConfigException.class, () -> loader.parse("test.toml", null,
                "[[panel]]\nname = \"fb\"\ndriver = \"virtual-fb\"\nbackend = \"virtual\"\n[panel.touch]\ndriver = \"xpt2046\"\n"));
        assertTrue(e.getMessage().contains("'fb'") && e.getMessage().contains("touch.driver"), e.getMessage());
    }

    @Test
    void aRealPanelsTouchControllerChecksItsKeys() throws Exception {
        String panel = "[[panel]]\nname = \"lcd\"\ndriver = \"mi0283qt\"\nbackend = \"virtual\"\ndc_gpio = 24\n[panel.touch]\n";
        PaneldConfig c = loader.parse("test.toml", null, panel + "driver = \"ads7846\"\nirq_gpio = 25\nnoise = 12\n"
                + "calibration = [-5612, 2, 21938000, 3, 4426, -1240000, 65536]\n");
        assertEquals("ads7846", c.panels().get(0).device().string("touch.driver"));
        ConfigException clash = assertThrows(ConfigException.class, () -> loader.parse("test.toml", null,
                panel + "driver = \"xpt2046\"\nirq_gpio = 24\n"));
        assertTrue(clash.getMessage().contains("'touch.irq_gpio'") && clash.getMessage().contains("dc_gpio"), clash.getMessage());
        ConfigException cs = assertThrows(ConfigException.class, () -> loader.parse("test.toml", null,
                panel + "driver = \"stmpe610\"\nspi_cs = 0\n"));
        assertTrue(cs.getMessage().contains("'touch.spi_cs'"), cs.getMessage());
        PaneldConfig pitft = loader.parse("test.toml", null, panel + "driver = \"stmpe610\"\nbacklight = true\n");
        assertTrue(pitft.panels().get(0).device().bool("touch.backlight", false), "the PiTFT's STMPE GPIO2 backlight");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "colour = 1 | test.toml, [[panel]] #1 'lcd0': [panel.touch]: unknown key [colour] (known: [address, backlight, calibration, driver, evdev, i2c_bus, invert_x, invert_y, irq_gpio, noise, spi_cs, spi_speed_hz, swap_xy])",
        "spi_cs = \"1\" | test.toml, [[panel]] #1 'lcd0': [panel.touch]: key 'spi_cs': must be a whole number from 0, got \"1\"",
        "irq_gpio = -1 | [panel.touch]: key 'irq_gpio': must be a whole number from 0, got -1",
        "swap_xy = 1 | [panel.touch]: key 'swap_xy': must be true or false, got 1",
        "evdev = 3 | [panel.touch]: key 'evdev': must be a non-empty string, got 3",
        "calibration = [1, 2, 3] | [panel.touch]: key 'calibration': calibration needs 7 numbers [a, b, c, d, e, f, scale], got 3",
        "calibration = [1, 0, 0, 0, 1, 0, 0] | [panel.touch]: key 'calibration': calibration scale must be positive, got 0",
        "calibration = [1, 2, 0, 2, 4, 0, 1] | key 'calibration': calibration [1, 2, 0, 2, 4, 0, 1] maps every touch onto one line",
        "calibration = [1, 0, 0, 0, 1.5, 0, 1] | key 'calibration': must be an array of 7 integers [a, b, c, d, e, f, scale], element 5 is 1.5",
        "calibration = \"1,0,0,0,1,0,1\" | key 'calibration': must be an array of 7 integers",
    })
    void badKeysAreRefusedNamingThem(String line, String message) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse("driver = \"xpt2046\"", line));
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertTrue(e.getMessage().startsWith("test.toml, [[panel]] #1 'lcd0'"), e.getMessage());
    }

    @Test
    void aTouchNeedsADriverAndATable() {
        ConfigException e = assertThrows(ConfigException.class, () -> parse("spi_cs = 1"));
        assertTrue(e.getMessage().startsWith("test.toml, [[panel]] #1 'lcd0': [panel.touch]: missing key 'driver'"), e.getMessage());
        ConfigException t = assertThrows(ConfigException.class, () -> loader.parse("test.toml", null,
                "[[panel]]\nname = \"lcd0\"\ndriver = \"recording\"\nbackend = \"spi\"\ntouch = 5\n"));
        assertTrue(t.getMessage().contains("'lcd0': 'touch' must be a table: write [panel.touch]"), t.getMessage());
    }
}
