package org.paneld.daemon.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.unix.PeerCredentials;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.paneld.daemon.session.EventSink;
import org.paneld.drivers.core.Fatal;
import org.paneld.protocol.ErrorCode;
import org.paneld.protocol.Frame;
import org.paneld.protocol.Message;
import org.paneld.protocol.Message.DeviceAdded;
import org.paneld.protocol.Message.DeviceRemoved;
import org.paneld.protocol.Message.Hello;
import org.paneld.protocol.Message.HelloReply;
import org.paneld.protocol.Message.Shutdown;
import org.paneld.protocol.ProtocolException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection's lifetime on its channel's event loop: admission (a slot, the peer's
 * credentials), the HELLO deadline and handshake, event delivery, and teardown (closing the
 * connection closes its sessions). Its parts: {@link ConnectionOutput} (sends, the fd gate,
 * over-share), {@link RequestDispatch} (requests to their handlers), {@link DeviceWork} (device
 * workers, back-pressure), {@link SessionTable} (sessions, buffer accounting), {@link
 * FdExchange}. Lifetime: the channel's. Threads: the channel's event loop; {@link #event} and
 * replies from workers hop onto it.
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
    private final RequestDispatch dispatch;
    private Channel channel;
    private int uid = -1;
    private int[] gids = new int[0];
    private boolean helloDone;
    private boolean fdPassing;
    private boolean adminAllowed;
    private volatile int eventMask;
    private ConnectionSlots.Slot slot;
    private ScheduledFuture<?> helloTimeout;

    Connection(PaneldServer server, int number, boolean unix) {
        this.server = server;
        this.number = number;
        this.unix = unix;
        this.out = new ConnectionOutput(this, server);
        this.work = new DeviceWork(this, server, out);
        this.table = new SessionTable(server);
        this.fd = new FdExchange(this, out);
        this.dispatch = new RequestDispatch(this, server);
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

    @Override
    public int touchSubscription() {
        return eventMask & (Message.SUB_TOUCH | Message.SUB_TOUCH_OBSERVE);
    }

    @Override
    public void touch(Message.Touch t) {
        if (channel != null && channel.isActive()) {
            out.touch(t);
        }
    }

    // ---------------------------------------------------------------- input and handshake

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        dispatch.read(msg);
    }

    /** HELLO: the version, the deadline met, fd passing and admin granted; answers HELLO_REPLY. */
    void hello(int id, Hello h) {
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
