package org.paneld.daemon.server;

import java.util.LinkedHashMap;
import java.util.Map;
import org.paneld.daemon.session.ClientBuffer;
import org.paneld.daemon.session.Session;
import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.core.Errno;

/**
 * The sessions of one connection by handle (lookups answer EBADF) and the count and bytes of
 * its buffers, against the per-connection limits and the daemon-wide budget. Lifetime: the
 * connection's; {@link #closeAll} when its channel goes inactive. Threads: the channel's event
 * loop.
 */
final class SessionTable {
    private final PaneldServer server;
    private final Map<Integer, Session> sessions = new LinkedHashMap<>();
    private int nextSession = 1;
    private int nextBuffer = 1;
    private int bufferCount;
    private long bufferBytes;

    SessionTable(PaneldServer server) {
        this.server = server;
    }

    Session session(int handle) throws DeviceException {
        Session s = sessions.get(handle);
        if (s == null) {
            throw new BadHandle("no session " + Integer.toUnsignedString(handle) + " on this connection");
        }
        return s;
    }

    ClientBuffer buffer(Session s, int handle) throws DeviceException {
        ClientBuffer b = s.buffer(handle);
        if (b == null) {
            throw new BadHandle("no buffer " + Integer.toUnsignedString(handle) + " in session " + s.id()
                    + " (a buffer belongs to the session that created it)");
        }
        return b;
    }

    /** EBADF: the device model has no such errno, so the server carries it itself. */
    static final class BadHandle extends DeviceException {
        private static final long serialVersionUID = 1L;

        BadHandle(String message) {
            super(Errno.EINVAL, message);
        }
    }

    /** Sessions open. */
    int size() {
        return sessions.size();
    }

    /** The handle of the next session opened. */
    int nextSessionHandle() {
        return nextSession++;
    }

    void add(int handle, Session s) {
        sessions.put(handle, s);
    }

    /** Takes {@code s} and its buffers off this connection (the caller closes it). */
    void remove(Session s) {
        sessions.remove(s.id());
        for (ClientBuffer b : s.buffers()) {
            forget(b);
        }
    }

    /** Buffers of this connection. */
    int bufferCount() {
        return bufferCount;
    }

    /** What this connection's buffers cost the daemon ({@link ClientBuffer#cost}). */
    long bufferBytes() {
        return bufferBytes;
    }

    /** The handle of the next buffer created. */
    int nextBufferHandle() {
        return nextBuffer++;
    }

    /** Counts a buffer created (its bytes are already reserved in the budget). */
    void bufferAdded(ClientBuffer b) {
        bufferCount++;
        bufferBytes += b.cost();
    }

    /** Uncounts a buffer destroyed or closed with its session, and releases its bytes. */
    void forget(ClientBuffer b) {
        bufferCount--;
        bufferBytes -= b.cost();
        server.releaseBufferBytes(b.cost());
    }

    /** The channel is inactive: releases the buffers' bytes and closes every session. */
    void closeAll() {
        server.releaseBufferBytes(bufferBytes);
        bufferBytes = 0;
        bufferCount = 0;
        for (Session s : sessions.values()) {
            s.close(null);
        }
        sessions.clear();
    }
}
