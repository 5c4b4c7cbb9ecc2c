package org.paneld.daemon.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Set;
import java.util.regex.Pattern;
import org.paneld.drivers.core.ConfigException;

/**
 * The {@code [http]} table: the opt-in live view and metrics endpoint (absent: no port is opened).
 * Immutable; any thread.
 *
 * @param host        the address to listen on, an IP literal (loopback by default)
 * @param port        the TCP port (0: any free port, logged at start-up)
 * @param token       the bearer token every request must carry, or null (allowed only on loopback)
 * @param maxWatchers live-view pages open at once; one more gets 503
 * @param watcherFps  pictures per second a watcher gets at most, per panel (latest wins)
 */
public record HttpConfig(String host, int port, String token, int maxWatchers, int watcherFps) {
    static final Set<String> KEYS = Set.of("listen", "http_token", "max_watchers", "watcher_fps");
    /** The documented default listen address. */
    public static final String DEFAULT_LISTEN = "127.0.0.1:7080";
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._~+/=-]{16,256}");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    public HttpConfig {
        if (token != null && token.isEmpty()) {
            token = null;
        }
    }

    /** Whether {@link #host()} is a loopback address (127.0.0.0/8, ::1). */
    public boolean loopback() {
        return isLoopback(host);
    }

    /** "host:port" as a URL authority (IPv6 in brackets). */
    public String authority(int boundPort) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + boundPort;
    }

    /**
     * Parses and checks {@code listen} ("HOST:PORT", IPv6 as "[::1]:7080", or "localhost:PORT")
     * and the token: a non-loopback address without {@code http_token} is refused (the page shows
     * what every panel shows). Errors name {@code where}, the table and the key.
     */
    static HttpConfig of(String where, String listen, String token, int maxWatchers, int watcherFps) throws ConfigException {
        String at = where + ": [http]: key 'listen': ";
        int colon = listen.lastIndexOf(':');
        int port = -1;
        if (colon > 0) {
            try {
                port = Integer.parseInt(listen.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
        }
        if (port < 0 || port > 65535) {
            throw new ConfigException(at + "must be \"HOST:PORT\" with a port from 0 to 65535, e.g. \"" + DEFAULT_LISTEN
                    + "\", got \"" + listen + "\"");
        }
        String host = listen.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new ConfigException(at + "write an IPv6 address in brackets, e.g. \"[::1]:7080\", got \"" + listen + "\"");
        }
        if (host.equals("localhost")) {
            host = "127.0.0.1";
        }
        if (!IPV4.matcher(host).matches() && !host.contains(":")) {
            throw new ConfigException(at + "the host must be an IP address (no name lookups at start-up), e.g. \"127.0.0.1\""
                    + " or \"0.0.0.0\", got \"" + host + "\"");
        }
        try {
            InetAddress.getByName(host); // a literal: no lookup
        } catch (UnknownHostException e) {
            throw new ConfigException(at + "not an IP address: \"" + host + "\"");
        }
        if (token != null && !TOKEN.matcher(token).matches()) {
            throw new ConfigException(where + ": [http]: key 'http_token': must be 16 to 256 characters of A-Z a-z 0-9 . _ ~ + / = -"
                    + " (e.g. the output of `openssl rand -hex 24`), got " + token.length() + " character(s)");
        }
        if (token == null && !isLoopback(host)) {
            throw new ConfigException(at + "\"" + listen + "\" is not a loopback address: set http_token = \"…\" in [http] as"
                    + " well (every request must then carry it), or listen on 127.0.0.1");
        }
        if (maxWatchers < 1 || maxWatchers > 64) {
            throw new ConfigException(where + ": [http]: key 'max_watchers': must be from 1 to 64, got " + maxWatchers);
        }
        if (watcherFps < 1 || watcherFps > 30) {
            throw new ConfigException(where + ": [http]: key 'watcher_fps': must be from 1 to 30, got " + watcherFps);
        }
        return new HttpConfig(host, port, token, maxWatchers, watcherFps);
    }

    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
