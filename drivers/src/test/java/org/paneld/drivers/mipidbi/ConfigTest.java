package org.paneld.drivers.mipidbi;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.paneld.drivers.core.ConfigException;
import org.paneld.drivers.core.DeviceConfig;

/** validate() checks every key without hardware, and each error names the place and the key. */
class ConfigTest {
    private static final String WHERE = "/etc/paneld/paneld.toml, panel 'lcd0'";

    private static ConfigException refused(MipiDbiDriver d, Object... kv) {
        return assertThrows(ConfigException.class, () -> d.validate(DeviceConfig.of(WHERE, kv)));
    }

    private static void assertNames(ConfigException e, String key) {
        assertTrue(e.getMessage().startsWith(WHERE), e.getMessage());
        assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
    }

    @Test
    void aGoodSpiConfigPasses() throws Exception {
        PanelConfig c = new Mi0283qtDriver().panelConfig(DeviceConfig.of(WHERE, "name", "lcd0", "driver", "mi0283qt",
                "backend", "spi", "rotation", 270, "spi_bus", 0, "spi_cs", 1, "spi_speed_hz", 62_500_000,
                "spi_max_transfer", 65536, "dc_gpio", 25, "reset_gpio", 24, "backlight_pwm", 0, "bgr", false,
                "invert", true, "left_offset", 0, "top_offset", 0));
        assertEquals(270, c.rotation());
        assertEquals(1, c.spiCs());
        assertEquals(65536, c.maxTransfer());
        assertEquals(240, c.visibleWidth());
        assertEquals(320, c.visibleHeight());
        assertEquals("auto", c.damage(), "damage defaults to auto");
        assertEquals(11 + 6 * PanelConfig.DEFAULT_TRANSFER_COST, c.windowCost());
        PanelConfig full = new Mi0283qtDriver().panelConfig(DeviceConfig.of(WHERE, "backend", "virtual", "damage", "full",
                "spi_transfer_cost", 100));
        assertEquals("full", full.damage());
        assertEquals(611, full.windowCost());
        assertEquals("off", c.interlace(), "interlace defaults to off");
        assertEquals("auto", new Mi0283qtDriver().panelConfig(DeviceConfig.of(WHERE, "backend", "virtual",
                "interlace", "auto")).interlace());
    }

    @Test
    void eachBadKeyIsNamed() {
        Mi0283qtDriver d = new Mi0283qtDriver();
        assertNames(refused(d, "backend", "spi"), "dc_gpio");
        assertNames(refused(d, "backend", "virtual", "rotation", 45), "rotation");
        assertNames(refused(d, "backend", "usb"), "backend");
        assertNames(refused(d, "backend", "virtual", "spi_max_transfer", 4095), "spi_max_transfer");
        assertNames(refused(d, "backend", "virtual", "spi_max_transfer", 8), "spi_max_transfer");
        assertNames(refused(d, "backend", "virtual", "spi_speed_hz", 0), "spi_speed_hz");
        assertNames(refused(d, "backend", "virtual", "spi_speed_hz", "fast"), "spi_speed_hz");
        assertNames(refused(d, "backend", "virtual", "dbi_option", 2), "dbi_option");
        assertNames(refused(d, "backend", "spi", "dbi_option", 1, "dc_gpio", 25), "dc_gpio");
        assertNames(refused(d, "backend", "spi", "dc_gpio", 99), "dc_gpio");
        assertNames(refused(d, "backend", "spi", "dc_gpio", 25, "reset_gpio", 25), "reset_gpio");
        assertNames(refused(d, "backend", "spi", "dc_gpio", 25, "backlight_gpio", 18, "backlight_pwm", 0), "backlight_pwm");
        assertNames(refused(d, "backend", "spi", "dc_gpio", 1, "backlight_pwm", 1), "backlight_pwm");
        assertNames(refused(d, "backend", "virtual", "bgr", "yes"), "bgr");
        assertNames(refused(d, "backend", "virtual", "left_offset", -1), "left_offset");
        assertNames(refused(d, "backend", "virtual", "spi_mode", 4), "spi_mode");
        assertNames(refused(d, "backend", "virtual", "damage", "smart"), "damage");
        assertNames(refused(d, "backend", "virtual", "damage", 1), "damage");
        assertNames(refused(d, "backend", "virtual", "interlace", "on"), "interlace");
        assertNames(refused(d, "backend", "virtual", "interlace", true), "interlace");
        assertNames(refused(d, "backend", "virtual", "spi_transfer_cost", -1), "spi_transfer_cost");
        ConfigException unknown = refused(d, "backend", "virtual", "rotate", 90);
        assertTrue(unknown.getMessage().contains("rotate"), unknown.getMessage());
        ConfigException width = refused(d, "backend", "virtual", "width", 100); // not a key of mi0283qt
        assertTrue(width.getMessage().contains("unknown key [width]"), width.getMessage());
        assertNames(refused(new St7789vDriver(), "backend", "virtual", "height", 100), "height");
        assertNames(refused(new Ili9486Driver(), "backend", "spi", "dc_gpio", 25, "spi_16bit_shift", 1), "spi_16bit_shift");
    }

    @Test
    void option1NeedsNoDcLine() throws Exception {
        PanelConfig c = new Mi0283qtDriver().panelConfig(DeviceConfig.of(WHERE, "backend", "spi", "dbi_option", 1));
        assertEquals(1, c.dbiOption());
        assertEquals(PanelConfig.NONE, c.dcGpio());
    }
}
