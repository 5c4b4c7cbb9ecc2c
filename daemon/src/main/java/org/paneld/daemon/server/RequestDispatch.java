package org.paneld.daemon.server;

import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.core.Errno;
import org.paneld.protocol.ErrorCode;
import org.paneld.protocol.Frame;
import org.paneld.protocol.Message;
import org.paneld.protocol.Message.*;
import org.paneld.protocol.ProtocolException;
import org.paneld.protocol.WritePart;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dispatches one connection's inbound messages on its event loop: HELLO first (else EPROTO and
 * close), decoding errors and handler failures become ERROR replies (fatal ones close the
 * connection after the ERROR), and each request goes to its handler by subject. Lifetime: the
 * connection's. Threads: the channel's event loop.
 */
final class RequestDispatch {
    /** The connection's log: operators and tests follow one logger per connection. */
    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);

    private final Connection conn;
    private final PaneldServer server;
    private final ConnectionOutput out;
    private final FdExchange fd;
    private final SessionRequests sessionRequests;
    private final InfoRequests info;
    private final BufferRequests buffers;
    private final FrameRequests frames;
    private final AdminRequests admin;

    RequestDispatch(Connection conn, PaneldServer server) {
        this.conn = conn;
        this.server = server;
        this.out = conn.out();
        this.fd = conn.fd();
        this.sessionRequests = new SessionRequests(conn, server);
        this.info = new InfoRequests(conn, server);
        this.buffers = new BufferRequests(conn, server);
        this.frames = new FrameRequests(conn);
        this.admin = new AdminRequests(conn, server);
    }

    /** One decoded inbound message: a frame, a streamed WRITE's piece, or a decoding error. */
    void read(Object msg) {
        if (out.closing()) {
            io.netty.util.ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof ProtocolException) {
            ProtocolException pe = (ProtocolException) msg;
            LOG.debug("{}: {}", conn.describe(), pe.toString());
            int rt = pe.requestType() & 0xFFFF;
            if (!conn.helloDone() && !pe.fatal()) { // §4: whatever the first frame's fault, not HELLO is EPROTO and close
                pe = new ProtocolException(ErrorCode.EPROTO, pe.requestId(), rt, "the first frame must be HELLO, got "
                        + org.paneld.protocol.Codec.typeName(rt) + " (" + pe.getMessage() + ")", true);
            }
            if (pe.fatal()) {
                out.ungate(); // the error goes out at once
                out.sendError(pe.requestId(), rt, pe.code(), pe.getMessage());
                out.closeAfterFlush();
            } else {
                out.sendError(pe.requestId(), rt, pe.code(), pe.getMessage());
            }
            return;
        }
        if (msg instanceof WritePart) {
            buffers.writePart((WritePart) msg);
            return;
        }
        if (!(msg instanceof Frame)) {
            io.netty.util.ReferenceCountUtil.release(msg);
            return;
        }
        Frame f = (Frame) msg;
        server.countRequest();
        int type = f.message().type();
        try {
            if (!conn.helloDone() && !(f.message() instanceof Hello)) {
                throw new ProtocolException(ErrorCode.EPROTO, f.id(), "the first frame must be HELLO, got " + org.paneld.protocol.Codec.typeName(type), true);
            }
            handle(f.id(), f.message());
        } catch (ProtocolException pe) {
            if (pe.fatal()) {
                out.ungate(); // the error goes out at once, then the connection closes
            }
            out.sendError(f.id(), type, pe.code(), pe.getMessage());
            if (pe.fatal()) {
                out.closeAfterFlush();
            }
        } catch (DeviceException e) {
            out.sendError(f.id(), type, Errors.toWire(e), DeviceWork.message(e));
        } catch (RuntimeException e) {
            LOG.warn("{}: {} failed unexpectedly: {}", conn.describe(), org.paneld.protocol.Codec.typeName(type), e.toString());
            out.sendError(f.id(), type, ErrorCode.EIO, e.toString());
        }
    }

    /** Hands request {@code m} to its handler; a handler's DeviceException becomes the request's ERROR. */
    private void handle(int id, Message m) throws DeviceException {
        if (m instanceof Hello) {
            conn.hello(id, (Hello) m);
        } else if (m instanceof ListDevices) {
            info.listDevices(id);
        } else if (m instanceof DeviceInfo) {
            info.deviceInfo(id, (DeviceInfo) m);
        } else if (m instanceof Open) {
            sessionRequests.open(id, (Open) m);
        } else if (m instanceof Close) {
            sessionRequests.close(id, ((Close) m).session());
        } else if (m instanceof CreateBuffer) {
            buffers.createBuffer(id, (CreateBuffer) m);
        } else if (m instanceof DestroyBuffer) {
            buffers.destroyBuffer(id, (DestroyBuffer) m);
        } else if (m instanceof Write) {
            buffers.write(id, (Write) m);
        } else if (m instanceof Flush) {
            frames.flush(id, (Flush) m);
        } else if (m instanceof Flip) {
            frames.flip(id, (Flip) m);
        } else if (m instanceof SetProperty) {
            info.setProperty(id, (SetProperty) m);
        } else if (m instanceof Subscribe) {
            info.subscribe(id, ((Subscribe) m).mask());
        } else if (m instanceof AcquireOwnership) {
            sessionRequests.acquireOwnership(id, ((AcquireOwnership) m).session());
        } else if (m instanceof ReleaseOwnership) {
            sessionRequests.releaseOwnership(id, ((ReleaseOwnership) m).session());
        } else if (m instanceof FdReady) {
            fd.fdReady(id, ((FdReady) m).buffer());
        } else if (m instanceof FdReceived) {
            fd.fdReceived(id, ((FdReceived) m).buffer());
        } else if (m instanceof AdminStatus || m instanceof AdminDevice || m instanceof AdminTouch || m instanceof AdminCalibrate) {
            admin.admin(id, m);
        } else {
            throw new DeviceException(Errno.EOPNOTSUPP, org.paneld.protocol.Codec.typeName(m.type()) + " is not a request");
        }
    }
}
