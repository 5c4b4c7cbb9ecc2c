package org.paneld.drivers.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** DeviceConfig's typed getters: the value, the bounds inclusive, and errors naming place, key and value. */
class DeviceConfigTest {
    private static final String AT = "paneld.toml [device.p0]";

    private static ConfigException refused(org.junit.jupiter.api.function.Executable e) {
        ConfigException ex = assertThrows(ConfigException.class, e);
        assertEquals(Errno.EINVAL, ex.errno());
        return ex;
    }

    @Test
    void ofPairsKeysWithValuesAndIgnoresAnOddTail() {
        DeviceConfig c = DeviceConfig.of(AT, "a", 1, "b", "x", "dangling");
        assertEquals(Map.of("a", 1, "b", "x"), c.asMap());
        assertEquals(AT, c.where());
        assertEquals(Map.of("a", 1), DeviceConfig.of(AT, "a", 1).asMap());
        assertTrue(DeviceConfig.of(AT).asMap().isEmpty());
        assertEquals(AT + " {a=1}", DeviceConfig.of(AT, "a", 1).toString());
    }

    @Test
    void withAndWithoutCopy() {
        DeviceConfig c = DeviceConfig.of(AT, "a", 1, "b", 2);
        DeviceConfig d = c.with("c", 3).without(Set.of("a"));
        assertEquals(Map.of("b", 2, "c", 3), d.asMap());
        assertEquals(Map.of("a", 1, "b", 2), c.asMap(), "the original is unchanged");
        assertThrows(UnsupportedOperationException.class, () -> c.asMap().put("x", 1));
    }

    @Test
    void integersWithInclusiveBounds() throws ConfigException {
        DeviceConfig c = DeviceConfig.of(AT, "lo", 10, "hi", 20L, "s", (short) 3, "b", (byte) 4);
        assertEquals(10, c.integer("lo", 10, 20));
        assertEquals(20, c.integer("hi", 10, 20));
        assertEquals(3, c.integer("s", 0, 10));
        assertEquals(4, c.integer("b", 0, 10));
        assertEquals("paneld.toml [device.p0]: key 'lo': must be from 11 to 20, got 10",
                refused(() -> c.integer("lo", 11, 20)).getMessage());
        assertEquals("paneld.toml [device.p0]: key 'hi': must be from 10 to 19, got 20",
                refused(() -> c.integer("hi", 10, 19)).getMessage());
        assertEquals(7, c.integer("missing", 7, 0, 10));
        assertEquals(10, c.intValue("lo", 7, 0, 10));
        assertEquals(7, c.intValue("missing", 7, 0, 10));
        assertTrue(refused(() -> DeviceConfig.of(AT, "x", "5").integer("x", 0, 9)).getMessage()
                .endsWith("key 'x': must be a whole number, got the string \"5\""));
        assertTrue(refused(() -> DeviceConfig.of(AT, "x", 1.5).integer("x", 0, 9)).getMessage()
                .endsWith("must be a whole number, got double 1.5"));
        assertTrue(refused(() -> DeviceConfig.of(AT, "x", BigInteger.TEN.pow(30)).integer("x", 0, 9)).getMessage()
                .contains("must be a whole number from 0 to 9"));
        assertEquals("paneld.toml [device.p0]: missing key 'nope'", refused(() -> c.integer("nope", 0, 1)).getMessage());
    }

    @Test
    void oneOfNumbersAndStrings() throws ConfigException {
        DeviceConfig c = DeviceConfig.of(AT, "rot", 90L, "mode", "fast");
        assertEquals(90, c.oneOf("rot", 0, 0, 90, 180, 270));
        assertEquals(180, c.oneOf("missing", 180, 0, 90, 180, 270));
        assertEquals("paneld.toml [device.p0]: key 'rot': must be one of 0, 180, got 90",
                refused(() -> c.oneOf("rot", 0, 0, 180)).getMessage());
        assertEquals("fast", c.oneOf("mode", "slow", List.of("slow", "fast")));
        assertEquals("slow", c.oneOf("missing", "slow", List.of("slow", "fast")));
        assertEquals("paneld.toml [device.p0]: key 'mode': must be one of a, b, got 'fast'",
                refused(() -> c.oneOf("mode", "a", List.of("a", "b"))).getMessage());
        assertEquals("paneld.toml [device.p0]: key 'missing': must be one of a, b, got nothing",
                refused(() -> c.oneOf("missing", null, List.of("a", "b"))).getMessage());
    }

    @Test
    void stringsBooleansLists() throws ConfigException {
        DeviceConfig c = DeviceConfig.of(AT, "s", "v", "t", true, "f", false, "l", List.of(1, 2), "n", 5);
        assertEquals("v", c.string("s"));
        assertEquals("v", c.string("s", "d"));
        assertEquals("d", c.string("missing", "d"));
        assertTrue(refused(() -> c.string("n")).getMessage().endsWith("key 'n': must be a string, got integer 5"));
        assertTrue(c.bool("t", false));
        assertFalse(c.bool("f", true));
        assertTrue(c.bool("missing", true));
        assertFalse(c.bool("missing", false));
        assertTrue(refused(() -> c.bool("s", false)).getMessage().endsWith("must be true or false, got the string \"v\""));
        assertEquals(List.of(1, 2), c.list("l"));
        assertTrue(refused(() -> c.list("s")).getMessage().endsWith("must be a list, got the string \"v\""));
        assertTrue(c.has("s"));
        assertFalse(c.has("missing"));
    }

    @Test
    void unknownKeysAreNamed() throws ConfigException {
        DeviceConfig c = DeviceConfig.of(AT, "a", 1, "zz", 2, "yy", 3);
        c.without(Set.of("zz", "yy")).checkKnownKeys(Set.of("a", "b"));
        assertEquals("paneld.toml [device.p0]: unknown key [zz] (known keys: [a, b, yy])",
                refused(() -> c.checkKnownKeys(Set.of("yy", "b", "a"))).getMessage());
        assertEquals("paneld.toml [device.p0]: unknown keys [yy, zz] (known keys: [a])",
                refused(() -> c.checkKnownKeys(Set.of("a"))).getMessage());
        ConfigException e = c.error("k", "is odd");
        assertEquals("paneld.toml [device.p0]: key 'k': is odd", e.getMessage());
        assertSame(Errno.EINVAL, e.errno());
    }
}
