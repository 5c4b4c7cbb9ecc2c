package org.paneld.daemon.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.paneld.daemon.Drivers;
import org.paneld.drivers.core.ConfigException;

class ConfigLoaderTest {
    private final ConfigLoader loader = new ConfigLoader(Drivers::find, n -> Drivers.describe());

    private PaneldConfig parse(String text) throws ConfigException {
        return loader.parse("test.toml", null, text);
    }

    @Test
    void readsServerUsbLogAndPanels() throws Exception {
        PaneldConfig c = parse(String.join("\n",
                "[server]",
                "socket = \"/tmp/x/p.sock\"",
                "socket_mode = \"0640\"",
                "socket_group = \"video\"",
                "tcp = \"127.0.0.1:7070\"",
                "[server.limits]",
                "max_connections = 4",
                "[usb]",
                "hotplug = false",
                "[log]",
                "level = \"debug\"",
                "[[panel]]",
                "name = \"a\"",
                "driver = \"virtual-fb\"",
                "backend = \"virtual\"",
                "width = 100",
                "height = 50",
                "allow_uids = [1000, 1001]",
                "[[panel]]",
                "name = \"b\"",
                "driver = \"virtual-fb\"",
                "backend = \"virtual\""));
        assertEquals(Path.of("/tmp/x/p.sock"), c.server().socket());
        assertEquals(0640, c.server().socketMode());
        assertEquals("video", c.server().socketGroup());
        assertEquals("127.0.0.1", c.server().tcpHost());
        assertEquals(7070, c.server().tcpPort());
        assertEquals(4L, c.server().limits().get("max_connections"));
        assertFalse(c.usbHotplug());
        assertEquals("debug", c.logLevel());
        assertEquals(2, c.panels().size());
        PanelConfig a = c.panels().get(0);
        assertEquals("a", a.name());
        assertEquals(Backend.VIRTUAL, a.backend());
        assertEquals(100L, a.device().integer("width", 1, 4096));
        assertEquals(List.of(1000, 1001), a.allowUids());
        assertFalse(a.device().has("allow_uids"), "access keys are the daemon's, not the driver's");
        assertTrue(a.device().has("name") && a.device().has("driver") && a.device().has("backend"));
        assertEquals("test.toml, [[panel]] #1 'a'", a.device().where());
        assertFalse(c.anySpi());
    }

    @Test
    void emptyFileHasNoPanelsAndDefaults() throws Exception {
        PaneldConfig c = parse("");
        assertTrue(c.panels().isEmpty());
        assertNull(c.server().socket());
        assertEquals(0660, c.server().socketMode());
        assertTrue(c.usbHotplug());
    }

    @Test
    void socketModeAsTomlOctalInteger() throws Exception {
        assertEquals(0600, parse("[server]\nsocket_mode = 0o600\n").server().socketMode());
    }

    @Test
    void builtInDefaultsAreTwoVirtualPanels() throws Exception {
        PaneldConfig d = Defaults.config(Drivers::find);
        assertEquals(List.of("lcd0", "lcd1"), d.panels().stream().map(PanelConfig::name).toList());
        assertTrue(d.panels().stream().allMatch(p -> p.backend() == Backend.VIRTUAL));
        assertNull(d.file());
    }

