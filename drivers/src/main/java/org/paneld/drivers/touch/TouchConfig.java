package org.paneld.drivers.touch;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.paneld.drivers.core.ConfigException;
import org.paneld.drivers.core.DeviceConfig;
import org.paneld.drivers.display.TouchCalibration;

/**
 * The checked {@code [panel.touch]} settings of one panel, read from the panel's
 * {@link DeviceConfig} keys prefixed {@code touch.} (the daemon's config loader turns the TOML
 * table into them). Parsing touches no hardware; every error names the config's place, the key
 * and the value.
 *
 * <p>Keys: {@code touch.driver} (required: xpt2046 | ads7846 | stmpe610 | ft6206 | ft6236 |
 * evdev); SPI controllers (xpt2046, ads7846, stmpe610): {@code touch.spi_cs} (chip select on the
 * panel's bus, 0–15, default 1, not the panel's), {@code touch.spi_speed_hz} (default 2 MHz for
 * the XPT2046/ADS7846, at most 2.5 MHz; 1 MHz for the STMPE610, at most 1 MHz); {@code
 * touch.irq_gpio} (BCM line of PENIRQ/INT, active low; without it the controller is polled);
 * FT6206/FT6236: {@code touch.i2c_bus} (default 1), {@code touch.address} (default 0x38) and
 * {@code touch.irq_gpio}; evdev: {@code touch.evdev} (required: a path such as
 * "/dev/input/event0", or the device's name as in /sys/class/input/event*&#47;device/name);
 * all: {@code touch.swap_xy}, {@code touch.invert_x}, {@code touch.invert_y} (booleans, default
 * false: how the board's touch axes lie, for the default mapping of the chip's raw range),
 * {@code touch.calibration} ([a, b, c, d, e, f, scale] or the string "a,b,c,d,e,f,scale":
 * tslib's pointercal, raw samples to display pixels of the picture the client draws at the
 * configured rotation — what {@code panelctl calibrate} prints; it replaces the default mapping,
 * so swap and inversion are in it); stmpe610: {@code touch.backlight} (true: the STMPE's GPIO2
 * drives the panel's backlight, as on the Adafruit PiTFT). {@code touch.noise} belongs to the
 * emulated controller (backend "virtual" only). Immutable; any thread.
 */
