package org.paneld.daemon.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.PeerCredentials;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.paneld.daemon.session.ClientBuffer;
import org.paneld.daemon.session.EventSink;
import org.paneld.daemon.session.Session;
import org.paneld.daemon.session.SharedMemory;
import org.paneld.drivers.core.Binding;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.core.Errno;
import org.paneld.drivers.display.DisplayInfo;
import org.paneld.drivers.pixel.PixelFormat;
import org.paneld.drivers.pixel.Rect;
import org.paneld.protocol.ErrorCode;
import org.paneld.protocol.Frame;
import org.paneld.protocol.Message;
import org.paneld.protocol.Message.*;
import org.paneld.protocol.ProtocolException;
import org.paneld.protocol.WritePart;
import org.paneld.drivers.core.Fatal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of one client connection: handshake, request dispatch, its sessions and
 * buffers, per-connection limits, the output gate of the fd-passing exchange, and event
 * delivery. Lifetime: the channel's; closing the connection closes its sessions. Threads: the
 * channel's event loop; {@link #event} and replies from workers hop onto it.
 */
final class Connection extends ChannelInboundHandlerAdapter implements EventSink {
    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);

    private final PaneldServer server;
    private final int number;
    private final boolean unix;
    private final ConnectionOutput out;
    private final DeviceWork work;
    private final SessionTable table;
    private final FdExchange fd;
    private final SessionRequests sessionRequests;
    private final InfoRequests info;
    private Channel channel;
    private int uid = -1;
    private int[] gids = new int[0];
    private boolean helloDone;
    private boolean fdPassing;
    private boolean adminAllowed;
    private volatile int eventMask;
    /** ADMIN_SNAPSHOTs of this connection in flight (bounded by {@link SnapshotSlots}). */
    private final java.util.concurrent.atomic.AtomicInteger snapshots = new java.util.concurrent.atomic.AtomicInteger();
    private ConnectionSlots.Slot slot;
    private ScheduledFuture<?> helloTimeout;
    /** The streamed WRITE whose pieces are arriving (event loop). */
    private StreamedWrite streamed;

    Connection(PaneldServer server, int number, boolean unix) {
        this.server = server;
        this.number = number;
        this.unix = unix;
        this.out = new ConnectionOutput(this, server);
        this.work = new DeviceWork(this, server, out);
        this.table = new SessionTable(server);
        this.fd = new FdExchange(this, out);
        this.sessionRequests = new SessionRequests(this, server);
        this.info = new InfoRequests(this, server);
    }

    @Override
    public String describe() {
        return "conn " + number + (uid >= 0 ? " (uid " + uid + ")" : unix ? "" : " (tcp " + (channel == null ? "" : channel.remoteAddress()) + ")");
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        channel = ctx.channel();
        if (channel instanceof EpollDomainSocketChannel) {
            try {
                PeerCredentials pc = ((EpollDomainSocketChannel) channel).peerCredentials();
                uid = pc.uid();
                // SO_PEERCRED has the primary gid only; supplementary groups matter only to allow-lists
                gids = server.options().deviceAccess().isEmpty() ? pc.gids()
                        : PeerGroups.of(pc.pid(), pc.uid(), pc.gids().length > 0 ? pc.gids()[0] : -1);
            } catch (IOException e) {
                LOG.warn("{}: cannot read peer credentials: {}", describe(), e.toString());
            }
        }
        ConnectionSlots.Outcome admitted = server.connectionOpened(this, unix, uid, () -> onLoop(() -> {
            if (!out.closing()) { // its slot is already given to a newer connection
                LOG.debug("{}: evicted before its HELLO to make room", describe());
                out.refuse(ErrorCode.ETIMEDOUT, "closed before its HELLO: every connection slot was taken, and this was the oldest"
                        + " connection without HELLO");
            }
        }));
        slot = admitted.slot();
        if (slot == null) {
            LOG.debug("{}: refused: {}", describe(), admitted.refusal());
            out.refuse(ErrorCode.EBUSY, admitted.refusal());
        } else {
            long ms = server.admission().helloTimeoutMs();
            helloTimeout = channel.eventLoop().schedule(() -> {
                if (!helloDone && !out.closing()) {
                    LOG.debug("{}: no HELLO within {} ms; closing", describe(), ms);
                    out.refuse(ErrorCode.ETIMEDOUT, "no HELLO within " + ms + " ms of connecting (hello_timeout_ms)");
                }
            }, ms, TimeUnit.MILLISECONDS);
        }
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        out.closed();
        fd.closed();
        if (helloTimeout != null) {
            helloTimeout.cancel(false);
        }
        if (slot != null) {
            slot.release();
        }
        table.closeAll();
        server.connectionClosed(this);
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Fatal.exitIfFatal(cause, describe());
        if (cause instanceof IOException) {
            LOG.debug("{}: {}", describe(), cause.toString());
        } else {
            LOG.warn("{}: closing after an unexpected error: {}", describe(), cause.toString());
        }
        ctx.close();
    }

    // ---------------------------------------------------------------- output

    /** Runs {@code r} on the channel's event loop; dropped when the loop is gone (server closed). */
    void onLoop(Runnable r) {
        try {
            channel.eventLoop().execute(() -> {
                try {
                    r.run();
                } catch (RuntimeException | java.lang.Error e) {
                    Fatal.exitIfFatal(e, describe()); // Netty would log a failed task and carry on
                    throw e;
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("{}: event loop gone, dropped a late reply", describe());
        }
    }

    @Override
    public void event(Message ev) {
        int bit = ev instanceof DeviceAdded ? Message.SUB_DEVICE_ADDED : ev instanceof DeviceRemoved ? Message.SUB_DEVICE_REMOVED : 0;
        if (bit != 0 && (eventMask & bit) == 0) {
            return;
        }
        if (channel != null && channel.isActive()) {
            out.sendLater(new Frame(0, ev));
        }
    }

    // ---------------------------------------------------------------- input

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (out.closing()) {
            io.netty.util.ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof ProtocolException) {
            ProtocolException pe = (ProtocolException) msg;
            LOG.debug("{}: {}", describe(), pe.toString());
            int rt = pe.requestType() & 0xFFFF;
            if (!helloDone && !pe.fatal()) { // §4: whatever the first frame's fault, not HELLO is EPROTO and close
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
            writePart((WritePart) msg);
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
            if (!helloDone && !(f.message() instanceof Hello)) {
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
            LOG.warn("{}: {} failed unexpectedly: {}", describe(), org.paneld.protocol.Codec.typeName(type), e.toString());
            out.sendError(f.id(), type, ErrorCode.EIO, e.toString());
        }
    }

    private void handle(int id, Message m) throws DeviceException {
        if (m instanceof Hello) {
            hello(id, (Hello) m);
        } else if (m instanceof ListDevices) {
            info.listDevices(id);
        } else if (m instanceof DeviceInfo) {
            info.deviceInfo(id, (DeviceInfo) m);
        } else if (m instanceof Open) {
            sessionRequests.open(id, (Open) m);
        } else if (m instanceof Close) {
            sessionRequests.close(id, ((Close) m).session());
        } else if (m instanceof CreateBuffer) {
            createBuffer(id, (CreateBuffer) m);
        } else if (m instanceof DestroyBuffer) {
            DestroyBuffer d = (DestroyBuffer) m;
            Session s = table.session(d.session());
            ClientBuffer b = table.buffer(s, d.buffer());
            s.removeBuffer(b.handle());
            table.forget(b);
            work.submit(s, 64, () -> {
                b.destroyOnWorker();
                server.sessions().bufferDestroyed();
                out.sendLater(new Frame(id, new Ok(Message.DESTROY_BUFFER)));
            });
        } else if (m instanceof Write) {
            write(id, (Write) m);
        } else if (m instanceof Flush) {
            flush(id, (Flush) m);
        } else if (m instanceof Flip) {
            Flip fl = (Flip) m;
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
                    LOG.debug("{}: flip failed: {}", describe(), e.toString());
                }
                ErrorCode result = err;
                onLoop(() -> { // the flip stays pending until FLIP_COMPLETE goes out (a FLIP before it is EBUSY)
                    s.endFlip();
                    out.send(new Frame(0, new FlipComplete(s.id(), b.handle(), id, result)));
                });
            });
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
        } else if (m instanceof AdminStatus || m instanceof AdminDevice) {
            admin(id, m);
        } else {
            throw new DeviceException(Errno.EOPNOTSUPP, org.paneld.protocol.Codec.typeName(m.type()) + " is not a request");
        }
    }

    private void hello(int id, Hello h) {
        if (helloDone) {
            throw new ProtocolException(ErrorCode.EPROTO, id, "HELLO sent twice", true);
        }
        if (h.minVersion() > Message.VERSION || h.maxVersion() < Message.VERSION) {
            throw new ProtocolException(ErrorCode.EPROTO, id, "client speaks versions " + h.minVersion() + ".." + h.maxVersion()
                    + ", this server speaks " + Message.VERSION + ".." + Message.VERSION, true);
        }
        helloDone = true;
        if (helloTimeout != null) {
            helloTimeout.cancel(false);
        }
        if (slot != null) {
            slot.helloDone();
        }
        fdPassing = channel instanceof EpollDomainSocketChannel && (h.flags() & Message.HELLO_WANT_FD) != 0;
        adminAllowed = server.adminAllowed(unix, uid);
        Limits l = server.options().limits();
        int flags = (fdPassing ? Message.HELLO_FD_PASSING : 0) | (adminAllowed ? Message.HELLO_ADMIN : 0);
        out.send(new Frame(id, new HelloReply(Message.VERSION, flags, l.maxFrameBytes(), l.maxRectsPerFlush(), l.maxBufferBytes(),
                l.maxSessionsPerConnection(), l.maxBuffersPerConnection(), l.maxBufferBytesPerConnection(), "paneld")));
    }

    private void checkDisplaySized(Session s, ClientBuffer b) throws DeviceException {
        DisplayInfo i = s.info();
        if (b.width() != i.width() || b.height() != i.height()) {
            throw new DeviceException(Errno.EINVAL, "buffer " + b.handle() + " is " + b.width() + "x" + b.height()
                    + " but the display is " + i.width() + "x" + i.height());
        }
    }

    private void createBuffer(int id, CreateBuffer c) throws DeviceException {
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
        if (shared && !fdPassing) {
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

    private Rect checkRect(ClientBuffer b, int x, int y, int w, int h, String what) throws DeviceException {
        Rect r = new Rect(x, y, w, h);
        if (w <= 0 || h <= 0 || x < 0 || y < 0 || !b.contains(r)) {
            throw new DeviceException(Errno.EINVAL, what + " " + w + "x" + h + "+" + x + "+" + y + " is "
                    + (w <= 0 || h <= 0 ? "empty or of negative size in" : x < 0 || y < 0 ? "left of or above" : "outside")
                    + " the " + b.width() + "x" + b.height() + " buffer " + b.handle() + " (refused, not clipped)");
        }
        return r;
    }

    private void write(int id, Write w) throws DeviceException {
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
    private void writePart(WritePart p) {
        if (p.first()) {
            server.countRequest();
            streamed = new StreamedWrite();
            try {
                if (!helloDone) {
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

    private void flush(int id, Flush f) throws DeviceException {
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
            rects.add(checkRect(b, r.x(), r.y(), r.w(), r.h(), "FLUSH rectangle " + n++));
        }
        work.submit(s, 64 + 16L * rects.size(), () -> work.replyWhenDone(id, Message.FLUSH, () -> s.doFlush(b, rects)));
    }

    private void admin(int id, Message m) throws DeviceException {
        if (!adminAllowed) {
            throw new DeviceException(Errno.EACCES, "admin requests are allowed to root and the daemon's uid on the Unix socket"
                    + (unix ? " (you are uid " + uid + ")" : " (not over TCP)"));
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
                } else {
                    AdminDevice a = (AdminDevice) m;
                    AdminService svc = server.admin();
                    switch (a.type()) {
                        case Message.ADMIN_BIND: svc.bind(a.device()); reply = new Ok(a.type()); break;
                        case Message.ADMIN_UNBIND: svc.unbind(a.device()); reply = new Ok(a.type()); break;
                        case Message.ADMIN_UNPLUG: svc.unplug(a.device()); reply = new Ok(a.type()); break;
                        case Message.ADMIN_REPLUG: svc.replug(a.device()); reply = new Ok(a.type()); break;
                        default: {
                            org.paneld.drivers.pixel.RgbImage img = svc.snapshot(a.device());
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

    /** Sends the SHUTDOWN event. */
    void shutdown(String reason) {
        event(new Shutdown(reason));
    }

    Channel channel() {
        return channel;
    }

    // ---------------------------------------------------------------- for the parts of the connection (event loop)

    ConnectionOutput out() {
        return out;
    }

    DeviceWork work() {
        return work;
    }

    SessionTable table() {
        return table;
    }

    FdExchange fd() {
        return fd;
    }

    boolean unix() {
        return unix;
    }

    /** The peer's uid on the Unix socket, -1 when unknown (TCP). */
    int uid() {
        return uid;
    }

    /** The peer's groups (for allow-lists). */
    int[] gids() {
        return gids;
    }

    boolean helloDone() {
        return helloDone;
    }

    /** True when HELLO asked for, and the socket allows, passing fds. */
    boolean fdPassing() {
        return fdPassing;
    }

    /** True when HELLO granted admin requests. */
    boolean adminAllowed() {
        return adminAllowed;
    }

    /** SUBSCRIBE: the events this connection wants. */
    void subscribe(int mask) {
        eventMask = mask;
    }
}
