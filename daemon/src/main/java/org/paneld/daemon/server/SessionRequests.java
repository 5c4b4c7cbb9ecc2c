package org.paneld.daemon.server;

import org.paneld.daemon.session.Session;
import org.paneld.drivers.core.Binding;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.core.Errno;
import org.paneld.drivers.display.DisplayInfo;
import org.paneld.protocol.Frame;
import org.paneld.protocol.Message;
import org.paneld.protocol.Message.Ok;
import org.paneld.protocol.Message.Open;
import org.paneld.protocol.Message.Opened;

/**
 * One connection's session requests: OPEN (allow-list, session limit), CLOSE, ACQUIRE_OWNERSHIP
 * and RELEASE_OWNERSHIP. Lifetime: the connection's. Threads: the channel's event loop (CLOSE
 * answers when the session's worker has closed it).
 */
final class SessionRequests {
    private final Connection conn;
    private final PaneldServer server;
    private final ConnectionOutput out;
    private final SessionTable table;

    SessionRequests(Connection conn, PaneldServer server) {
        this.conn = conn;
        this.server = server;
        this.out = conn.out();
        this.table = conn.table();
    }

    /** The device bound under {@code name}, or ENOENT. */
    static Device device(PaneldServer server, String name) throws DeviceException {
        Binding b = server.bus().binding(name).orElseThrow(() -> new DeviceException(Errno.ENOENT,
                "no device named '" + name + "' is bound (LIST_DEVICES shows the bound ones)"));
        return b.device();
    }

    void open(int id, Open o) throws DeviceException {
        Device d = device(server, o.device());
        int uid = conn.uid();
        if (!server.accessAllowed(o.device(), conn.unix(), uid, conn.gids())) {
            throw new DeviceException(Errno.EACCES, "uid " + (uid < 0 ? "unknown (tcp)" : uid) + " may not open " + o.device()
                    + " (not in its allow-list)");
        }
        int max = server.options().limits().maxSessionsPerConnection();
        if (table.size() >= max) {
            throw new DeviceException(Errno.EBUSY, "this connection already has " + table.size() + " sessions open (limit " + max + ")");
        }
        int handle = table.nextSessionHandle();
        Session s = server.sessions().open(d, handle, conn, "session " + handle + " of " + conn.describe(),
                (o.flags() & Message.OPEN_OWNER) != 0);
        table.add(handle, s);
        DisplayInfo i = d.info();
        out.send(new Frame(id, new Opened(handle, s.isOwner() ? Message.OPEN_OWNER : 0, i.width(), i.height())));
    }

    void close(int id, int session) throws DeviceException {
        Session s = table.session(session);
        table.remove(s);
        s.close(() -> out.sendLater(new Frame(id, new Ok(Message.CLOSE))));
    }

    void acquireOwnership(int id, int session) throws DeviceException {
        table.session(session).acquireOwnership();
        out.send(new Frame(id, new Ok(Message.ACQUIRE_OWNERSHIP)));
    }

    void releaseOwnership(int id, int session) throws DeviceException {
        Session s = table.session(session);
        s.checkPresent(); // §9: ENODEV after unplug
        s.releaseOwnership();
        out.send(new Frame(id, new Ok(Message.RELEASE_OWNERSHIP)));
    }
}
