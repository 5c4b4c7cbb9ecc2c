package org.paneld.daemon.server;

import org.paneld.daemon.session.ClientBuffer;
import org.paneld.daemon.session.Session;
import org.paneld.drivers.core.DeviceException;
import org.paneld.protocol.WritePart;

/**
 * One WRITE request whose pixels arrive in pieces ({@link WritePart}): its target (checked on the
 * first piece) or why it was refused, and the first failure while copying. Lifetime: one WRITE.
 * Threads: target/refuse on the event loop before any piece is queued; {@link #copy} and
 * {@link #result} on the session's device worker, in order (the queueing publishes the target).
 */
final class StreamedWrite {
    private Session session;
    private ClientBuffer buffer;
    private DeviceException refused;
    private Exception failure;

    void target(Session s, ClientBuffer b) {
        this.session = s;
        this.buffer = b;
    }

    void refuse(DeviceException e) {
        this.refused = e;
    }

    DeviceException refused() {
        return refused;
    }

    Session session() {
        return session;
    }

    /** Copies one piece into the buffer unless an earlier piece failed. Device worker. */
    void copy(WritePart p) {
        if (failure != null) {
            return;
        }
        try {
            session.checkPresent();
            buffer.writePart(p.x(), p.y(), p.w(), p.h(), p.offset(), p.data());
        } catch (Exception e) {
            failure = e;
        }
    }

    /** After the last piece: throws the first failure, if any. Device worker. */
    void result() throws Exception {
        if (failure != null) {
            throw failure;
        }
    }
}
