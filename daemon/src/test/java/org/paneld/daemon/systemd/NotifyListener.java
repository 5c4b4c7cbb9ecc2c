package org.paneld.daemon.systemd;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainDatagramPacket;
import io.netty.channel.unix.DomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Test side of sd_notify: a Unix datagram socket (a path, or '@' for an abstract name) that
 * queues every message it receives, like systemd's notify socket. Test lifetime.
 */
public final class NotifyListener implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    private final Channel channel;
    private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();

    public NotifyListener(String name) throws InterruptedException {
        String path = name.startsWith("@") ? "\0" + name.substring(1) : name;
        channel = new Bootstrap().group(group).channel(EpollDomainDatagramChannel.class)
                .handler(new SimpleChannelInboundHandler<DomainDatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DomainDatagramPacket p) {
                        messages.add(p.content().toString(StandardCharsets.UTF_8));
                    }
                }).bind(new DomainSocketAddress(path)).sync().channel();
    }

    /** The next message, or null after the timeout. */
    public String poll(long timeout, TimeUnit unit) throws InterruptedException {
        return messages.poll(timeout, unit);
    }

    /** The next message containing {@code key}, skipping others (e.g. WATCHDOG pings); null after the timeout. */
    public String pollFor(String key, long timeout, TimeUnit unit) throws InterruptedException {
        long end = System.nanoTime() + unit.toNanos(timeout);
        while (true) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            String m = messages.poll(left, TimeUnit.NANOSECONDS);
            if (m == null) {
                return null;
            }
            if (m.contains(key)) {
                return m;
            }
        }
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
