package org.paneld.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.paneld.protocol.DecodeLimits;
import org.paneld.protocol.ErrorCode;
import org.paneld.protocol.Frame;
import org.paneld.protocol.FrameDecoder;
import org.paneld.protocol.FrameEncoder;
import org.paneld.protocol.Message;
import org.paneld.protocol.Message.*;

/**
 * A connection to paneld: the Java client library. Connect with {@link #connect(Path)} (Unix
 * socket: shared-memory buffers available) or {@link #connectTcp(String, int)} (inline pixels
 * only); open {@link Session}s on devices; every request has a blocking form (throws
 * {@link PaneldException}) and an {@code …Async} form returning a {@link CompletableFuture}.
 * Events reach {@link EventListener}s on the client's event thread.
 *
 * <pre>{@code
 * try (PaneldClient c = PaneldClient.connect(Path.of("/run/paneld/paneld.sock"));
 *      Session s = c.open("lcd0", true);
 *      Buffer b = s.createBuffer(Message.FOURCC_XRGB8888, true)) {
 *     b.fill(0x0000FF);
 *     b.flush(new Region(0, 0, s.width(), s.height()));
 * }
 * }</pre>
 *
 * Lifetime: from connect to {@link #close()} (which closes its sessions on the server).
 * Threads: any; one I/O thread and one event thread per client. On epoll sockets a request other
 * than WRITE is written to the socket by the calling thread itself ({@link FrameWriter}; no hop to
 * the I/O thread), replies are read by the I/O thread.
 *
 * <p>Parts (package-private): {@link FrameWriter} writes requests, {@link ClientHandler} reads
 * replies and runs the fd exchange of shared buffers, {@link EventDispatch} delivers events.
 */
public final class PaneldClient implements AutoCloseable {
    /** Default timeout of blocking calls (an e-paper refresh can take seconds). */
    public static final long DEFAULT_TIMEOUT_MS = 60_000;

    private final EventLoopGroup group;
    private final Channel channel;
    private final boolean unix;
    private final Map<Integer, CompletableFuture<Object>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final EventDispatch events = new EventDispatch();
    private final FrameWriter writer;
    private volatile HelloReply server;
    private volatile long timeoutMs = DEFAULT_TIMEOUT_MS;
    private volatile CompletableFuture<?> sharedChain = CompletableFuture.completedFuture(null);
    /** The server's ERROR with id 0 (a refusal such as EBUSY "too many connections"), if one came. */
    private volatile PaneldException refusal;
    /** The first failed write: reported only once the server's pending frames have been read. */
    private volatile Throwable writeFailure;
    /** After a failed write, how long the client keeps reading for the server's ERROR before it closes. */
    private static final long READ_AFTER_WRITE_FAILURE_MS = 2000;

    private PaneldClient(EventLoopGroup group, Channel channel, boolean unix) {
        this.group = group;
        this.channel = channel;
        this.unix = unix;
        this.writer = new FrameWriter(channel);
    }

    /**
     * Connects to the Unix socket at {@code socket} (epoll transport), asking for fd passing. When
     * the server refuses the connection (e.g. EBUSY, too many connections) the exception carries
     * the server's code and message, not the broken pipe that follows it.
     */
    public static PaneldClient connect(Path socket) throws IOException {
        if (!Epoll.isAvailable()) {
            throw new IOException("Unix sockets need Netty's epoll transport: " + Epoll.unavailabilityCause());
        }
        EventLoopGroup g = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        return open(g, new Bootstrap().group(g).channel(EpollDomainSocketChannel.class), new DomainSocketAddress(socket.toFile()), true);
    }

    /** Connects over TCP (inline pixel data only). */
    public static PaneldClient connectTcp(String host, int port) throws IOException {
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup g = new MultiThreadIoEventLoopGroup(1, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        Bootstrap b = new Bootstrap().group(g).channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true);
        return open(g, b, new InetSocketAddress(host, port), false);
    }

