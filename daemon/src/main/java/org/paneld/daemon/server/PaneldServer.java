package org.paneld.daemon.server;

import org.paneld.drivers.core.Bus;

/**
 * The paneld socket server (first cut of the signatures; the implementation follows).
 * Lifetime: the daemon's "socket server" start-up step. Threads: start/stop from the daemon's main thread.
 */
public final class PaneldServer implements AutoCloseable {
    private final ServerOptions options;
    private final Bus bus;
    private final AdminService admin;

    public PaneldServer(ServerOptions options, Bus bus, AdminService admin) {
        this.options = options;
        this.bus = bus;
        this.admin = admin;
    }

    /** Listening when it returns (Unix socket, optional TCP, or the inherited fd). */
    public void start() throws Exception {
        throw new UnsupportedOperationException("not yet");
    }

    /** SIGTERM step 1: close the listening sockets; connections stay. */
    public void stopAccepting() {
    }

    /** Sends a SHUTDOWN event to every client. */
    public void announceShutdown() {
    }

    /** The TCP port bound (useful with port 0), or -1 without TCP. */
    public int tcpPort() {
        return -1;
    }

    /** Counters. */
    public ServerStats stats() {
        return new ServerStats(0, 0, 0, 0, 0, 0, 0);
    }

    /** Closes sessions (dropping device references) and channels within a bounded time; shuts the event loops. */
    @Override
    public void close() {
    }
}
