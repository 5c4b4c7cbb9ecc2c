package org.paneld.drivers.repaper;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.paneld.drivers.core.ConfigException;
import org.paneld.drivers.core.DeviceConfig;

/** Bad repaper configurations are refused before any hardware is touched, naming the key. */
class RepaperConfigTest {
    private final RepaperDriver driver = new RepaperDriver();

    private void refused(String key, String fragment, Object... kv) {
        ConfigException e = assertThrows(ConfigException.class, () -> driver.validate(DeviceConfig.of("paneld.toml, panel 'epd'", kv)));
        assertTrue(e.getMessage().contains("paneld.toml, panel 'epd'"), e.getMessage());
        assertTrue(e.getMessage().contains(key), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    @Test
    void badConfigsNameTheKey() {
        refused("'panel'", "e2271cs021", "backend", "virtual");
        refused("'panel'", "e1144cs021", "backend", "virtual", "panel", "e9999");
        refused("'cog'", "G1 panels are not supported", "backend", "virtual", "panel", "e1144cs021", "cog", "g1");
        refused("'partial'", "true or false", "backend", "virtual", "panel", "e1144cs021", "partial", "yes");
        refused("'cog'", "g2", "backend", "virtual", "panel", "e1144cs021", "cog", "g3");
        refused("'dither'", "floyd-steinberg", "backend", "virtual", "panel", "e1144cs021", "dither", "atkinson");
        refused("'temperature'", "-40", "backend", "virtual", "panel", "e1144cs021", "temperature", 200);
        refused("'rotation'", "90", "backend", "virtual", "panel", "e1144cs021", "rotation", 45);
        refused("colour", "known keys", "backend", "virtual", "panel", "e1144cs021", "colour", "red");
        refused("'panel_on_gpio'", "missing", "panel", "e1144cs021");
        refused("'border_gpio'", "missing", "panel", "e2271cs021", "panel_on_gpio", 1, "discharge_gpio", 2, "reset_gpio", 3, "busy_gpio", 4);
        refused("'border_gpio'", "no border line", "backend", "virtual", "panel", "e1144cs021", "border_gpio", 5);
        refused("'temperature_sensor'", "empty", "backend", "virtual", "panel", "e1144cs021", "temperature_sensor", " ");
    }

    @Test
    void goodConfigsPass() throws Exception {
        driver.validate(DeviceConfig.of("t", "backend", "virtual", "panel", "e2271cs021"));
        driver.validate(DeviceConfig.of("t", "panel", "e2271cs021", "panel_on_gpio", 1, "discharge_gpio", 2, "reset_gpio", 3,
                "busy_gpio", 4, "border_gpio", 5, "cog", "g2", "partial", false, "dither", "ordered", "temperature", -20));
    }
}
