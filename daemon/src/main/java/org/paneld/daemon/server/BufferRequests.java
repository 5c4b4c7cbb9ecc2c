package org.paneld.daemon.server;

import java.io.IOException;
import org.paneld.daemon.session.ClientBuffer;
import org.paneld.daemon.session.Session;
import org.paneld.daemon.session.SharedMemory;
import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.core.Errno;
import org.paneld.drivers.display.DisplayInfo;
import org.paneld.drivers.pixel.PixelFormat;
import org.paneld.drivers.pixel.Rect;
import org.paneld.protocol.ErrorCode;
import org.paneld.protocol.Frame;
import org.paneld.protocol.Message;
import org.paneld.protocol.Message.BufferCreated;
import org.paneld.protocol.Message.CreateBuffer;
import org.paneld.protocol.Message.DestroyBuffer;
import org.paneld.protocol.Message.Ok;
import org.paneld.protocol.Message.Write;
import org.paneld.protocol.ProtocolException;
import org.paneld.protocol.WritePart;

/**
 * One connection's buffer requests: CREATE_BUFFER (limits, memory budget, a shared buffer starts
 * its {@link FdExchange}), DESTROY_BUFFER, WRITE whole or streamed in pieces. Lifetime: the
 * connection's. Threads: the channel's event loop; the copies on the session's device worker.
 */
final class BufferRequests {
    private final Connection conn;
    private final PaneldServer server;
    private final ConnectionOutput out;
    private final DeviceWork work;
    private final SessionTable table;
    private final FdExchange fd;
    /** The streamed WRITE whose pieces are arriving (event loop). */
    private StreamedWrite streamed;

    BufferRequests(Connection conn, PaneldServer server) {
        this.conn = conn;
        this.server = server;
        this.out = conn.out();
        this.work = conn.work();
        this.table = conn.table();
        this.fd = conn.fd();
    }

    void createBuffer(int id, CreateBuffer c) throws DeviceException {
        Session s = table.session(c.session());
        DisplayInfo i = s.info();
        PixelFormat f = InfoRequests.format(c.format());
        if (f == null || !i.formats().contains(f)) {
            throw new DeviceException(Errno.EINVAL, "format " + Message.formatName(c.format()) + " is not supported by "
                    + s.device().name() + " (supported: " + i.formats() + ")");
        }
        if (c.width() != i.width() || c.height() != i.height()) {
            throw new DeviceException(Errno.EINVAL, "buffer size " + c.width() + "x" + c.height() + " differs from the display's "
                    + i.width() + "x" + i.height() + " (buffers are display-sized)");
        }
        Limits l = server.options().limits();
        if (table.bufferCount() >= l.maxBuffersPerConnection()) {
            throw new DeviceException(Errno.EBUSY, "this connection already has " + table.bufferCount() + " buffers (limit "
                    + l.maxBuffersPerConnection() + ")");
        }
        boolean shared = (c.flags() & Message.BUFFER_SHARED) != 0;
        long size = f.lineBytes(c.width()) * c.height();
        long cost = size; // what the daemon holds: the pixels, or a shared buffer's shadow (ClientBuffer.cost)
        if (table.bufferBytes() + cost > l.maxBufferBytesPerConnection()) {
            throw new DeviceException(Errno.ENOMEM, "a " + size + "-byte buffer would take this connection's buffers to "
                    + (table.bufferBytes() + cost) + " bytes (limit " + l.maxBufferBytesPerConnection() + ", max_buffer_bytes_per_connection)");
        }
        if (!server.reserveBufferBytes(cost)) {
            throw new DeviceException(Errno.ENOMEM, "a " + size + "-byte buffer does not fit the daemon's memory budget ("
                    + server.budget().describe() + " by all clients)");
        }
        boolean reserved = true;
        try {
            String noRoom = server.budget().roomFor(size, shared);
            if (noRoom != null) {
                throw new DeviceException(Errno.ENOMEM, "a " + size + "-byte buffer fits the memory budget, but " + noRoom);
            }
            createReserved(id, c, s, f, shared, size);
            reserved = false;
        } finally {
            if (reserved) {
                server.releaseBufferBytes(cost);
            }
        }
    }

    private void createReserved(int id, CreateBuffer c, Session s, PixelFormat f, boolean shared, long size) throws DeviceException {
        if (shared && !conn.fdPassing()) {
            throw new DeviceException(Errno.EOPNOTSUPP, "shared buffers need a Unix socket connection whose HELLO asked for fd passing;"
                    + " use inline WRITE");
        }
        if (shared && fd.inProgress()) {
            throw new DeviceException(Errno.EBUSY, "another shared buffer's fd exchange is in progress");
        }
        SharedMemory mem = null;
        if (shared) {
            try {
                mem = SharedMemory.allocate(size);
            } catch (IOException e) {
                throw new DeviceException(Errno.ENOMEM, "cannot allocate a shared buffer of " + size + " bytes: " + e.getMessage());
            }
        }
        // within the memory budget: an OutOfMemoryError here is fatal like anywhere else (Fatal)
        ClientBuffer b = new ClientBuffer(table.nextBufferHandle(), c.width(), c.height(), f, mem);
        s.addBuffer(b);
        table.bufferAdded(b);
        server.sessions().bufferCreated();
        out.send(new Frame(id, new BufferCreated(b.handle(), b.stride(), b.size(), shared ? Message.BUFFER_FD_FOLLOWS : 0)));
        if (shared) {
            fd.start(b);
        }
    }

