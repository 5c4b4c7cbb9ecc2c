package org.paneld.daemon.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.paneld.client.Buffer;
import org.paneld.client.PaneldClient;
import org.paneld.client.Session;
import org.paneld.protocol.Message;
import org.paneld.protocol.Message.Region;

/**
 * {@code bench/run flush-rtt}: 10,000 sequential FLUSHes of a 32x32 rectangle of a shared
 * XRGB8888 buffer from a client over the Unix socket to a virtual-fb panel (320x240), against a
 * bare Netty request/response echo of the same frame sizes (40-byte request, 12-byte reply) over
 * an epoll Unix socket, measured in the same run with the same client threading (caller blocks
 * on a future the event loop completes). Warm-up: 5,000 of each first; then alternating rounds.
 * Last line: {@code flush-rtt: p50_us=X p99_us=Y echo_p50_us=Z ratio=X/Z}.
 */
public final class FlushRttBenchmark {
    static final int N = 10_000;
    static final int WARMUP = 5_000;

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : N;
        BenchRig.quietLogs();
        String result;
        try (BenchRig rig = new BenchRig(1); Echo echo = new Echo()) {
            PaneldClient c = PaneldClient.connect(rig.socket);
            Session s = c.open("fb0", true);
            Buffer b = s.createBuffer(Message.FOURCC_XRGB8888, !Boolean.getBoolean("inline"));
            b.fill(0x336699);
            int sz = Integer.getInteger("rect", 32);
            List<Region> rect = List.of(new Region(100, 100, sz, sz));
            long[] flush = new long[n];
            long[] ping = new long[n];
            for (int i = 0; i < WARMUP; i++) {
                b.flushAsync(rect).get();
                echo.roundTrip();
            }
            // alternate in blocks so that both see the same machine noise
            int block = 500;
            for (int i = 0; i < n; i += block) {
                for (int j = i; j < Math.min(n, i + block); j++) {
                    long t0 = System.nanoTime();
                    b.flushAsync(rect).get();
                    flush[j] = System.nanoTime() - t0;
                }
                for (int j = i; j < Math.min(n, i + block); j++) {
                    long t0 = System.nanoTime();
                    echo.roundTrip();
                    ping[j] = System.nanoTime() - t0;
                }
            }
            c.close();
            Arrays.sort(flush);
            Arrays.sort(ping);
            double p50 = BenchRig.percentile(flush, 0.50) / 1000.0;
            double p99 = BenchRig.percentile(flush, 0.99) / 1000.0;
            double e50 = BenchRig.percentile(ping, 0.50) / 1000.0;
            double e99 = BenchRig.percentile(ping, 0.99) / 1000.0;
            System.out.printf("flushes=%d echo_p99_us=%.1f%n", n, e99);
            result = String.format("flush-rtt: p50_us=%.1f p99_us=%.1f echo_p50_us=%.1f ratio=%.2f", p50, p99, e50, p50 / e50);
        }
        System.out.println(result);
    }

    /** A bare Netty echo over an epoll Unix socket: 40-byte length-prefixed request, 12-byte reply. */
    static final class Echo implements AutoCloseable {
        final EventLoopGroup server = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        final EventLoopGroup client = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        final Path dir;
        final Channel ch;
        final AtomicReference<CompletableFuture<Void>> pending = new AtomicReference<>();

        Echo() throws Exception {
            dir = Files.createTempDirectory(Path.of("/tmp"), "paneld-echo-");
            DomainSocketAddress addr = new DomainSocketAddress(dir.resolve("echo.sock").toFile());
            new ServerBootstrap().group(server).channel(EpollServerDomainSocketChannel.class)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel c) {
                            c.pipeline().addLast(new LengthFieldBasedFrameDecoder(ByteOrder.LITTLE_ENDIAN, 1 << 20, 0, 4, 0, 0, true),
                                    new SimpleChannelInboundHandler<ByteBuf>() {
                                        @Override
                                        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
                                            ByteBuf r = ctx.alloc().ioBuffer(12);
                                            r.writeIntLE(8).writeShortLE(0x8009).writeShortLE(0).writeIntLE(msg.getIntLE(8));
                                            ctx.writeAndFlush(r);
                                        }
                                    });
                        }
                    }).bind(addr).sync();
            ch = new Bootstrap().group(client).channel(EpollDomainSocketChannel.class)
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel c) {
                            c.pipeline().addLast(new LengthFieldBasedFrameDecoder(ByteOrder.LITTLE_ENDIAN, 1 << 20, 0, 4, 0, 0, true),
                                    new SimpleChannelInboundHandler<ByteBuf>() {
                                        @Override
                                        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
                                            pending.get().complete(null);
                                        }
                                    });
                        }
                    }).connect(addr).sync().channel();
        }

        void roundTrip() throws Exception {
            CompletableFuture<Void> f = new CompletableFuture<>();
            pending.set(f);
            ByteBuf b = ch.alloc().ioBuffer(40);
            b.writeIntLE(36).writeShortLE(0x0009).writeShortLE(0).writeIntLE(1);
            b.writeIntLE(1).writeIntLE(1).writeIntLE(1).writeIntLE(100).writeIntLE(100).writeIntLE(32).writeIntLE(32);
            ch.writeAndFlush(b);
            f.get(10, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws Exception {
            ch.close().sync();
            client.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            server.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            Files.deleteIfExists(dir.resolve("echo.sock"));
            Files.deleteIfExists(dir);
        }
    }
}
