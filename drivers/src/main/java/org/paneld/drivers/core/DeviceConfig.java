package org.paneld.drivers.core;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The configuration of one device (a {@code [[panel]]} table of the daemon's config, or what a
 * test sets): keys to values (String, Long/Integer, Boolean, Double, List), plus where it came
 * from, so every error names the place: {@code "/etc/paneld/paneld.toml, panel 'lcd': key
 * 'rotation': must be one of 0, 90, 180, 270, got 45"}. Immutable; any thread.
 */
public final class DeviceConfig {
    private final String where;
    private final Map<String, Object> values;

    public DeviceConfig(String where, Map<String, ?> values) {
        this.where = Objects.requireNonNull(where);
        this.values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public static DeviceConfig of(String where, Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return new DeviceConfig(where, m);
    }

    /** A copy with {@code key} set to {@code value}. */
    public DeviceConfig with(String key, Object value) {
        Map<String, Object> m = new LinkedHashMap<>(values);
        m.put(key, value);
        return new DeviceConfig(where, m);
    }

    /** A copy without {@code keys} (the keys only an emulator reads, before the driver checks the rest). */
    public DeviceConfig without(Set<String> keys) {
        Map<String, Object> m = new LinkedHashMap<>(values);
        m.keySet().removeAll(keys);
        return new DeviceConfig(where, m);
    }

    public String where() {
        return where;
    }

    public Map<String, Object> asMap() {
        return values;
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    /** A ConfigException naming this config's place and {@code key}. */
    public ConfigException error(String key, String problem) {
        return new ConfigException(where + ": key '" + key + "': " + problem);
    }

    public String string(String key) throws ConfigException {
        Object v = require(key);
        if (!(v instanceof String)) {
            throw error(key, "must be a string, got " + describe(v));
        }
        return (String) v;
    }

    public String string(String key, String dflt) throws ConfigException {
        return has(key) ? string(key) : dflt;
    }

    public long integer(String key, long min, long max) throws ConfigException {
        Object v = require(key);
        long n;
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            n = ((Number) v).longValue();
        } else if (v instanceof java.math.BigInteger) {
            throw error(key, "must be a whole number from " + min + " to " + max + ", got " + v);
        } else {
            throw error(key, "must be a whole number, got " + describe(v));
        }
        if (n < min || n > max) {
            throw error(key, "must be from " + min + " to " + max + ", got " + n);
        }
        return n;
    }

    public long integer(String key, long dflt, long min, long max) throws ConfigException {
        return has(key) ? integer(key, min, max) : dflt;
    }

    public int intValue(String key, int dflt, int min, int max) throws ConfigException {
        return (int) integer(key, dflt, min, max);
    }

    public boolean bool(String key, boolean dflt) throws ConfigException {
        if (!has(key)) {
            return dflt;
        }
        Object v = values.get(key);
        if (!(v instanceof Boolean)) {
            throw error(key, "must be true or false, got " + describe(v));
        }
        return (Boolean) v;
    }

    /** An integer that must be one of {@code allowed}. */
    public long oneOf(String key, long dflt, long... allowed) throws ConfigException {
        long v = has(key) ? integer(key, Long.MIN_VALUE, Long.MAX_VALUE) : dflt;
        for (long a : allowed) {
            if (a == v) {
                return v;
            }
        }
        StringBuilder sb = new StringBuilder();
        for (long a : allowed) {
            sb.append(sb.length() == 0 ? "" : ", ").append(a);
        }
        throw error(key, "must be one of " + sb + ", got " + v);
    }

    /** A string that must be one of {@code allowed}. */
    public String oneOf(String key, String dflt, Collection<String> allowed) throws ConfigException {
        String v = has(key) ? string(key) : dflt;
        if (v == null || !allowed.contains(v)) {
            throw error(key, "must be one of " + String.join(", ", allowed) + ", got " + (v == null ? "nothing" : "'" + v + "'"));
        }
        return v;
    }

    /** Refuses keys outside {@code known}, naming them and the known ones. */
    public void checkKnownKeys(Set<String> known) throws ConfigException {
        Set<String> unknown = new TreeSet<>(values.keySet());
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            throw new ConfigException(where + ": unknown key" + (unknown.size() > 1 ? "s " : " ")
                    + unknown + " (known keys: " + new TreeSet<>(known) + ")");
        }
    }

    public List<?> list(String key) throws ConfigException {
        Object v = require(key);
        if (!(v instanceof List)) {
            throw error(key, "must be a list, got " + describe(v));
        }
        return (List<?>) v;
    }

    private Object require(String key) throws ConfigException {
        Object v = values.get(key);
        if (v == null) {
            throw new ConfigException(where + ": missing key '" + key + "'");
        }
        return v;
    }

    private static String describe(Object v) {
        if (v instanceof String) {
            return "the string \"" + v + "\"";
        }
        return v == null ? "nothing" : v.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT) + " " + v;
    }

    @Override
    public String toString() {
        return where + " " + values;
    }
}
