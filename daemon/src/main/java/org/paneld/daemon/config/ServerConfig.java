package org.paneld.daemon.config;

import java.nio.file.Path;
import java.util.Map;

/**
 * The {@code [server]} table. Immutable; any thread.
 *
 * @param socket      the Unix socket path, or null for the default ({@link DefaultSocket#forDaemon})
 * @param socketMode  file mode of the socket, e.g. 0660
 * @param socketGroup group of the socket, or null to keep the daemon's
 * @param tcpHost     host of the optional TCP listener, or null for none
 * @param tcpPort     its port (0 when there is no TCP listener)
 * @param tcpAdmin    whether admin requests are allowed over TCP (default false)
 * @param limits      the {@code [server.limits]} table as written (keys checked by the daemon)
 */
public record ServerConfig(Path socket, int socketMode, String socketGroup, String tcpHost, int tcpPort,
                           boolean tcpAdmin, Map<String, Long> limits) {
    public ServerConfig {
        limits = Map.copyOf(limits);
    }

    public static ServerConfig defaults() {
        return new ServerConfig(null, 0660, null, null, 0, false, Map.of());
    }

    public ServerConfig withSocket(Path p) {
        return new ServerConfig(p, socketMode, socketGroup, tcpHost, tcpPort, tcpAdmin, limits);
    }
}
