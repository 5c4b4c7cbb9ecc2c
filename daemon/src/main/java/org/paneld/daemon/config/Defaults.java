package org.paneld.daemon.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.paneld.drivers.core.ConfigException;
import org.paneld.drivers.core.DeviceConfig;
import org.paneld.drivers.core.Driver;
import org.paneld.drivers.core.VirtualHardwareRegistry;

/**
 * The built-in configuration used when no config file exists: two virtual panels, so that
 * {@code java -jar paneld.jar} works on any machine — "lcd0", a 320x240 mi0283qt, and "lcd1", a
 * 240x240 st7789v, each through its driver's emulator ({@code virtual-fb} of the same size stands
 * in for a driver that is not registered or has no registered emulator). Stateless; any thread.
 */
public final class Defaults {
    /** Where the defaults say they come from. */
    public static final String SOURCE = "built-in defaults (no config file)";

    private Defaults() {
    }

    public static PaneldConfig config(Function<String, Optional<Driver>> drivers) throws ConfigException {
        return new PaneldConfig(SOURCE, null, ServerConfig.defaults(), true, null, List.of(
                panel(drivers, 1, "lcd0", "mi0283qt", 320, 240, Map.of()),
                // an ST7789V is 240x320 unless told it is the common 240x240 glass
                panel(drivers, 2, "lcd1", "st7789v", 240, 240, Map.of("height", 240L))));
    }

    private static PanelConfig panel(Function<String, Optional<Driver>> drivers, int index, String name, String wanted,
                                     int width, int height, Map<String, Object> realKeys) throws ConfigException {
        String driver = wanted;
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("name", name);
        String where = SOURCE + ", panel '" + name + "'";
        // a driver stands in only when an emulator is registered for it
        Optional<Driver> real = drivers.apply(driver).filter(x -> VirtualHardwareRegistry.standard().provider(x).isPresent());
        Driver d;
        if (real.isPresent()) {
            d = real.get();
            v.put("driver", driver);
            v.put("backend", "virtual");
            v.putAll(realKeys);
        } else {
            d = drivers.apply("virtual-fb").orElseThrow(() -> new ConfigException(where + ": neither " + wanted + " nor virtual-fb is registered"));
            driver = "virtual-fb";
            v.put("driver", driver);
            v.put("backend", "virtual");
            v.put("width", (long) width);
            v.put("height", (long) height);
        }
        DeviceConfig cfg = new DeviceConfig(where, v);
        VirtualHardwareRegistry.standard().validate(d, cfg);
        return new PanelConfig(index, name, driver, Backend.VIRTUAL, cfg, List.of(), List.of());
    }
}