    @Test
    void missingFileNamedExplicitlyIsAnError(@TempDir Path dir) {
        Path f = dir.resolve("nope.toml");
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load(f, null));
        assertEquals(f + ": no such file", e.getMessage());
    }

    @Test
    void unreadableFileIsAnError(@TempDir Path dir) throws Exception {
        Path d = Files.createDirectory(dir.resolve("a-directory.toml"));
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load(d, null));
        assertTrue(e.getMessage().startsWith(d + ": cannot read the file"), e.getMessage());
    }

    static Stream<Arguments> broken() {
        String vfb = "driver = \"virtual-fb\"\nbackend = \"virtual\"\n";
        return Stream.of(
                Arguments.of("syntax", "[server\nsocket = 1\n", "test.toml: TOML syntax error at line 1, column"),
                Arguments.of("unknown table", "[srever]\n", "test.toml: the top level: unknown key [srever]"),
                Arguments.of("unknown server key", "[server]\nsock = \"/x\"\n", "test.toml: [server]: unknown key [sock]"),
                Arguments.of("relative socket", "[server]\nsocket = \"x.sock\"\n", "key 'socket': must be an absolute path"),
                Arguments.of("bad mode", "[server]\nsocket_mode = \"rw\"\n", "key 'socket_mode': must be an octal file mode"),
                Arguments.of("bad tcp", "[server]\ntcp = \"localhost\"\n", "key 'tcp': must be \"HOST:PORT\""),
                Arguments.of("bad limit", "[server.limits]\nmax_connections = -1\n", "[server.limits]: key 'max_connections'"),
                Arguments.of("panel not array", "[panel]\nname = \"a\"\n", "'panel' must be an array of tables"),
                Arguments.of("missing name", "[[panel]]\n" + vfb, "test.toml, [[panel]] #1: missing key 'name'"),
                Arguments.of("bad name", "[[panel]]\nname = \"a b\"\n" + vfb, "key 'name': 'a b' is not a valid panel name"),
                Arguments.of("missing driver", "[[panel]]\nname = \"a\"\nbackend = \"virtual\"\n",
                        "test.toml, [[panel]] #1 'a': missing key 'driver'"),
                Arguments.of("unknown driver", "[[panel]]\nname = \"a\"\ndriver = \"nosuch\"\nbackend = \"virtual\"\n",
                        "test.toml, [[panel]] #1 'a': key 'driver': unknown driver 'nosuch' (known drivers: "),
                Arguments.of("missing backend", "[[panel]]\nname = \"a\"\ndriver = \"virtual-fb\"\n",
                        "test.toml, [[panel]] #1 'a': missing key 'backend'"),
                Arguments.of("bad backend", "[[panel]]\nname = \"a\"\ndriver = \"virtual-fb\"\nbackend = \"i2c\"\n",
                        "key 'backend': must be \"spi\" or \"virtual\", got \"i2c\""),
                Arguments.of("duplicate", "[[panel]]\nname = \"a\"\n" + vfb + "[[panel]]\nname = \"a\"\n" + vfb,
                        "test.toml, [[panel]] #2: key 'name': duplicate name 'a' (already used by [[panel]] #1)"),
                Arguments.of("driver key check", "[[panel]]\nname = \"a\"\n" + vfb + "rotation = 45\n",
                        "test.toml, [[panel]] #1 'a': key 'rotation': must be one of 0, got 45"),
                Arguments.of("driver unknown key", "[[panel]]\nname = \"a\"\n" + vfb + "colour = 1\n",
                        "test.toml, [[panel]] #1 'a': unknown key [colour]"),
                Arguments.of("bad uid list", "[[panel]]\nname = \"a\"\n" + vfb + "allow_uids = [\"pi\"]\n",
                        "key 'allow_uids': must be a list of numeric ids"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("broken")
    void brokenConfigsNameFileTableAndKey(String what, String text, String expected) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(text));
        assertTrue(e.getMessage().contains(expected), "message: " + e.getMessage() + "\nexpected to contain: " + expected);
    }

    @Test
    void aDriverWithoutARegisteredEmulatorIsAConfigErrorNamingThePanelAndTheDriver() {
        org.paneld.drivers.core.Driver bare = new org.paneld.drivers.core.Driver() {
            @Override
            public String name() {
                return "bare";
            }

            @Override
            public org.paneld.drivers.display.Display probe(org.paneld.drivers.core.Device device) {
                throw new AssertionError("a config check must not probe");
            }
        };
        ConfigLoader l = new ConfigLoader(n -> n.equals("bare") ? java.util.Optional.of(bare) : Drivers.find(n), n -> "bare");
        ConfigException e = assertThrows(ConfigException.class,
                () -> l.parse("test.toml", null, "[[panel]]\nname = \"e0\"\ndriver = \"bare\"\nbackend = \"virtual\"\n"));
        assertTrue(e.getMessage().startsWith("test.toml, [[panel]] #1 'e0': key 'backend': driver 'bare' has no virtual panel"),
                e.getMessage());
    }

    @Test
    void theEmulatorChecksItsOwnKeysAndTheDriverTheRest() throws Exception {
        String gud = "[[panel]]\nname = \"u0\"\ndriver = \"gud\"\nbackend = \"virtual\"\n";
        PaneldConfig c = parse(gud + "width = 128\nheight = 64\nformats = [\"r1\", \"rgb565\"]\nuse_compression = false\n");
        assertEquals("gud", c.panels().get(0).driver());
        ConfigException e = assertThrows(ConfigException.class, () -> parse(gud + "formats = [\"yuv\"]\n"));
        assertTrue(e.getMessage().startsWith("test.toml, [[panel]] #1 'u0': key 'formats'"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> parse(gud + "colour = 1\n"));
        assertTrue(e.getMessage().startsWith("test.toml, [[panel]] #1 'u0': unknown key [colour]"), e.getMessage());
        // the same emulator keys with a real backend are the driver's to refuse
        e = assertThrows(ConfigException.class, () -> parse(gud.replace("virtual", "spi") + "width = 128\n"));
        assertTrue(e.getMessage().contains("unknown key [width]"), e.getMessage());
    }
}
