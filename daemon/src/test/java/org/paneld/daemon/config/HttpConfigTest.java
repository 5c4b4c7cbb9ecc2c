package org.paneld.daemon.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.paneld.daemon.Drivers;
import org.paneld.drivers.core.ConfigException;

/** {@code [http]}: off when absent, loopback by default, a token required off loopback, clear errors. */
class HttpConfigTest {
    private final ConfigLoader loader = new ConfigLoader(Drivers::find, n -> Drivers.describe());

    private PaneldConfig parse(String text) throws ConfigException {
        return loader.parse("test.toml", null, text);
    }

    @Test
    void absentMeansOff() throws Exception {
        assertNull(parse("").http());
        assertNull(parse("[server]\ntcp = \"127.0.0.1:7070\"\n").http());
    }

    @Test
    void anEmptyTableListensOnLoopback7080() throws Exception {
        HttpConfig h = parse("[http]\n").http();
        assertEquals("127.0.0.1", h.host());
        assertEquals(7080, h.port());
        assertNull(h.token());
        assertTrue(h.loopback());
        assertEquals(8, h.maxWatchers());
        assertEquals(5, h.watcherFps());
    }

    @Test
    void ipv6AndATokenOffLoopback() throws Exception {
        HttpConfig h = parse("[http]\nlisten = \"[::1]:0\"\n").http();
        assertEquals("::1", h.host());
        assertTrue(h.loopback());
        HttpConfig all = parse("[http]\nlisten = \"0.0.0.0:8080\"\nhttp_token = \"0123456789abcdef0123\"\nmax_watchers = 2\nwatcher_fps = 10\n").http();
        assertFalse(all.loopback());
        assertEquals("0123456789abcdef0123", all.token());
        assertEquals(2, all.maxWatchers());
        assertEquals(10, all.watcherFps());
        assertEquals("[::1]:7080", new HttpConfig("::1", 0, null, 1, 1).authority(7080));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "listen = \"0.0.0.0:7080\"                              | test.toml: [http]: key 'listen': \"0.0.0.0:7080\" is not a loopback address: set http_token",
        "listen = \"192.168.1.5:7080\"                          | is not a loopback address",
        "listen = \"127.0.0.1\"                                 | key 'listen': must be \"HOST:PORT\" with a port from 0 to 65535",
        "listen = \"127.0.0.1:70800\"                           | key 'listen': must be \"HOST:PORT\"",
        "listen = \"::1:7080\"                                  | write an IPv6 address in brackets",
        "listen = \"paneld.example:7080\"                       | the host must be an IP address (no name lookups at start-up)",
        "listen = 7080                                          | key 'listen': must be a string",
        "http_token = \"short\"                                 | key 'http_token': must be 16 to 256 characters",
        "http_token = \"has spaces in it, sixteen+\"            | key 'http_token': must be 16 to 256 characters",
        "max_watchers = 0                                       | key 'max_watchers': must be from 1 to 64, got 0",
        "watcher_fps = 100                                      | key 'watcher_fps': must be from 1 to 30, got 100",
        "watcher_fps = \"5\"                                    | key 'watcher_fps': must be a whole number",
        "port = 7080                                            | [http]: unknown key [port] (known: [http_token, listen, max_watchers, watcher_fps])",
    })
    void badTablesAreNamed(String line, String expected) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse("[http]\n" + line + "\n"));
        assertTrue(e.getMessage().contains(expected.trim()), e.getMessage());
    }

    @Test
    void notATable() {
        ConfigException e = assertThrows(ConfigException.class, () -> parse("http = 1\n"));
        assertTrue(e.getMessage().contains("'http' must be a table"), e.getMessage());
    }
}
