package org.paneld.daemon.server;

import java.nio.file.Path;
import java.util.Map;

/**
 * How the {@link PaneldServer} listens and whom it lets in. Immutable; any thread.
 *
 * @param socketPath    the Unix domain socket to create (ignored when {@code inheritedFd} is set)
 * @param socketMode    file mode of the socket, e.g. {@code 0660}
 * @param socketGroup   group to give the socket to (nullable: keep the daemon's)
 * @param inheritedFd   an already listening, non-blocking Unix socket fd (systemd socket activation with
 *                      {@code NonBlocking=yes}), nullable
 * @param tcpHost       address for the optional TCP listener (nullable: no TCP), loopback recommended
 * @param tcpPort       TCP port (0 picks a free one, see {@link PaneldServer#tcpPort()})
 * @param limits        per-connection and per-frame limits
 * @param deviceAccess  per-device allow-lists by device name; devices not listed are open to every peer
 * @param tcpAdmin      whether ADMIN_* requests are allowed over TCP (never by default)
 */
public record ServerOptions(Path socketPath, int socketMode, String socketGroup, Integer inheritedFd,
                            String tcpHost, int tcpPort, Limits limits, Map<String, AccessList> deviceAccess,
                            boolean tcpAdmin) {

    public static final Path DEFAULT_SOCKET = Path.of("/run/paneld/paneld.sock");

    public ServerOptions {
        if (socketPath == null && inheritedFd == null) {
            throw new IllegalArgumentException("a socket path or an inherited fd is needed");
        }
        if (limits == null) {
            limits = Limits.defaults();
        }
        deviceAccess = deviceAccess == null ? Map.of() : Map.copyOf(deviceAccess);
        if (tcpPort < 0 || tcpPort > 65535) {
            throw new IllegalArgumentException("tcp port out of range: " + tcpPort);
        }
    }

    /** /run/paneld/paneld.sock, mode 0660, no group change, no TCP, default limits, no access lists. */
    public static ServerOptions defaults() {
        return new ServerOptions(DEFAULT_SOCKET, 0660, null, null, null, 0, Limits.defaults(), Map.of(), false);
    }

    public ServerOptions withSocketPath(Path path) {
        return new ServerOptions(path, socketMode, socketGroup, inheritedFd, tcpHost, tcpPort, limits, deviceAccess, tcpAdmin);
    }

    public ServerOptions withTcp(String host, int port) {
        return new ServerOptions(socketPath, socketMode, socketGroup, inheritedFd, host, port, limits, deviceAccess, tcpAdmin);
    }

    public ServerOptions withLimits(Limits l) {
        return new ServerOptions(socketPath, socketMode, socketGroup, inheritedFd, tcpHost, tcpPort, l, deviceAccess, tcpAdmin);
    }

    public ServerOptions withDeviceAccess(Map<String, AccessList> access) {
        return new ServerOptions(socketPath, socketMode, socketGroup, inheritedFd, tcpHost, tcpPort, limits, access, tcpAdmin);
    }

    public ServerOptions withTcpAdmin(boolean allow) {
        return new ServerOptions(socketPath, socketMode, socketGroup, inheritedFd, tcpHost, tcpPort, limits, deviceAccess, allow);
    }

    public ServerOptions withInheritedFd(Integer fd) {
        return new ServerOptions(socketPath, socketMode, socketGroup, fd, tcpHost, tcpPort, limits, deviceAccess, tcpAdmin);
    }

    public ServerOptions withSocketMode(int mode, String group) {
        return new ServerOptions(socketPath, mode, group, inheritedFd, tcpHost, tcpPort, limits, deviceAccess, tcpAdmin);
    }
}