public record TouchConfig(String driver, int spiCs, int spiSpeedHz, int irqGpio, int i2cBus, int address, String evdev,
                          boolean swapXy, boolean invertX, boolean invertY, TouchCalibration calibration,
                          boolean backlight) {

    public static final String PREFIX = "touch.";
    /** The keys a driver reads. */
    public static final Set<String> KEYS = Set.of("touch.driver", "touch.spi_cs", "touch.spi_speed_hz", "touch.irq_gpio",
            "touch.i2c_bus", "touch.address", "touch.evdev", "touch.swap_xy", "touch.invert_x", "touch.invert_y",
            "touch.calibration", "touch.backlight");
    /** The emulated controller's own key (noise amplitude in raw units). */
    public static final String NOISE = "touch.noise";
    /** Driver names. */
    public static final List<String> DRIVERS = List.of("xpt2046", "ads7846", "stmpe610", "ft6206", "ft6236", "evdev");
    /** No GPIO. */
    public static final int NONE = -1;

    /** Whether the controller sits on SPI. */
    public boolean spi() {
        return isSpi(driver);
    }

    /** Whether the controller sits on I2C. */
    public boolean i2c() {
        return driver.startsWith("ft6");
    }

    static boolean isSpi(String driver) {
        return driver.equals("xpt2046") || driver.equals("ads7846") || driver.equals("stmpe610");
    }

    /** Whether {@code c} has any {@code touch.} key. */
    public static boolean present(DeviceConfig c) {
        return c.asMap().keySet().stream().anyMatch(k -> k.startsWith(PREFIX));
    }

    /** {@code c} without its {@code touch.} keys (what the panel's own parser checks). */
    public static DeviceConfig withoutTouch(DeviceConfig c) {
        Set<String> t = new TreeSet<>();
        for (String k : c.asMap().keySet()) {
            if (k.startsWith(PREFIX)) {
                t.add(k);
            }
        }
        return c.without(t);
    }

    /**
     * Reads the touch keys of {@code c}: empty when there are none.
     *
     * @param panelCs    the panel's chip select (an SPI controller needs another), or {@link #NONE}
     * @param panelLines the panel's GPIO lines by key (dc_gpio …), which the interrupt line must not reuse
     */
    public static Optional<TouchConfig> parse(DeviceConfig c, int panelCs, Map<String, Integer> panelLines)
            throws ConfigException {
        if (!present(c)) {
            return Optional.empty();
        }
        Set<String> unknown = new TreeSet<>();
        for (String k : c.asMap().keySet()) {
            if (k.startsWith(PREFIX) && !KEYS.contains(k) && !k.equals(NOISE)) {
                unknown.add(k);
            }
        }
        if (!unknown.isEmpty()) {
            throw new ConfigException(c.where() + ": unknown touch key" + (unknown.size() > 1 ? "s " : " ") + unknown
                    + " (known: " + new TreeSet<>(KEYS) + ", and " + NOISE + " for backend \"virtual\")");
        }
        if (!c.has("touch.driver")) {
            throw new ConfigException(c.where() + ": missing key 'touch.driver' (the [panel.touch] table needs driver = one of "
                    + String.join(", ", DRIVERS) + ")");
        }
        String driver = c.oneOf("touch.driver", null, DRIVERS);
        if (c.has(NOISE) && !"virtual".equals(c.asMap().get("backend"))) {
            throw c.error(NOISE, "is the emulated controller's noise amplitude: only with backend = \"virtual\", got "
                    + c.asMap().get(NOISE));
        }
        boolean spi = isSpi(driver);
        boolean i2c = driver.startsWith("ft6");
        boolean evdev = driver.equals("evdev");
        only(c, "touch.spi_cs", spi, driver, "SPI controllers (xpt2046, ads7846, stmpe610)");
        only(c, "touch.spi_speed_hz", spi, driver, "SPI controllers (xpt2046, ads7846, stmpe610)");
        only(c, "touch.i2c_bus", i2c, driver, "I2C controllers (ft6206, ft6236)");
        only(c, "touch.address", i2c, driver, "I2C controllers (ft6206, ft6236)");
        only(c, "touch.evdev", evdev, driver, "driver evdev");
        only(c, "touch.irq_gpio", !evdev, driver, "chips on SPI or I2C (evdev reads the kernel's events)");
        only(c, "touch.backlight", driver.equals("stmpe610"), driver, "the stmpe610 (its GPIO2)");
        int cs = NONE, speed = 0;
        if (spi) {
            cs = c.intValue("touch.spi_cs", panelCs == 1 ? 0 : 1, 0, 15);
            if (cs == panelCs) {
                throw c.error("touch.spi_cs", "must differ from the panel's spi_cs (" + panelCs
                        + "): the touch controller has its own chip select, got " + cs);
            }
            boolean stmpe = driver.equals("stmpe610");
            int max = stmpe ? 1_000_000 : 2_500_000;
            speed = c.intValue("touch.spi_speed_hz", stmpe ? 1_000_000 : 2_000_000, 10_000, Integer.MAX_VALUE);
            if (speed > max) {
                throw c.error("touch.spi_speed_hz", "the " + driver + " converts at no more than " + max + " Hz, got " + speed);
            }
        }
        int irq = c.intValue("touch.irq_gpio", NONE, 0, 53);
        if (irq != NONE) {
            for (Map.Entry<String, Integer> e : panelLines.entrySet()) {
                if (e.getValue() != null && e.getValue() == irq) {
                    throw c.error("touch.irq_gpio", "BCM line " + irq + " is already the panel's " + e.getKey());
                }
            }
        }
        int bus = i2c ? c.intValue("touch.i2c_bus", 1, 0, 22) : NONE;
        int address = i2c ? c.intValue("touch.address", 0x38, 0x03, 0x77) : NONE;
        String path = null;
        if (evdev) {
            path = c.string("touch.evdev");
            if (path.isBlank()) {
                throw c.error("touch.evdev", "must name an input device: a path like \"/dev/input/event0\" or the device's name");
            }
        }
        TouchCalibration cal = c.has("touch.calibration") ? calibration(c) : null;
        return Optional.of(new TouchConfig(driver, cs, speed, irq, bus, address, path, c.bool("touch.swap_xy", false),
                c.bool("touch.invert_x", false), c.bool("touch.invert_y", false), cal, c.bool("touch.backlight", false)));
    }

    private static List<Object> parseList(DeviceConfig c, String key, String text) throws ConfigException {
        List<Object> out = new java.util.ArrayList<>();
        for (String part : text.split(",", -1)) {
            String t = part.trim();
            try {
                out.add(Long.parseLong(t));
            } catch (NumberFormatException e) {
                throw c.error(key, "element " + (out.size() + 1) + " must be a whole number, got '" + t + "' in \"" + text + "\"");
            }
        }
        return out;
    }

    private static void only(DeviceConfig c, String key, boolean applies, String driver, String forWhat)
            throws ConfigException {
        if (c.has(key) && !applies) {
            throw c.error(key, "is only for " + forWhat + ", not touch.driver = \"" + driver + "\" (value " + c.asMap().get(key) + ")");
        }
    }

    /** Largest absolute calibration number: keeps a*raw + b*raw + c well inside a long. */
    static final long CAL_LIMIT = 1L << 40;

    private static TouchCalibration calibration(DeviceConfig c) throws ConfigException {
        String key = "touch.calibration";
        Object raw = c.asMap().get(key);
        List<?> l;
        if (raw instanceof String) { // the daemon's loader hands the TOML array over as "a,b,c,d,e,f,scale"
            l = parseList(c, key, (String) raw);
        } else {
            l = c.list(key);
        }
        if (l.size() != 7) {
            throw c.error(key, "needs 7 whole numbers [a, b, c, d, e, f, scale] (tslib's form), got " + l.size() + ": " + l);
        }
        long[] v = new long[7];
        for (int i = 0; i < 7; i++) {
            Object o = l.get(i);
            if (!(o instanceof Integer || o instanceof Long || o instanceof Short || o instanceof Byte)) {
                throw c.error(key, "element " + (i + 1) + " must be a whole number, got " + o + " in " + l);
            }
            v[i] = ((Number) o).longValue();
            if (Math.abs(v[i]) > CAL_LIMIT) {
                throw c.error(key, "element " + (i + 1) + " = " + v[i] + " is out of range (at most " + CAL_LIMIT
                        + " in size) in " + l);
            }
        }
        try {
            return TouchCalibration.of(v);
        } catch (IllegalArgumentException e) {
            throw c.error(key, e.getMessage() + "; got " + l);
        }
    }
}
