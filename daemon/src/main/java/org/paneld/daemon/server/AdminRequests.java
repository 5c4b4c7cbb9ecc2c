package org.paneld.daemon.server;

import java.util.concurrent.atomic.AtomicInteger;
import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.core.Errno;
import org.paneld.drivers.pixel.RgbImage;
import org.paneld.protocol.ErrorCode;
import org.paneld.protocol.Frame;
import org.paneld.protocol.Message;
import org.paneld.protocol.Message.AdminDevice;
import org.paneld.protocol.Message.AdminStatus;
import org.paneld.protocol.Message.Ok;
import org.paneld.protocol.Message.Snapshot;
import org.paneld.protocol.Message.Status;

/**
 * One connection's admin requests (ADMIN_STATUS, ADMIN_BIND/UNBIND/UNPLUG/REPLUG,
 * ADMIN_SNAPSHOT, bounded by {@link SnapshotSlots}, ADMIN_TOUCH and ADMIN_CALIBRATE through
 * {@link TouchAdmin}), for peers HELLO granted them. Lifetime: the
 * connection's. Threads: checked on the channel's event loop, run on the server's admin thread.
 */
final class AdminRequests {
    private final Connection conn;
    private final PaneldServer server;
    private final ConnectionOutput out;
    private final DeviceWork work;
    /** ADMIN_SNAPSHOTs of this connection in flight (bounded by {@link SnapshotSlots}). */
    private final AtomicInteger snapshots = new AtomicInteger();

    AdminRequests(Connection conn, PaneldServer server) {
        this.conn = conn;
        this.server = server;
        this.out = conn.out();
        this.work = conn.work();
    }

    /** Checks the peer may, bounds snapshots, and runs {@code m} on the admin thread; the reply hops back. */
    void admin(int id, Message m) throws DeviceException {
        if (!conn.adminAllowed()) {
            throw new DeviceException(Errno.EACCES, "admin requests are allowed to root and the daemon's uid on the Unix socket"
                    + (conn.unix() ? " (you are uid " + conn.uid() + ")" : " (not over TCP)"));
        }
        boolean snapshot = m.type() == Message.ADMIN_SNAPSHOT; // bounded (the executor rejects only after server close)
        if (snapshot) {
            String refused = server.snapshotSlots().tryAcquire(snapshots);
            if (refused != null) {
                throw new DeviceException(Errno.EBUSY, refused);
            }
        }
        server.adminExecutor().execute(() -> {
            try {
                Message reply;
                if (m instanceof AdminStatus) {
                    reply = new Status(server.statusLines());
                } else if (m instanceof Message.AdminTouch) {
                    TouchAdmin.touch(server, (Message.AdminTouch) m);
                    reply = new Ok(m.type());
                } else if (m instanceof Message.AdminCalibrate) {
                    TouchAdmin.calibrate(server, (Message.AdminCalibrate) m);
                    reply = new Ok(m.type());
                } else {
                    AdminDevice a = (AdminDevice) m;
                    AdminService svc = server.admin();
                    switch (a.type()) {
                        case Message.ADMIN_BIND: svc.bind(a.device()); reply = new Ok(a.type()); break;
                        case Message.ADMIN_UNBIND: svc.unbind(a.device()); reply = new Ok(a.type()); break;
                        case Message.ADMIN_UNPLUG: svc.unplug(a.device()); reply = new Ok(a.type()); break;
                        case Message.ADMIN_REPLUG: svc.replug(a.device()); reply = new Ok(a.type()); break;
                        default: {
                            RgbImage img = svc.snapshot(a.device());
                            reply = new Snapshot(img.width(), img.height(), img.rgb());
                        }
                    }
                }
                out.sendLater(new Frame(id, reply));
            } catch (Exception | InternalError e) {
                out.sendLater(new Frame(id, new Message.Error(e instanceof InternalError ? ErrorCode.EIO : Errors.toWire(e), m.type(), DeviceWork.message(e))));
                work.logFailure(m.type(), e instanceof Exception ? (Exception) e : new RuntimeException(e));
            } finally {
                if (snapshot) { // the reply is handed over: the slot is free
                    server.snapshotSlots().release(snapshots);
                }
            }
        });
    }
}
