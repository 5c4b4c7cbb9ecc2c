package org.paneld.daemon.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.paneld.drivers.core.ConfigException;
import org.paneld.drivers.core.DeviceConfig;
import org.paneld.drivers.core.Driver;
import org.paneld.drivers.core.VirtualHardwareRegistry;

/**
 * Reads and validates the TOML config without touching hardware: syntax (errors give line and
 * column), the daemon's own tables and keys, unique panel names, known drivers, and each panel's
 * driver-specific keys through {@link Driver#validate}. Every error is a {@link ConfigException}
 * whose message names the file, the table and the key. Stateless; any thread.
 *
 * <p>A {@code [[panel]]} table is handed to its driver whole as a {@link DeviceConfig} (so the
 * driver sees {@code name}, {@code driver}, {@code backend}, {@code rotation}, its SPI/GPIO keys
 * …), minus the daemon's access keys {@code allow_uids} and {@code allow_gids}; its
 * {@code [panel.touch]} table becomes {@code touch.*} keys ({@link TouchConfig}).
 */
public final class ConfigLoader {
    /** The config file the daemon reads when none is named. */
    public static final Path DEFAULT_FILE = Path.of("/etc/paneld/paneld.toml");
    static final Set<String> TOP_KEYS = Set.of("server", "usb", "log", "panel", "http");
    static final Set<String> SERVER_KEYS = Set.of("socket", "socket_mode", "socket_group", "tcp", "tcp_admin", "limits");
    static final Set<String> USB_KEYS = Set.of("hotplug");
    static final Set<String> LOG_KEYS = Set.of("level");
    static final Set<String> ACCESS_KEYS = Set.of("allow_uids", "allow_gids");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}");

    private final Function<String, Optional<Driver>> drivers;
    private final Function<String, String> knownDrivers;

    /**
     * @param drivers   looks a driver up by name or alias
     * @param knownList describes the known drivers for error messages (argument unused)
     */
    public ConfigLoader(Function<String, Optional<Driver>> drivers, Function<String, String> knownList) {
        this.drivers = drivers;
        this.knownDrivers = knownList;
    }

    /**
     * Loads {@code file}. When {@code file} is null the default file is read if it exists, else
     * {@code defaults} is returned (the built-in virtual panels).
     */
    public PaneldConfig load(Path file, PaneldConfig defaults) throws ConfigException {
        if (file == null) {
            if (!Files.exists(DEFAULT_FILE)) {
                return defaults;
            }
            file = DEFAULT_FILE;
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": no such file");
        } catch (AccessDeniedException e) {
            throw new ConfigException(file + ": cannot read the file: permission denied");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read the file: " + e.getMessage());
        }
        return parse(file.toString(), file, text);
    }

    /** Parses config text; {@code where} names it in errors. */
    public PaneldConfig parse(String where, Path file, String text) throws ConfigException {
        JsonNode root;
        try {
            root = new TomlMapper().readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            String pos = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
            throw new ConfigException(where + ": TOML syntax error" + pos + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigException(where + ": cannot parse: " + e.getMessage());
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            root = new TomlMapper().createObjectNode();
        }
        checkKeys(where, "the top level", root, TOP_KEYS);

        ServerConfig server = server(where, root.get("server"));
        boolean hotplug = true;
        JsonNode usb = root.get("usb");
        if (usb != null) {
            requireTable(where, "usb", usb);
            checkKeys(where, "[usb]", usb, USB_KEYS);
            hotplug = bool(where, "[usb]", "hotplug", usb.get("hotplug"), true);
        }
        String level = null;
        JsonNode log = root.get("log");
        if (log != null) {
            requireTable(where, "log", log);
            checkKeys(where, "[log]", log, LOG_KEYS);
            if (log.has("level")) {
                level = string(where, "[log]", "level", log.get("level"));
                try {
                    org.paneld.daemon.logging.Logs.parseLevel(level);
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(where + ": [log]: key 'level': " + e.getMessage());
                }
            }
        }

        List<PanelConfig> panels = new ArrayList<>();
        JsonNode pn = root.get("panel");
        if (pn != null) {
            if (!pn.isArray()) {
                throw new ConfigException(where + ": 'panel' must be an array of tables: write each panel as [[panel]], not [panel]");
            }
            Map<String, Integer> seen = new LinkedHashMap<>();
            int i = 0;
            for (JsonNode p : pn) {
                i++;
                PanelConfig pc = panel(where, i, p);
                Integer before = seen.putIfAbsent(pc.name(), i);
                if (before != null) {
                    throw new ConfigException(where + ", [[panel]] #" + i + ": key 'name': duplicate name '" + pc.name()
                            + "' (already used by [[panel]] #" + before + ")");
                }
                panels.add(pc);
            }
        }
        return new PaneldConfig(where, file, server, hotplug, level, panels, http(where, root.get("http")));
    }

    private PanelConfig panel(String file, int index, JsonNode p) throws ConfigException {
        String at = file + ", [[panel]] #" + index;
        if (!p.isObject()) {
            throw new ConfigException(at + ": must be a table");
        }
        JsonNode nameNode = p.get("name");
        if (nameNode == null) {
            throw new ConfigException(at + ": missing key 'name'");
        }
        String name = string(at, null, "name", nameNode);
        if (!NAME.matcher(name).matches()) {
            throw new ConfigException(at + ": key 'name': '" + name
                    + "' is not a valid panel name (1-32 letters, digits, '_', '.', '-', starting with a letter or digit)");
        }
        String where = at + " '" + name + "'";
        JsonNode dn = p.get("driver");
        if (dn == null) {
            throw new ConfigException(where + ": missing key 'driver'");
        }
        String driverName = string(where, null, "driver", dn);
        Driver driver = drivers.apply(driverName).orElseThrow(() -> new ConfigException(where + ": key 'driver': unknown driver '"
                + driverName + "' (known drivers: " + knownDrivers.apply(driverName) + ")"));
        JsonNode bn = p.get("backend");
        if (bn == null) {
            throw new ConfigException(where + ": missing key 'backend' (\"spi\" for a real panel, \"virtual\" for an emulated one)");
        }
        String b = string(where, null, "backend", bn);
        Backend backend = null;
        for (Backend x : Backend.values()) {
            if (x.key().equals(b)) {
                backend = x;
            }
        }
        if (backend == null) {
            throw new ConfigException(where + ": key 'backend': must be \"spi\" or \"virtual\", got \"" + b + "\"");
        }
        List<Integer> uids = ids(where, "allow_uids", p.get("allow_uids"));
        List<Integer> gids = ids(where, "allow_gids", p.get("allow_gids"));
        Map<String, Object> values = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = p.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("touch")) {
                TouchConfig.read(where, e.getValue(), values); // [panel.touch] → touch.* keys
            } else if (!ACCESS_KEYS.contains(e.getKey())) {
                values.put(e.getKey(), value(e.getValue()));
            }
        }
        DeviceConfig cfg = new DeviceConfig(where, values);
        if (backend == Backend.VIRTUAL) {
            // an emulator must be registered for the driver; it checks its own keys, the driver the rest
            VirtualHardwareRegistry.standard().validate(driver, cfg);
        } else {
            driver.validate(cfg);
        }
        return new PanelConfig(index, name, driverName, backend, cfg, uids, gids);
    }

    private static List<Integer> ids(String where, String key, JsonNode n) throws ConfigException {
        List<Integer> out = new ArrayList<>();
        if (n == null) {
            return out;
        }
        if (!n.isArray()) {
            throw new ConfigException(where + ": key '" + key + "': must be a list of numeric ids, e.g. [1000, 1001]");
        }
        for (JsonNode x : n) {
            if (!x.canConvertToInt() || !x.isIntegralNumber() || x.asInt() < 0) {
                throw new ConfigException(where + ": key '" + key + "': must be a list of numeric ids from 0, got " + x);
            }
            out.add(x.asInt());
        }
        return out;
    }

    private static ServerConfig server(String file, JsonNode s) throws ConfigException {
        ServerConfig d = ServerConfig.defaults();
        if (s == null) {
            return d;
        }
        requireTable(file, "server", s);
        String at = "[server]";
        checkKeys(file, at, s, SERVER_KEYS);
        java.nio.file.Path socket = null;
        if (s.has("socket")) {
            String v = string(file, at, "socket", s.get("socket"));
            if (!v.startsWith("/")) {
                throw new ConfigException(file + ": [server]: key 'socket': must be an absolute path, got \"" + v + "\"");
            }
            socket = Path.of(v);
        }
        int mode = d.socketMode();
        JsonNode m = s.get("socket_mode");
        if (m != null) {
            if (m.isTextual()) {
                try {
                    mode = Integer.parseInt(m.asText(), 8);
                } catch (NumberFormatException e) {
                    mode = -1;
                }
            } else if (m.isIntegralNumber()) {
                mode = m.asInt();
            } else {
                mode = -1;
            }
            if (mode < 0 || mode > 07777) {
                throw new ConfigException(file + ": [server]: key 'socket_mode': must be an octal file mode such as \"0660\" or 0o660, got " + m);
            }
        }
        String group = s.has("socket_group") ? string(file, at, "socket_group", s.get("socket_group")) : null;
        String tcpHost = null;
        int tcpPort = 0;
        if (s.has("tcp")) {
            String t = string(file, at, "tcp", s.get("tcp"));
            int colon = t.lastIndexOf(':');
            int port = -1;
            if (colon > 0) {
                try {
                    port = Integer.parseInt(t.substring(colon + 1));
                } catch (NumberFormatException e) {
                    port = -1;
                }
            }
            if (port < 1 || port > 65535) {
                throw new ConfigException(file + ": [server]: key 'tcp': must be \"HOST:PORT\" with a port from 1 to 65535, e.g. \"127.0.0.1:7070\", got \"" + t + "\"");
            }
            tcpHost = t.substring(0, colon);
            if (tcpHost.startsWith("[") && tcpHost.endsWith("]")) {
                tcpHost = tcpHost.substring(1, tcpHost.length() - 1);
            }
            tcpPort = port;
        }
        boolean tcpAdmin = bool(file, at, "tcp_admin", s.get("tcp_admin"), false);
        Map<String, Long> limits = new LinkedHashMap<>();
        JsonNode l = s.get("limits");
        if (l != null) {
            requireTable(file, "server.limits", l);
            Iterator<Map.Entry<String, JsonNode>> it = l.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isIntegralNumber() || e.getValue().asLong() < 1) {
                    throw new ConfigException(file + ": [server.limits]: key '" + e.getKey() + "': must be a positive whole number, got " + e.getValue());
                }
                limits.put(e.getKey(), e.getValue().asLong());
            }
        }
        return new ServerConfig(socket, mode, group, tcpHost, tcpPort, tcpAdmin, limits);
    }

    private static HttpConfig http(String file, JsonNode h) throws ConfigException {
        if (h == null) {
            return null;
        }
        requireTable(file, "http", h);
        checkKeys(file, "[http]", h, HttpConfig.KEYS);
        String listen = h.has("listen") ? string(file, "[http]", "listen", h.get("listen")) : HttpConfig.DEFAULT_LISTEN;
        String token = h.has("http_token") ? string(file, "[http]", "http_token", h.get("http_token")) : null;
        return HttpConfig.of(file, listen, token, intIn(file, "max_watchers", h.get("max_watchers"), 8),
                intIn(file, "watcher_fps", h.get("watcher_fps"), 5));
    }

    private static int intIn(String file, String key, JsonNode n, int dflt) throws ConfigException {
        if (n == null) {
            return dflt;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw new ConfigException(file + ": [http]: key '" + key + "': must be a whole number, got " + n);
        }
        return n.asInt();
    }

    private static void requireTable(String file, String name, JsonNode n) throws ConfigException {
        if (!n.isObject()) {
            throw new ConfigException(file + ": '" + name + "' must be a table: write [" + name + "]");
        }
    }

    private static void checkKeys(String file, String table, JsonNode n, Set<String> known) throws ConfigException {
        Set<String> unknown = new TreeSet<>();
        n.fieldNames().forEachRemaining(k -> {
            if (!known.contains(k)) {
                unknown.add(k);
            }
        });
        if (!unknown.isEmpty()) {
            throw new ConfigException(file + ": " + table + ": unknown key" + (unknown.size() > 1 ? "s " : " ") + unknown
                    + " (known: " + new TreeSet<>(known) + ")");
        }
    }

    private static String string(String file, String table, String key, JsonNode n) throws ConfigException {
        if (!n.isTextual()) {
            throw new ConfigException(file + ": " + (table == null ? "" : table + ": ") + "key '" + key + "': must be a string, got " + n);
        }
        return n.asText();
    }

    private static boolean bool(String file, String table, String key, JsonNode n, boolean dflt) throws ConfigException {
        if (n == null) {
            return dflt;
        }
        if (!n.isBoolean()) {
            throw new ConfigException(file + ": " + table + ": key '" + key + "': must be true or false, got " + n);
        }
        return n.asBoolean();
    }

    /** A TOML value as plain Java: String, Long, BigInteger, Double, Boolean, List, Map. */
    static Object value(JsonNode n) {
        if (n.isTextual()) {
            return n.asText();
        }
        if (n.isBoolean()) {
            return n.asBoolean();
        }
        if (n.isIntegralNumber()) {
            return n.canConvertToLong() ? (Object) n.asLong() : n.bigIntegerValue();
        }
        if (n.isNumber()) {
            return n.asDouble();
        }
        if (n.isArray()) {
            List<Object> l = new ArrayList<>();
            for (JsonNode x : n) {
                l.add(value(x));
            }
            return l;
        }
        if (n.isObject()) {
            Map<String, Object> m = new LinkedHashMap<>();
            n.fields().forEachRemaining(e -> m.put(e.getKey(), value(e.getValue())));
            return m;
        }
        return n.asText();
    }
}
