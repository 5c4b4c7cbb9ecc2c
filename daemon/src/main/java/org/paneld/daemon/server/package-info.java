/**
 * The socket server: {@link org.paneld.daemon.server.PaneldServer} (Netty epoll Unix socket or an
 * inherited fd, optional TCP), one {@code Connection} handler per client (handshake, dispatch,
 * limits, the fd-passing exchange, events), the options, limits and access lists the daemon
 * configures, and the {@link org.paneld.daemon.server.AdminService} the daemon implements.
 * Lifetime: the daemon's "socket server" start-up step. Event loops never call a device
 * operation: those run on the session layer's per-device workers.
 */
package org.paneld.daemon.server;
