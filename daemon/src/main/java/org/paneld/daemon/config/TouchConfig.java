package org.paneld.daemon.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.paneld.drivers.core.ConfigException;
import org.paneld.drivers.display.TouchCalibration;

/**
 * A panel's {@code [panel.touch]} table (TOML: {@code [panel.touch]} after its {@code [[panel]]}),
 * checked for known keys and value types, and handed to the panel's driver as DeviceConfig keys
 * prefixed {@code touch.}: {@code touch.driver}, {@code touch.spi_cs} … and
 * {@code touch.calibration} as the seven numbers comma-separated ("a,b,c,d,e,f,scale"). Which
 * controllers, chip selects and GPIOs make sense is the touch driver's to check. Stateless; any thread.
 */
final class TouchConfig {
    static final Set<String> STRINGS = Set.of("driver", "evdev");
    static final Set<String> INTEGERS = Set.of("spi_cs", "spi_speed_hz", "irq_gpio", "i2c_bus", "address", "noise");
    static final Set<String> BOOLEANS = Set.of("swap_xy", "invert_x", "invert_y", "backlight");
    static final String CALIBRATION = "calibration";

    private TouchConfig() {
    }

    static Set<String> keys() {
        Set<String> all = new TreeSet<>(STRINGS);
        all.addAll(INTEGERS);
        all.addAll(BOOLEANS);
        all.add(CALIBRATION);
        return all;
    }

    /** Puts the table's keys into {@code values} as {@code touch.KEY}; {@code where} names the panel. */
    static void read(String where, JsonNode t, Map<String, Object> values) throws ConfigException {
        String at = where + ": [panel.touch]";
        if (!t.isObject()) {
            throw new ConfigException(where + ": 'touch' must be a table: write [panel.touch] after the panel's [[panel]] line");
        }
        Set<String> unknown = new TreeSet<>();
        t.fieldNames().forEachRemaining(k -> {
            if (!keys().contains(k)) {
                unknown.add(k);
            }
        });
        if (!unknown.isEmpty()) {
            throw new ConfigException(at + ": unknown key" + (unknown.size() > 1 ? "s " : " ") + unknown + " (known: " + keys() + ")");
        }
        if (!t.has("driver")) {
            throw new ConfigException(at + ": missing key 'driver' (the touch controller: xpt2046, ads7846, stmpe610, ft6236, evdev …)");
        }
        var it = t.fields();
        while (it.hasNext()) {
            var e = it.next();
            String k = e.getKey();
            JsonNode v = e.getValue();
            Object out;
            if (STRINGS.contains(k)) {
                if (!v.isTextual() || v.asText().isEmpty()) {
                    throw new ConfigException(at + ": key '" + k + "': must be a non-empty string, got " + v);
                }
                out = v.asText();
            } else if (INTEGERS.contains(k)) {
                if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
                    throw new ConfigException(at + ": key '" + k + "': must be a whole number from 0, got " + v);
                }
                out = v.asLong();
            } else if (BOOLEANS.contains(k)) {
                if (!v.isBoolean()) {
                    throw new ConfigException(at + ": key '" + k + "': must be true or false, got " + v);
                }
                out = v.asBoolean();
            } else {
                out = calibration(at, v);
            }
            values.put("touch." + k, out);
        }
    }

    /** "a,b,c,d,e,f,scale" from an array of seven integers forming a usable map. */
    private static String calibration(String at, JsonNode v) throws ConfigException {
        String what = at + ": key 'calibration': ";
        if (!v.isArray()) {
            throw new ConfigException(what + "must be an array of 7 integers [a, b, c, d, e, f, scale], got " + v);
        }
        List<Long> n = new ArrayList<>();
        for (JsonNode x : v) {
            if (!x.isIntegralNumber() || !x.canConvertToLong()) {
                throw new ConfigException(what + "must be an array of 7 integers [a, b, c, d, e, f, scale], element "
                        + (n.size() + 1) + " is " + x);
            }
            n.add(x.asLong());
        }
        try {
            TouchCalibration.of(n.stream().mapToLong(Long::longValue).toArray());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(what + e.getMessage() + " (panelctl calibrate prints a working line)");
        }
        StringBuilder sb = new StringBuilder();
        for (Long x : n) {
            sb.append(sb.length() == 0 ? "" : ",").append(x);
        }
        return sb.toString();
    }
}