    private static PaneldClient open(EventLoopGroup g, Bootstrap b, java.net.SocketAddress address, boolean unix) throws IOException {
        PaneldClient[] holder = new PaneldClient[1];
        CompletableFuture<PaneldClient> made = new CompletableFuture<>();
        // a failed write must not close the channel at once: the server's ERROR (e.g. EBUSY, too
        // many connections) may be waiting in the socket, and it is the error worth reporting
        b.option(ChannelOption.AUTO_CLOSE, false);
        // nor may Netty close it on EOF or a read error: the client closes it (after
        // FrameWriter.closing(), so that no caller thread writes to a closed fd number)
        b.option(ChannelOption.ALLOW_HALF_CLOSURE, true);
        b.handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                PaneldClient c = new PaneldClient(g, ch, unix);
                holder[0] = c;
                made.complete(c);
                ch.pipeline().addLast(new FrameDecoder(DecodeLimits.client()), FrameEncoder.INSTANCE, new ClientHandler(c, c.writer, c.events));
            }
        });
        try {
            b.connect(address).sync();
        } catch (Exception e) {
            g.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new PaneldException(ErrorCode.EIO, "cannot connect to " + address + ": " + e.getMessage(), e);
        }
        PaneldClient c = made.join();
        try {
            c.server = (HelloReply) c.await(c.request(new Hello(Message.VERSION, Message.VERSION, unix ? Message.HELLO_WANT_FD : 0,
                    "java " + Runtime.version())));
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** The server's HELLO reply: version, limits, whether fds pass and admin is allowed. */
    public HelloReply serverInfo() {
        return server;
    }

    /** True when shared-memory buffers can be used on this connection. */
    public boolean canShare() {
        HelloReply s = server;
        return s != null && (s.flags() & Message.HELLO_FD_PASSING) != 0;
    }

    public void setTimeout(long ms) {
        this.timeoutMs = ms;
    }

    public void addListener(EventListener l) {
        events.addListener(l);
    }

    public void removeListener(EventListener l) {
        events.removeListener(l);
    }

    public boolean isOpen() {
        return channel.isActive();
    }

    // ---------------------------------------------------------------- requests

    /** Sends {@code m}; the future completes with the reply message or fails with {@link PaneldException}. */
    public CompletableFuture<Message> request(Message m) {
        CompletableFuture<Object> f = send(m);
        return f.thenApply(o -> (Message) o);
    }

    CompletableFuture<Object> send(Message m) {
        return send(nextId(), m);
    }

    CompletableFuture<Object> send(int id, Message m) {
        CompletableFuture<Object> f = new CompletableFuture<>();
        pending.put(id, f);
        if (!channel.isActive()) {
            pending.remove(id);
            f.completeExceptionally(closeReason());
            return f;
        }
        write(id, m);
        return f;
    }

    /** Sends {@code m}, which has no reply (FD_READY: the fd answers it). I/O thread. */
    void sendNoReply(Message m) {
        write(nextId(), m);
    }

    private void write(int id, Message m) {
        ChannelFuture queued = writer.write(new Frame(id, m), e -> writeFailed(id, e));
        if (queued != null) {
            queued.addListener(w -> {
                if (!w.isSuccess()) {
                    writeFailed(id, w.cause());
                }
            });
        }
    }

    private void writeFailed(int id, Throwable cause) {
        if (cause instanceof IOException && channel.isActive()) {
            // the peer closed (Broken pipe) or reset: read what it sent before closing
            // (channelInactive fails the request with the server's ERROR, if one came)
            if (writeFailure == null) {
                writeFailure = cause;
                channel.eventLoop().schedule(this::closeChannel, READ_AFTER_WRITE_FAILURE_MS, TimeUnit.MILLISECONDS);
            }
            return;
        }
        CompletableFuture<Object> p = pending.remove(id);
        if (p != null) {
            p.completeExceptionally(cause instanceof IOException ? closeReason()
                    : new PaneldException(ErrorCode.EIO, "send failed: " + cause, cause));
        }
    }

    /** Every close of the channel: direct writes stop first. */
    ChannelFuture closeChannel() {
        writer.closing();
        return channel.close();
    }

    /** Frames this client wrote on the caller's thread, without a hop to the I/O thread (tests). */
    long directWrites() {
        return writer.directWrites();
    }

    int nextId() {
        int id;
        do {
            id = ids.incrementAndGet();
        } while (id == 0);
        return id;
    }

    /** Waits for {@code f} up to the client's timeout; unwraps the failure. */
    <T> T await(CompletableFuture<T> f) throws PaneldException {
        try {
            return f.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof PaneldException) {
                PaneldException pe = (PaneldException) c;
                throw new PaneldException(pe.code(), pe.getMessage().substring(pe.code().name().length() + 2), pe);
            }
            throw new PaneldException(ErrorCode.EIO, String.valueOf(c), c);
        } catch (TimeoutException e) {
            throw new PaneldException(ErrorCode.ETIMEDOUT, "no answer within " + timeoutMs + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PaneldException(ErrorCode.EIO, "interrupted");
        }
    }

    public CompletableFuture<List<DeviceEntry>> listDevicesAsync() {
        return request(new ListDevices()).thenApply(m -> ((DeviceList) m).devices());
    }

    public List<DeviceEntry> listDevices() throws PaneldException {
        return await(listDevicesAsync());
    }

    public CompletableFuture<Info> infoAsync(String device) {
        return request(new DeviceInfo(0, device)).thenApply(m -> (Info) m);
    }

    public Info info(String device) throws PaneldException {
        return await(infoAsync(device));
    }

    /** Opens a session on {@code device}; {@code owner}: take ownership if nobody has it. */
    public CompletableFuture<Session> openAsync(String device, boolean owner) {
        return request(new Open(owner ? Message.OPEN_OWNER : 0, device)).thenApply(m -> {
            Opened o = (Opened) m;
            Session s = new Session(this, device, o);
            events.opened(s);
            return s;
        });
    }

    public Session open(String device, boolean owner) throws PaneldException {
        return await(openAsync(device, owner));
    }

    /** Opens a session that asks for ownership. */
    public Session open(String device) throws PaneldException {
        return open(device, true);
    }

    /**
     * Sets which optional events arrive (Message.SUB_DEVICE_ADDED | SUB_DEVICE_REMOVED |
     * SUB_TOUCH | SUB_TOUCH_OBSERVE); replaces the previous mask.
     */
    public void subscribe(int mask) throws PaneldException {
        await(request(new Subscribe(mask)));
    }

    // ---------------------------------------------------------------- admin

    public List<String> status() throws PaneldException {
        return ((Status) await(request(new AdminStatus()))).lines();
    }

    public void bind(String device) throws PaneldException {
        await(request(new AdminDevice(Message.ADMIN_BIND, device)));
    }

    public void unbind(String device) throws PaneldException {
        await(request(new AdminDevice(Message.ADMIN_UNBIND, device)));
    }

    public void unplug(String device) throws PaneldException {
        await(request(new AdminDevice(Message.ADMIN_UNPLUG, device)));
    }

    public void replug(String device) throws PaneldException {
        await(request(new AdminDevice(Message.ADMIN_REPLUG, device)));
    }

    /** What the (virtual) panel shows, as 0xRRGGBB pixels. */
    public Snapshot snapshot(String device) throws PaneldException {
        return (Snapshot) await(request(new AdminDevice(Message.ADMIN_SNAPSHOT, device)));
    }

    /** Virtual touch controllers: the emulated finger down at (or moved to) x, y in display pixels (admin). */
    public void touchPress(String device, int x, int y) throws PaneldException {
        await(request(new AdminTouch(device, Message.TOUCH_PRESS, x, y)));
    }

    /** Virtual touch controllers: the emulated finger lifted (admin). */
    public void touchRelease(String device) throws PaneldException {
        await(request(new AdminTouch(device, Message.TOUCH_RELEASE, 0, 0)));
    }

    /** Replaces the display's touch calibration {@code [a, b, c, d, e, f, scale]} at once (admin). */
    public void calibrate(String device, long[] calibration) throws PaneldException {
        if (calibration.length != 7) {
            throw new PaneldException(ErrorCode.EINVAL, "a calibration has 7 numbers, got " + calibration.length);
        }
        await(request(new AdminCalibrate(device, java.util.Arrays.stream(calibration).boxed().toList())));
    }

    // ---------------------------------------------------------------- shared buffers

    /** The result of a shared CREATE_BUFFER: the reply and the client's mapping. */
    record Mapped(BufferCreated reply, MappedByteBuffer map) {
    }

    /** CREATE_BUFFER; shared ones run one at a time (the fd exchange holds the connection's output). */
    CompletableFuture<Object> createBuffer(CreateBuffer cb) {
        if ((cb.flags() & Message.BUFFER_SHARED) == 0) {
            return send(cb);
        }
        synchronized (this) {
            CompletableFuture<Object> f = sharedChain.handle((x, e) -> null).thenCompose(v -> send(cb));
            sharedChain = f;
            return f;
        }
    }

    // ---------------------------------------------------------------- for ClientHandler

    /** Why the connection is unusable: the server's refusal if it sent one, else the failed write, else "closed". */
    PaneldException closeReason() {
        PaneldException r = refusal;
        if (r != null) {
            return new PaneldException(r.code(), r.getMessage().substring(r.code().name().length() + 2));
        }
        Throwable w = writeFailure;
        if (w != null) {
            return new PaneldException(ErrorCode.EIO, "send failed: " + w, w);
        }
        return new PaneldException(ErrorCode.EIO, "connection closed");
    }

    /** The reply's future of request {@code id}, no longer pending; null when none waits. I/O thread. */
    CompletableFuture<Object> takePending(int id) {
        return pending.remove(id);
    }

    /** Fails every pending request with {@code e}. I/O thread. */
    void failPending(PaneldException e) {
        for (Integer id : List.copyOf(pending.keySet())) {
            CompletableFuture<Object> p = pending.remove(id);
            if (p != null) {
                p.completeExceptionally(e);
            }
        }
    }

    /** The server's ERROR with id 0 came: {@link #closeReason()} reports it from now on. I/O thread. */
    void refused(PaneldException e) {
        refusal = e;
    }

    void forget(Session s) {
        events.forget(s);
    }

    /** Closes the connection (the server closes its sessions and buffers). */
    @Override
    public void close() {
        closeChannel().awaitUninterruptibly(2, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        events.shutdown();
    }
}
