package org.paneld.client;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.unix.DomainSocketReadMode;
import io.netty.channel.unix.FileDescriptor;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import org.paneld.protocol.ErrorCode;
import org.paneld.protocol.Frame;
import org.paneld.protocol.Message;
import org.paneld.protocol.Message.BufferCreated;
import org.paneld.protocol.Message.FdReady;
import org.paneld.protocol.Message.FdReceived;
import org.paneld.protocol.ProtocolException;

/**
 * The client's inbound side, last in the pipeline after the {@code FrameDecoder}: completes each
 * pending request with its reply (or its ERROR), hands events (id 0) to {@link EventDispatch},
 * fails every pending request when the connection ends, and runs the client's half of the
 * shared-buffer fd exchange (PROTOCOL.md section 7):
 *
 * <pre>
 *   reply to CREATE_BUFFER with FD_FOLLOWS  → read mode FILE_DESCRIPTORS; send FD_READY
 *   the fd, in a message of its own          → read mode BYTES; map the fd, close it; send
 *     (in that mode epoll drops plain bytes)   FD_RECEIVED, whose reply completes the request
 * </pre>
 *
 * The read mode switches before the next read, which is safe because the server sends nothing else
 * until FD_READY; {@link PaneldClient#createBuffer} runs one shared exchange at a time.
 *
 * <p>Lifetime: one per connection (not sharable), from connect to channelInactive. Threads: the
 * channel's event loop only (the fd-exchange fields are confined to it); every close it makes goes
 * through {@link PaneldClient#closeChannel()}, so {@link FrameWriter#closing()} runs first.
 */
final class ClientHandler extends ChannelInboundHandlerAdapter {
    private final PaneldClient client;
    private final FrameWriter writer;
    private final EventDispatch events;
    // the fd exchange in progress
    private BufferCreated fdReply;
    private CompletableFuture<Object> fdFuture;

    ClientHandler(PaneldClient client, FrameWriter writer, EventDispatch events) {
        this.client = client;
        this.writer = writer;
        this.events = events;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FileDescriptor) {
            fdArrived(ctx, (FileDescriptor) msg);
            return;
        }
        if (msg instanceof ProtocolException) {
            failAll(new PaneldException(((ProtocolException) msg).code(), "bad frame from the server: " + ((ProtocolException) msg).getMessage()));
            client.closeChannel();
            return;
        }
        Frame f = (Frame) msg;
        Message m = f.message();
        if (f.id() == 0 && !(m instanceof Message.Error)) {
            events.dispatch(m);
            return;
        }
        CompletableFuture<Object> p = client.takePending(f.id());
        if (p == null) {
            if (m instanceof Message.Error) {
                Message.Error e = (Message.Error) m;
                PaneldException pe = new PaneldException(e.code(), e.message());
                if (f.id() == 0) {
                    client.refused(pe);
                }
                failAll(pe);
            }
            return;
        }
        if (m instanceof Message.Error) {
            Message.Error e = (Message.Error) m;
            p.completeExceptionally(new PaneldException(e.code(), e.message()));
        } else if (m instanceof BufferCreated && (((BufferCreated) m).flags() & Message.BUFFER_FD_FOLLOWS) != 0) {
            startFdExchange(ctx, (BufferCreated) m, p);
        } else {
            p.complete(m);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            client.closeChannel(); // the server closed (or the read failed): half-closure is not used
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        writer.closing();
        failAll(client.closeReason());
        events.closed();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        failAll(new PaneldException(ErrorCode.EIO, "connection failed: " + cause, cause));
        client.closeChannel();
    }

    /** Fails every pending request and the fd exchange in progress with {@code e}. */
    private void failAll(PaneldException e) {
        client.failPending(e);
        CompletableFuture<Object> f = fdFuture;
        if (f != null) {
            f.completeExceptionally(e);
        }
    }

    private void startFdExchange(ChannelHandlerContext ctx, BufferCreated reply, CompletableFuture<Object> f) {
        // nothing follows the reply until FD_READY: switch to fd mode before the next read
        ((EpollDomainSocketChannel) ctx.channel()).config().setReadMode(DomainSocketReadMode.FILE_DESCRIPTORS);
        fdReply = reply;
        fdFuture = f;
        client.sendNoReply(new FdReady(reply.buffer()));
    }

    private void fdArrived(ChannelHandlerContext ctx, FileDescriptor fd) {
        ((EpollDomainSocketChannel) ctx.channel()).config().setReadMode(DomainSocketReadMode.BYTES);
        BufferCreated reply = fdReply;
        CompletableFuture<Object> f = fdFuture;
        fdReply = null;
        fdFuture = null;
        if (reply == null) {
            closeQuietly(fd);
            return;
        }
        MappedByteBuffer map;
        try (FileChannel fc = FileChannel.open(Path.of("/proc/self/fd/" + fd.intValue()), StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            map = fc.map(FileChannel.MapMode.READ_WRITE, 0, reply.size());
            map.order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException | RuntimeException e) {
            f.completeExceptionally(new PaneldException(ErrorCode.EIO, "cannot map shared buffer " + reply.buffer() + ": " + e, e));
            map = null;
        } finally {
            closeQuietly(fd);
        }
        MappedByteBuffer m = map;
        CompletableFuture<Object> done = client.send(new FdReceived(reply.buffer()));
        if (m != null) {
            done.whenComplete((ok, e) -> {
                if (e != null) {
                    f.completeExceptionally(e);
                } else {
                    f.complete(new PaneldClient.Mapped(reply, m));
                }
            });
        }
    }

    private static void closeQuietly(FileDescriptor fd) {
        try {
            fd.close();
        } catch (IOException e) {
            // ignore
        }
    }
}
