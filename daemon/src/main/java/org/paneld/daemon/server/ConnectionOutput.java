package org.paneld.daemon.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.paneld.protocol.ErrorCode;
import org.paneld.protocol.Frame;
import org.paneld.protocol.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's output, on its event loop: sends frames, holds them back while a shared
 * buffer's fd is being passed (the gate; held frames count in the memory budget), closes the
 * connection when its pending output is over its share, and closes after a last ERROR (refuse,
 * close after flush). Lifetime: the connection's. Threads: the channel's event loop;
 * {@link #sendLater} from any thread.
 */
final class ConnectionOutput {
    /** The connection's log: operators and tests follow one logger per connection. */
    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);
    /** How long a refused connection waits for the client to close after the ERROR (see {@link #refuse}). */
    private static final long REFUSAL_LINGER_MS = 1000;
    /** How long a connection closed for its pending output may take to flush the ERROR frame before it is cut. */
    private static final long OVER_SHARE_CLOSE_MS = 10_000;

    private final Connection conn;
    private final PaneldServer server;
    private boolean closing;
    // the fd-passing gate: while a shared buffer's fd is being passed, output is held back
    private boolean gated;
    private final ArrayDeque<Frame> held = new ArrayDeque<>();
    /** Encoded size (estimated) of the frames in {@link #held}. */
    private long heldBytes;

    /** The connection's TOUCH events (bounded; written before any other frame). */
    private final TouchQueue touches;

    ConnectionOutput(Connection conn, PaneldServer server) {
        this.conn = conn;
        this.server = server;
        this.touches = new TouchQueue(() -> gated || closing);
    }

    TouchQueue touches() {
        return touches;
    }

    /** Queues a TOUCH event (any thread); the event loop writes it when the client keeps up (section 15). */
    void touch(Message.Touch t) {
        if (touches.offer(t)) {
            conn.onLoop(() -> touches.drain(conn.channel()));
        }
    }

    /** True once the connection is closing: nothing more is sent, nothing more is read. */
    boolean closing() {
        return closing;
    }

    /** Sends a frame now, or holds it while an fd exchange is in progress. Event loop. */
    void send(Frame f) {
        if (closing) {
            return;
        }
        if (overShare()) {
            return;
        }
        if (gated) {
            long n = OutputShare.estimate(f);
            server.budget().forceReserve(n);
            heldBytes += n;
            held.add(f);
            return;
        }
        Channel channel = conn.channel();
        touches.writeAll(channel); // a TOUCH never follows a frame written after it
        channel.writeAndFlush(f, channel.voidPromise());
    }

    /**
     * True (and the connection is being closed) when the output not yet taken by the client,
     * plus the frames held during an fd exchange, is over the connection's pending share, or over
     * {@link OutputShare#UNDER_PRESSURE} while the daemon-wide budget is exhausted: the client
     * gets ERROR ENOMEM (id 0) after what is already queued, reading stops, and the connection
     * closes once that is flushed (or after {@link #OVER_SHARE_CLOSE_MS}). Event loop.
     */
    private boolean overShare() {
        Channel channel = conn.channel();
        ChannelOutboundBuffer ob = channel.unsafe().outboundBuffer();
        long pending = (ob == null ? 0 : ob.totalPendingWriteBytes()) + heldBytes;
        String why = OutputShare.over(pending, server.options().limits().maxPendingBytesPerConnection(), server.budget());
        if (why == null) {
            return false;
        }
        LOG.warn("{}: {}; closing", conn.describe(), why);
        closing = true;
        channel.config().setAutoRead(false);
        held.clear();
        server.budget().release(heldBytes);
        heldBytes = 0;
        gated = false;
        channel.writeAndFlush(new Frame(0, new Message.Error(ErrorCode.ENOMEM, 0, why))).addListener(ChannelFutureListener.CLOSE);
        channel.eventLoop().schedule(() -> {
            channel.close();
        }, OVER_SHARE_CLOSE_MS, TimeUnit.MILLISECONDS);
        return true;
    }

    /** Sends from any thread. */
    void sendLater(Frame f) {
        if (conn.channel().eventLoop().inEventLoop()) {
            send(f);
        } else {
            conn.onLoop(() -> send(f));
        }
    }

    void sendError(int id, int type, ErrorCode code, String message) {
        send(new Frame(id, new Message.Error(code, type, message)));
    }

    /**
     * Sends a connection-level ERROR (id 0), then half-closes: the client reads the ERROR and EOF
     * even if it is still writing; the socket closes when the client closes or after
     * {@link #REFUSAL_LINGER_MS}. (Closing at once with the client's HELLO unread would reset a TCP
     * connection, which can destroy the ERROR before the client reads it.)
     */
    void refuse(ErrorCode code, String message) {
        sendError(0, 0, code, message);
        if (!server.slots().startLinger()) { // a flood of refusals: do not hold their sockets open
            closeAfterFlush();
            return;
        }
        Channel channel = conn.channel();
        channel.closeFuture().addListener(f -> server.slots().endLinger());
        closing = true;
        channel.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(f -> {
            if (channel instanceof io.netty.channel.socket.DuplexChannel && channel.isActive()) {
                ((io.netty.channel.socket.DuplexChannel) channel).shutdownOutput();
            }
            ScheduledFuture<?> linger = channel.eventLoop().schedule(() -> {
                channel.close();
            }, REFUSAL_LINGER_MS, TimeUnit.MILLISECONDS);
            channel.closeFuture().addListener(x -> linger.cancel(false)); // nothing queued outlives the socket
        });
    }

    void closeAfterFlush() {
        closing = true;
        conn.channel().writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    /** True while the gate holds output back (an fd exchange is in progress). */
    boolean gated() {
        return gated;
    }

    /** Closes the gate: output is held until {@link #ungate}. */
    void gate() {
        gated = true;
    }

    /** Opens the gate; what is held stays held until {@link #sendHeld} (a fatal error goes out at once). */
    void ungate() {
        gated = false;
    }

    /** Sends the frames held while the gate was closed, in order, as long as it stays open. */
    void sendHeld() {
        while (!held.isEmpty() && !gated && !closing) {
            Frame h = held.poll();
            long n = OutputShare.estimate(h);
            server.budget().release(n);
            heldBytes -= n;
            send(h);
        }
        if (!gated && !closing) {
            touches.drain(conn.channel());
        }
    }

    /** The channel is inactive: nothing more goes out, the held frames are dropped and their bytes released. */
    void closed() {
        closing = true;
        touches.closed();
        held.clear();
        server.budget().release(heldBytes);
        heldBytes = 0;
    }
}
