package org.paneld.daemon.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.paneld.daemon.session.SessionManager;
import org.paneld.drivers.core.Binding;
import org.paneld.drivers.core.Bus;
import org.paneld.drivers.core.BusListener;
import org.paneld.protocol.DecodeLimits;
import org.paneld.protocol.FrameDecoder;
import org.paneld.protocol.FrameEncoder;
import org.paneld.protocol.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The paneld socket server: a Unix domain socket through Netty's epoll transport (or an
 * inherited, already listening fd from systemd), optionally TCP, speaking the protocol of
 * PROTOCOL.md. It hears the {@link Bus} for devices bound and unbound, and keeps the sessions
 * (each holding a device reference) in a {@link SessionManager}; device operations run on one
 * worker thread per device object, never on an event loop; admin requests on one admin thread.
 *
 * <p>Lifetime: the daemon's "socket server" start-up step: {@link #start()} … {@link #close()}.
 * Shutdown: {@link #stopAccepting()}, {@link #announceShutdown()}, unbind the devices (the
 * daemon), {@link #close()}. Threads: start/stop from one controlling thread; {@link #stats()}
 * from any.
 */
public final class PaneldServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PaneldServer.class);
    private static final long CLOSE_TIMEOUT_MS = 3000;

    private final ServerOptions options;
    private final Admission admission;
    private final ConnectionSlots slots;
    private final Bus bus;
    private final AdminService admin;
    private final SessionManager sessions;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connectionNumbers = new AtomicInteger();
    private final AtomicLong bytesIn = new AtomicLong();
    private final AtomicLong bytesOut = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    /** All clients' buffers, queued work, output and large frames together (see {@link MemoryBudget}). */
    private final MemoryBudget budget;
    private final ExecutorService adminExecutor;
    private final SnapshotSlots snapshotSlots = new SnapshotSlots();
    private final int ownUid;
    private final BusListener busListener = new BusListener() {
        @Override
        public void deviceBound(Binding binding) {
            broadcast(new Message.DeviceAdded(binding.device().name()));
        }

        @Override
        public void deviceUnbound(Binding binding, boolean surprise) {
            broadcast(new Message.DeviceRemoved(binding.device().name()));
        }
    };
    private EventLoopGroup bossGroup;
    private EventLoopGroup childGroup;
    private final List<Channel> listeners = new ArrayList<>();
    private Channel tcpChannel;
    private boolean createdSocketFile;
    private volatile boolean closed;

    public PaneldServer(ServerOptions options, Bus bus, AdminService admin) {
        this(options, Admission.defaults(), bus, admin);
    }

    /** With the lock-out defences of {@code admission} (HELLO deadline, per-uid slots, admin reserve). */
    public PaneldServer(ServerOptions options, Admission admission, Bus bus, AdminService admin) {
        this.options = options;
        this.admission = admission;
        this.slots = new ConnectionSlots(options.limits().maxConnections(), admission);
        this.bus = bus;
        this.admin = admin == null ? AdminService.unsupported() : admin;
        this.sessions = new SessionManager(bus.tracker());
        this.budget = new MemoryBudget(options.limits());
        this.adminExecutor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "paneld-admin");
            t.setDaemon(true);
            return t;
        });
        this.ownUid = ownUid();
    }

    private static int ownUid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | RuntimeException e) {
            return -2;
        }
    }

    /** Listening when it returns (Unix socket, optional TCP, or the inherited fd). */
    public void start() throws Exception {
        if (!Epoll.isAvailable()) {
            throw new IOException("the epoll transport is not available (" + Epoll.unavailabilityCause() + "); paneld needs Linux");
        }
        Limits lim = options.limits();
        LOG.info("memory budget {} bytes ({} after {} connections x {}; max heap {}, max direct {}): buffer {}, per connection {}"
                + " of buffers and {} pending", budget.total(), budget.available(), lim.maxConnections(), MemoryBudget.PER_CONNECTION,
                MemoryBudget.maxHeap(), MemoryBudget.maxDirect(), lim.maxBufferBytes(), lim.maxBufferBytesPerConnection(),
                lim.maxPendingBytesPerConnection());
        bossGroup = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        childGroup = new MultiThreadIoEventLoopGroup(2, EpollIoHandler.newFactory());
        bus.addListener(busListener);
        try {
            ServerBootstrap b = new ServerBootstrap().group(bossGroup, childGroup)
                    .childHandler(initializer(true));
            Channel ch;
            if (options.inheritedFd() != null) {
                int fd = options.inheritedFd();
                b.channelFactory(() -> new EpollServerDomainSocketChannel(fd, true)); // already bound and listening
                ch = b.register().sync().channel();
                LOG.info("listening on inherited fd {}", fd);
            } else {
                Path path = options.socketPath();
                prepareSocketPath(path);
                b.channel(EpollServerDomainSocketChannel.class);
                ch = b.bind(new DomainSocketAddress(path.toFile())).sync().channel();
                createdSocketFile = true;
                applyMode(path);
                LOG.info("listening on {}", path);
            }
            listeners.add(ch);
            if (options.tcpHost() != null) {
                ServerBootstrap t = new ServerBootstrap().group(bossGroup, childGroup)
                        .channel(EpollServerSocketChannel.class)
                        .childOption(ChannelOption.TCP_NODELAY, true)
                        .childHandler(initializer(false));
                tcpChannel = t.bind(new InetSocketAddress(options.tcpHost(), options.tcpPort())).sync().channel();
                listeners.add(tcpChannel);
                LOG.info("listening on tcp {}", tcpChannel.localAddress());
                if (options.tcpAdmin()) {
                    LOG.warn("tcp_admin = true: every client that can reach tcp {} (on loopback: every local user) may use"
                            + " admin requests (bind, unbind, unplug, status, snapshot)", tcpChannel.localAddress());
                }
            }
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    private void prepareSocketPath(Path path) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        if (Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Object type = Files.getAttribute(path, "unix:mode", java.nio.file.LinkOption.NOFOLLOW_LINKS);
            if (type instanceof Integer && (((Integer) type) & 0170000) == 0140000) {
                Files.delete(path); // a stale socket of an earlier run
            } else {
                throw new IOException(path + " exists and is not a socket; refusing to replace it");
            }
        }
    }

    private void applyMode(Path path) throws IOException {
        Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
            PosixFilePermission.OWNER_READ};
        for (int i = 0; i < order.length; i++) {
            if ((options.socketMode() & (1 << i)) != 0) {
                perms.add(order[i]);
            }
        }
        Files.setPosixFilePermissions(path, perms);
        if (options.socketGroup() != null) {
            GroupPrincipal g = path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(options.socketGroup());
            Files.getFileAttributeView(path, PosixFileAttributeView.class).setGroup(g);
        }
    }

    private ChannelInitializer<Channel> initializer(boolean unix) {
        Limits l = options.limits();
        DecodeLimits dl = new DecodeLimits(l.maxFrameBytes(), l.maxRectsPerFlush(), l.maxBufferBytes());
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                // fairness: one socket read (at most 64 KiB of requests) per turn, so a flooding
                // client delays the others sharing its event loop by one read's work, not sixteen
                ch.config().setRecvByteBufAllocator(new io.netty.channel.AdaptiveRecvByteBufAllocator().maxMessagesPerRead(1));
                ch.pipeline().addLast("count", counter)
                        .addLast("flushes", new io.netty.handler.flush.FlushConsolidationHandler(256, false))
                        .addLast("meter", new OutputMeter(budget))
                        .addLast("decode", new FrameDecoder(dl, budget))
                        .addLast("encode", FrameEncoder.INSTANCE)
                        .addLast("conn", new Connection(PaneldServer.this, connectionNumbers.incrementAndGet(), unix));
            }
        };
    }

    private final ChannelHandler counter = new ByteCounter();

    @ChannelHandler.Sharable
    private final class ByteCounter extends ChannelDuplexHandler {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf) {
                bytesIn.addAndGet(((ByteBuf) msg).readableBytes());
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof ByteBuf) {
                bytesOut.addAndGet(((ByteBuf) msg).readableBytes());
            } else if (msg instanceof ByteBufHolder) {
                bytesOut.addAndGet(((ByteBufHolder) msg).content().readableBytes());
            }
            ctx.write(msg, promise);
        }
    }

    /** The TCP port bound (useful with port 0), or -1 without TCP. */
    public int tcpPort() {
        Channel t = tcpChannel;
        return t == null ? -1 : ((InetSocketAddress) t.localAddress()).getPort();
    }

    /** SIGTERM step 1: close the listening sockets; open connections stay. */
    public void stopAccepting() {
        for (Channel ch : listeners) {
            ch.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        }
        listeners.clear();
        if (createdSocketFile) {
            try {
                Files.deleteIfExists(options.socketPath());
            } catch (IOException e) {
                LOG.warn("cannot remove {}: {}", options.socketPath(), e.toString());
            }
            createdSocketFile = false;
        }
    }

    /** Sends a SHUTDOWN event to every client. */
    public void announceShutdown() {
        for (Connection c : connections) {
            c.shutdown("paneld is stopping");
        }
    }

    /** Counters. */
    public ServerStats stats() {
        return new ServerStats(connections.size(), sessions.sessionCount(), sessions.bufferCount(), bytesIn.get(), bytesOut.get(),
                requests.get(), sessions.flushCount());
    }

    /** Status lines the server adds to ADMIN_STATUS: the admin service's lines, then sessions and counters. */
    List<String> statusLines() {
        List<String> out = new ArrayList<>(admin.status());
        out.addAll(sessions.describe());
        out.add(stats().line());
        return out;
    }

    /**
     * Closes sessions (dropping device references) and channels within a bounded time even if a
     * client never reads or a device hangs; shuts the event loops. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopAccepting();
        bus.removeListener(busListener);
        for (Connection c : connections) {
            Channel ch = c.channel();
            if (ch != null) {
                ch.close();
            }
        }
        for (Connection c : connections) {
            Channel ch = c.channel();
            if (ch != null) {
                ch.closeFuture().awaitUninterruptibly(1, TimeUnit.SECONDS);
            }
        }
        sessions.closeAll(CLOSE_TIMEOUT_MS);
        adminExecutor.shutdownNow();
        for (EventLoopGroup g : new EventLoopGroup[] {bossGroup, childGroup}) {
            if (g != null) {
                g.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
            }
        }
    }

    // ---------------------------------------------------------------- for connections

    ServerOptions options() {
        return options;
    }

    Bus bus() {
        return bus;
    }

    AdminService admin() {
        return admin;
    }

    /**
     * The server's event loops ({@code [http]} serves on them too: no second server framework):
     * the acceptor and the connections' loops; null before {@link #start()}.
     */
    public EventLoopGroup acceptorLoops() {
        return bossGroup;
    }

    public EventLoopGroup connectionLoops() {
        return childGroup;
    }

    /** The session layer (status, tests). */
    public SessionManager sessions() {
        return sessions;
    }

    ExecutorService adminExecutor() {
        return adminExecutor;
    }

    /** The bound on ADMIN_SNAPSHOTs in flight. */
    SnapshotSlots snapshotSlots() {
        return snapshotSlots;
    }

    Admission admission() {
        return admission;
    }

    /**
     * Admits {@code c} (a slot, see {@link ConnectionSlots}) or says why not; the caller releases
     * the slot when the connection closes.
     */
    ConnectionSlots.Outcome connectionOpened(Connection c, boolean unix, int uid, Runnable evict) {
        if (closed) {
            return new ConnectionSlots.Outcome(null, "paneld is stopping");
        }
        boolean admin = unix && uid >= 0 && adminAllowed(true, uid);
        ConnectionSlots.Outcome o = slots.acquire(!unix ? ConnectionSlots.TCP : uid < 0 ? ConnectionSlots.UNKNOWN : uid, admin, evict);
        if (o.slot() != null) {
            connections.add(c);
        }
        return o;
    }

    /** Slots in use (tests). */
    ConnectionSlots slots() {
        return slots;
    }

    void connectionClosed(Connection c) {
        connections.remove(c);
    }

    /** Reserves {@code n} bytes of the daemon-wide memory budget; false (nothing reserved) when it would overflow. */
    boolean reserveBufferBytes(long n) {
        return budget.tryReserveBuffer(n);
    }

    void releaseBufferBytes(long n) {
        budget.release(n);
    }

    long bufferBytesInUse() {
        return budget.used();
    }

    long maxBufferBytesTotal() {
        return budget.available();
    }

    /** The daemon-wide memory budget. */
    public MemoryBudget budget() {
        return budget;
    }

    void countRequest() {
        requests.incrementAndGet();
    }

    boolean adminAllowed(boolean unix, int uid) {
        if (!unix) {
            return options.tcpAdmin();
        }
        return uid == 0 || uid == ownUid;
    }

    boolean accessAllowed(String device, boolean unix, int uid, int[] gids) {
        AccessList acl = options.deviceAccess().get(device);
        if (acl == null) {
            return true;
        }
        if (!unix || uid < 0) {
            return false;
        }
        return uid == 0 || uid == ownUid || acl.allows(uid, gids);
    }

    private void broadcast(Message ev) {
        for (Connection c : connections) {
            c.event(ev);
        }
    }
}
