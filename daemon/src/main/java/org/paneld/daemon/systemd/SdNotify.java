package org.paneld.daemon.systemd;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainDatagramPacket;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sd_notify protocol: datagrams such as {@code READY=1}, {@code STOPPING=1},
 * {@code STATUS=...}, {@code WATCHDOG=1} sent to the Unix datagram socket named by
 * {@code $NOTIFY_SOCKET} (a path, or an abstract name starting with '@'). Java 17 has no Unix
 * datagram channel, so this uses Netty's epoll {@link EpollDomainDatagramChannel} on one small
 * event loop thread, which also sends the watchdog pings at half of {@code $WATCHDOG_USEC}.
 *
 * <p>Without NOTIFY_SOCKET (not run by systemd with Type=notify) every call does nothing.
 * Lifetime: the daemon's (created before start-up, closed at exit). Threads: any.
 */
public final class SdNotify implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SdNotify.class);

    private final String socketName;
    private final DomainSocketAddress address;
    private final EventLoopGroup group;
    private final Channel channel;
    private volatile ScheduledFuture<?> watchdog;

    private SdNotify(String socketName, DomainSocketAddress address, EventLoopGroup group, Channel channel) {
        this.socketName = socketName;
        this.address = address;
        this.group = group;
        this.channel = channel;
    }

    /** A notifier for {@code $NOTIFY_SOCKET}, or a disabled one when it is not set or unusable. */
    public static SdNotify fromEnv(Map<String, String> env) {
        String name = env.get("NOTIFY_SOCKET");
        if (name == null || name.isEmpty()) {
            return new SdNotify(null, null, null, null);
        }
        if (!Epoll.isAvailable()) {
            LOG.warn("NOTIFY_SOCKET is set but Netty epoll is unavailable ({}); systemd will not hear READY=1",
                    Epoll.unavailabilityCause().toString());
            return new SdNotify(null, null, null, null);
        }
        // '@' names an abstract socket: its address starts with a NUL byte.
        String path = name.startsWith("@") ? "\0" + name.substring(1) : name;
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("sd-notify", true),
                EpollIoHandler.newFactory());
        try {
            ChannelFuture f = new Bootstrap().group(group).channel(EpollDomainDatagramChannel.class)
                    // unbound and unconnected, like libsystemd's sendmsg to the address each time
                    .option(ChannelOption.DATAGRAM_CHANNEL_ACTIVE_ON_REGISTRATION, true)
                    .handler(new ChannelInboundHandlerAdapter()).register();
            if (!f.awaitUninterruptibly(5, TimeUnit.SECONDS) || !f.isSuccess()) {
                throw new IllegalStateException("cannot open a datagram socket: " + f.cause());
            }
            return new SdNotify(name, new DomainSocketAddress(path), group, f.channel());
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            LOG.warn("NOTIFY_SOCKET={}: {}; systemd will not hear READY=1", name, e.getMessage());
            return new SdNotify(null, null, null, null);
        }
    }

    /** True when messages go somewhere. */
    public boolean enabled() {
        return channel != null;
    }

    /**
     * Sends one message (lines {@code KEY=VALUE} separated by '\n') and waits until it was
     * written. Failures are logged, never thrown: systemd's absence must not stop the daemon.
     */
    public void send(String message) {
        if (channel == null) {
            return;
        }
        ChannelFuture f = channel.writeAndFlush(new DomainDatagramPacket(
                Unpooled.copiedBuffer(message, StandardCharsets.UTF_8), address));
        if (!f.awaitUninterruptibly(2, TimeUnit.SECONDS)) {
            LOG.warn("sd_notify to {}: not sent within 2 s: {}", socketName, firstLine(message));
        } else if (!f.isSuccess()) {
            LOG.warn("sd_notify to {} failed: {}: {}", socketName, f.cause().toString(), firstLine(message));
        }
    }

    /** READY=1 with a STATUS line. */
    public void ready(String status) {
        send("READY=1\nSTATUS=" + status + "\nMAINPID=" + ProcessHandle.current().pid());
    }

    /** STOPPING=1 with a STATUS line. */
    public void stopping(String status) {
        send("STOPPING=1\nSTATUS=" + status);
    }

    public void status(String status) {
        send("STATUS=" + status);
    }

    /**
     * Starts WATCHDOG=1 pings at half of {@code $WATCHDOG_USEC} when it is set (and
     * {@code $WATCHDOG_PID}, if set, is this process). Returns the interval in ms, or 0.
     */
    public long startWatchdog(Map<String, String> env) {
        return startWatchdog(env, () -> true);
    }

    /**
     * Like {@link #startWatchdog(Map)}, but each ping is sent only when {@code healthy} says so
     * (it runs on the notifier's thread; if it blocks, the pings stop and systemd restarts the
     * service, which is the point of a watchdog).
     */
    public long startWatchdog(Map<String, String> env, java.util.function.BooleanSupplier healthy) {
        if (channel == null) {
            return 0;
        }
        String usec = env.get("WATCHDOG_USEC");
        if (usec == null || usec.isEmpty()) {
            return 0;
        }
        String pid = env.get("WATCHDOG_PID");
        if (pid != null && !pid.isEmpty() && !pid.equals(Long.toString(ProcessHandle.current().pid()))) {
            return 0;
        }
        long us;
        try {
            us = Long.parseLong(usec.trim());
        } catch (NumberFormatException e) {
            LOG.warn("WATCHDOG_USEC='{}' is not a number; no watchdog pings", usec);
            return 0;
        }
        long periodMs = Math.max(1, us / 2000);
        watchdog = channel.eventLoop().scheduleAtFixedRate(() -> {
            boolean ok;
            try {
                ok = healthy.getAsBoolean();
            } catch (RuntimeException e) {
                ok = false;
            }
            if (ok) {
                channel.writeAndFlush(new DomainDatagramPacket(Unpooled.copiedBuffer("WATCHDOG=1", StandardCharsets.UTF_8), address));
            } else {
                LOG.warn("systemd watchdog: health check failed, no ping");
            }
        }, periodMs, periodMs, TimeUnit.MILLISECONDS);
        LOG.info("systemd watchdog: pinging every {} ms", periodMs);
        return periodMs;
    }

    /** Stops the pings (at shutdown, before the long part of it). */
    public void stopWatchdog() {
        ScheduledFuture<?> w = watchdog;
        if (w != null) {
            w.cancel(false);
        }
    }

    @Override
    public void close() {
        stopWatchdog();
        if (channel != null) {
            channel.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
