package org.paneld.daemon.server;

import java.util.ArrayList;
import java.util.List;
import org.paneld.daemon.session.ClientBuffer;
import org.paneld.daemon.session.Session;
import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.core.Errno;
import org.paneld.drivers.display.DisplayInfo;
import org.paneld.drivers.pixel.Rect;
import org.paneld.protocol.ErrorCode;
import org.paneld.protocol.Frame;
import org.paneld.protocol.Message;
import org.paneld.protocol.Message.Flip;
import org.paneld.protocol.Message.FlipComplete;
import org.paneld.protocol.Message.Flush;
import org.paneld.protocol.Message.Ok;
import org.paneld.protocol.Message.Region;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's requests that put a buffer on the glass: FLUSH (damage rectangles, answered
 * when the device worker is done) and FLIP (answered at once, FLIP_COMPLETE when done).
 * Lifetime: the connection's. Threads: the channel's event loop; the device operations on the
 * session's device worker.
 */
final class FrameRequests {
    /** The connection's log: operators and tests follow one logger per connection. */
    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);

    private final Connection conn;
    private final ConnectionOutput out;
    private final DeviceWork work;
    private final SessionTable table;

    FrameRequests(Connection conn) {
        this.conn = conn;
        this.out = conn.out();
        this.work = conn.work();
        this.table = conn.table();
    }

    void flush(int id, Flush f) throws DeviceException {
        Session s = table.session(f.session());
        ClientBuffer b = table.buffer(s, f.buffer());
        s.checkPresent();
        if (f.rects().isEmpty()) {
            throw new DeviceException(Errno.EINVAL, "FLUSH without damage rectangles");
        }
        // buffers are display-sized by construction (CREATE_BUFFER checks it against this device object)
        List<Rect> rects = new ArrayList<>(f.rects().size());
        int n = 0;
        for (Region r : f.rects()) {
            rects.add(BufferRequests.checkRect(b, r.x(), r.y(), r.w(), r.h(), "FLUSH rectangle " + n++));
        }
        work.submitFlush(s, new FlushBatch(s, b, rects, id), 64 + 16L * rects.size());
    }

    void flip(int id, Flip fl) throws DeviceException {
        Session s = table.session(fl.session());
        ClientBuffer b = table.buffer(s, fl.buffer());
        checkDisplaySized(s, b);
        s.beginFlip();
        out.send(new Frame(id, new Ok(Message.FLIP)));
        work.submit(s, 64, () -> {
            ErrorCode err = null;
            try {
                s.doFlip(b);
            } catch (Exception | InternalError e) {
                err = e instanceof InternalError ? ErrorCode.EIO : Errors.toWire(e);
                LOG.debug("{}: flip failed: {}", conn.describe(), e.toString());
            }
            ErrorCode result = err;
            conn.onLoop(() -> { // the flip stays pending until FLIP_COMPLETE goes out (a FLIP before it is EBUSY)
                s.endFlip();
                out.send(new Frame(0, new FlipComplete(s.id(), b.handle(), id, result)));
            });
        });
    }

    private void checkDisplaySized(Session s, ClientBuffer b) throws DeviceException {
        DisplayInfo i = s.info();
        if (b.width() != i.width() || b.height() != i.height()) {
            throw new DeviceException(Errno.EINVAL, "buffer " + b.handle() + " is " + b.width() + "x" + b.height()
                    + " but the display is " + i.width() + "x" + i.height());
        }
    }
}
