package org.paneld.daemon.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.paneld.daemon.config.HttpConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The opt-in {@code [http]} endpoint: the live view page ({@code GET /}), its event stream
 * ({@code GET /events}), snapshots ({@code GET /devices/NAME.png}) and Prometheus metrics
 * ({@code GET /metrics}), served by Netty's HTTP codec on the daemon's own event loops (no second
 * server framework). The event loops only parse and route; pictures, PNG encoding and scrapes run
 * on one work thread ("paneld-http") with a bounded queue, so a viewer never delays a panel or a
 * socket client by more than a parse.
 *
 * <p>Bounded: {@value #MAX_CONNECTIONS} connections (503 beyond), 4 KiB request line, 8 KiB of
 * headers (414, 431), {@value #REQUEST_TIMEOUT_MS} ms to send a request (408), {@value #MAX_QUEUED}
 * queued jobs (503), {@code max_watchers} live views (503), one picture in flight per watcher, and
 * {@value #WRITE_TIMEOUT_S} s for an answer to leave (a client that stops reading is closed, and
 * with it what it held of direct memory).
 * Lifetime: the daemon's server step ({@link #start()} after the socket server, {@link #close()}
 * before it closes). Threads: start/close from the controlling thread.
 */
public final class HttpView implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpView.class);
    static final int MAX_CONNECTIONS = 16;
    /** Seconds an answer (or one event of a stream) may take to leave; then the connection is closed. */
    static final int WRITE_TIMEOUT_S = 10;
    static final long REQUEST_TIMEOUT_MS = 10_000;
    static final int MAX_QUEUED = 16;
    static final int MAX_LINE = 4096, MAX_HEADERS = 8192;

    private final HttpConfig config;
    private final EventLoopGroup acceptor;
    private final EventLoopGroup loops;
    private final PanelDirectory directory;
    private final HttpMetrics metrics;
    private final LiveView live;
    private final ScheduledThreadPoolExecutor work;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger queued = new AtomicInteger();
    private final byte[] page;
    private Channel listener;
    private ScheduledFuture<?> ticker;
    private volatile boolean closed;
    private final long requestTimeoutMs;

    public HttpView(HttpConfig config, EventLoopGroup acceptor, EventLoopGroup loops, PanelDirectory directory, HttpMetrics metrics) {
        this(config, acceptor, loops, directory, metrics, REQUEST_TIMEOUT_MS);
    }

    /** With another deadline for sending a request (tests). */
    HttpView(HttpConfig config, EventLoopGroup acceptor, EventLoopGroup loops, PanelDirectory directory, HttpMetrics metrics,
             long requestTimeoutMs) {
        this.requestTimeoutMs = requestTimeoutMs;
        this.config = config;
        this.acceptor = acceptor;
        this.loops = loops;
        this.directory = directory;
        this.metrics = metrics;
        this.live = new LiveView(directory, metrics, config.maxWatchers());
        metrics.registerEndpoint(live::watcherCount);
        this.work = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "paneld-http");
            t.setDaemon(true);
            return t;
        });
        this.work.setRemoveOnCancelPolicy(true);
        this.page = resource("live.html");
    }

    private static byte[] resource(String name) {
        try (InputStream in = HttpView.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read resource " + name, e);
        }
    }

    /** Listening when it returns; the port is {@link #port()}. */
    public void start() throws Exception {
        ServerBootstrap b = new ServerBootstrap().group(acceptor, loops).channel(EpollServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 64)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 64 * 1024))
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast("write-timeout", new io.netty.handler.timeout.WriteTimeoutHandler(WRITE_TIMEOUT_S))
                                .addLast("http", new HttpServerCodec(MAX_LINE, MAX_HEADERS, 8192))
                                .addLast("requests", new HttpRequests(HttpView.this));
                    }
                });
        listener = b.bind(new InetSocketAddress(config.host(), config.port())).sync().channel();
        long period = Math.max(1, 1000 / config.watcherFps());
        ticker = work.scheduleWithFixedDelay(this::tick, period, period, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        try {
            live.tick();
        } catch (RuntimeException e) {
            LOG.warn("live view: tick failed: {}", e.toString());
        } catch (Error e) {
            org.paneld.drivers.core.Fatal.exitIfFatal(e, "the live view");
            throw e;
        }
    }

    /** The bound port (useful with port 0). */
    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /** "http://host:port/". */
    public String url() {
        return "http://" + config.authority(port()) + "/";
    }

    /** Stops listening, ends every stream and connection, stops the work thread. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (listener != null) {
            listener.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        }
        if (ticker != null) {
            ticker.cancel(false);
        }
        work.shutdown();
        try {
            if (!work.awaitTermination(2, TimeUnit.SECONDS)) {
                work.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            work.shutdownNow();
        }
        live.close();
    }

    // ------------------------------------------------------------------ for the request handler

    HttpConfig config() {
        return config;
    }

    PanelDirectory directory() {
        return directory;
    }

    HttpMetrics metrics() {
        return metrics;
    }

    LiveView live() {
        return live;
    }

    byte[] page() {
        return page;
    }

    long requestTimeoutMs() {
        return requestTimeoutMs;
    }

    AtomicInteger connections() {
        return connections;
    }

    /** Runs {@code job} on the work thread; false (nothing queued) when {@value #MAX_QUEUED} are waiting or closed. */
    boolean submit(Runnable job) {
        if (closed || queued.incrementAndGet() > MAX_QUEUED) {
            queued.decrementAndGet();
            return false;
        }
        try {
            work.execute(() -> {
                try {
                    job.run();
                } finally {
                    queued.decrementAndGet();
                }
            });
            return true;
        } catch (java.util.concurrent.RejectedExecutionException e) {
            queued.decrementAndGet();
            return false;
        }
    }

    /** Live views open now (tests, bench). */
    public int watchers() {
        return live.watcherCount();
    }

    /** Nanoseconds spent taking and encoding pictures so far (bench). */
    public long pictureNanos() {
        return live.pictureNanos();
    }

    /** Pictures encoded so far (tests, bench). */
    public long picturesEncoded() {
        return live.picturesEncoded();
    }
}