    void destroyBuffer(int id, DestroyBuffer d) throws DeviceException {
        Session s = table.session(d.session());
        ClientBuffer b = table.buffer(s, d.buffer());
        s.removeBuffer(b.handle());
        table.forget(b);
        work.submit(s, 64, () -> {
            b.destroyOnWorker();
            server.sessions().bufferDestroyed();
            out.sendLater(new Frame(id, new Ok(Message.DESTROY_BUFFER)));
        });
    }

    /** The rectangle {@code w}x{@code h}+{@code x}+{@code y} when it lies inside {@code b}; EINVAL naming {@code what} if not (refused, not clipped). */
    static Rect checkRect(ClientBuffer b, int x, int y, int w, int h, String what) throws DeviceException {
        Rect r = new Rect(x, y, w, h);
        if (w <= 0 || h <= 0 || x < 0 || y < 0 || !b.contains(r)) {
            throw new DeviceException(Errno.EINVAL, what + " " + w + "x" + h + "+" + x + "+" + y + " is "
                    + (w <= 0 || h <= 0 ? "empty or of negative size in" : x < 0 || y < 0 ? "left of or above" : "outside")
                    + " the " + b.width() + "x" + b.height() + " buffer " + b.handle() + " (refused, not clipped)");
        }
        return r;
    }

    void write(int id, Write w) throws DeviceException {
        Session s = table.session(w.session());
        ClientBuffer b = table.buffer(s, w.buffer());
        s.checkPresent();
        checkRect(b, w.x(), w.y(), w.w(), w.h(), "WRITE rectangle");
        long need = (long) w.w() * w.h() * b.format().bytesPerPixel();
        if (w.data().length != need) {
            throw new DeviceException(Errno.EINVAL, "WRITE of " + w.w() + "x" + w.h() + " " + b.format() + " pixels needs " + need
                    + " bytes, the frame has " + w.data().length);
        }
        work.submit(s, 64 + w.data().length, () -> work.replyWhenDone(id, Message.WRITE, () -> s.doWrite(b, w.x(), w.y(), w.w(), w.h(), w.data())));
    }

    /**
     * One piece of a streamed WRITE: the first is checked like a whole WRITE; each is copied
     * into the buffer on the device worker as it arrives (counted as queued work, so a slow
     * device pauses reading); the last one is answered (OK, or the first failure). Event loop.
     */
    void writePart(WritePart p) {
        if (p.first()) {
            server.countRequest();
            streamed = new StreamedWrite();
            try {
                if (!conn.helloDone()) {
                    throw new ProtocolException(ErrorCode.EPROTO, p.id(), "the first frame must be HELLO, got WRITE", true);
                }
                if (p.id() == 0) { // the streamed path skips Codec.decodeRequest, which refuses id 0 for every other request
                    throw new ProtocolException(ErrorCode.EPROTO, 0, "WRITE: request id 0 is reserved for events (use any other u32)", true);
                }
                Session s = table.session(p.session());
                ClientBuffer b = table.buffer(s, p.buffer());
                s.checkPresent();
                checkRect(b, p.x(), p.y(), p.w(), p.h(), "WRITE rectangle");
                long need = (long) p.w() * p.h() * b.format().bytesPerPixel();
                if (p.length() != need) {
                    throw new DeviceException(Errno.EINVAL, "WRITE of " + p.w() + "x" + p.h() + " " + b.format() + " pixels needs "
                            + need + " bytes, the frame has " + p.length());
                }
                streamed.target(s, b);
            } catch (ProtocolException pe) {
                streamed = null;
                out.ungate();
                out.sendError(p.id(), Message.WRITE, pe.code(), pe.getMessage());
                out.closeAfterFlush();
                return;
            } catch (DeviceException e) {
                streamed.refuse(e);
            }
        }
        StreamedWrite sw = streamed;
        if (sw == null) {
            return;
        }
        if (p.last()) {
            streamed = null;
        }
        if (sw.refused() != null) {
            if (p.last()) {
                out.sendError(p.id(), Message.WRITE, Errors.toWire(sw.refused()), DeviceWork.message(sw.refused()));
            }
            return;
        }
        work.submit(sw.session(), 64 + p.data().length, () -> {
            sw.copy(p);
            if (p.last()) {
                work.replyWhenDone(p.id(), Message.WRITE, sw::result);
            }
        });
    }
}
