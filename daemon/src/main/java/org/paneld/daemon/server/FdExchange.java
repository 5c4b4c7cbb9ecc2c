package org.paneld.daemon.server;

import io.netty.channel.unix.FileDescriptor;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.paneld.daemon.session.ClientBuffer;
import org.paneld.protocol.ErrorCode;
import org.paneld.protocol.Frame;
import org.paneld.protocol.Message;
import org.paneld.protocol.Message.Ok;
import org.paneld.protocol.ProtocolException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fd exchange of one connection's shared buffer (PROTOCOL.md): BUFFER_CREATED closes the
 * output gate, FD_READY sends the memfd, FD_RECEIVED opens the gate again; no FD_RECEIVED within
 * {@link #FD_EXCHANGE_TIMEOUT_MS} is EPROTO and closes the connection. One exchange at a time.
 * Lifetime: the connection's. Threads: the channel's event loop.
 */
final class FdExchange {
    /** The connection's log: operators and tests follow one logger per connection. */
    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);
    private static final long FD_EXCHANGE_TIMEOUT_MS = 10_000;

    private final Connection conn;
    private final ConnectionOutput out;
    private ClientBuffer fdBuffer;
    private ScheduledFuture<?> fdTimeout;

    FdExchange(Connection conn, ConnectionOutput out) {
        this.conn = conn;
        this.out = out;
    }

    /** True while a shared buffer's fd exchange is in progress (another shared buffer is EBUSY). */
    boolean inProgress() {
        return out.gated() || fdBuffer != null;
    }

    /** Starts the exchange of {@code b}'s fd, right after its BUFFER_CREATED went out. */
    void start(ClientBuffer b) {
        // hold all other output until the client has switched its socket to fd mode, got the fd and switched back
        out.gate();
        fdBuffer = b;
        fdTimeout = conn.channel().eventLoop().schedule(() -> {
            LOG.warn("{}: no FD_READY/FD_RECEIVED for buffer {} within {} ms; closing", conn.describe(), b.handle(), FD_EXCHANGE_TIMEOUT_MS);
            out.ungate();
            out.sendError(0, Message.FD_READY, ErrorCode.EPROTO, "fd exchange timed out");
            out.closeAfterFlush();
        }, FD_EXCHANGE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    /** FD_READY: the client's socket is in fd mode; sends the fd (EPROTO, fatal, when none is due). */
    void fdReady(int id, int handle) {
        if (fdBuffer == null || fdBuffer.handle() != handle) {
            throw new ProtocolException(ErrorCode.EPROTO, id, "FD_READY for buffer " + handle + " but "
                    + (fdBuffer == null ? "no fd is due" : "buffer " + fdBuffer.handle() + "'s fd is due"), true);
        }
        FileDescriptor fd = fdBuffer.shared().takeFd();
        if (fd == null) {
            throw new ProtocolException(ErrorCode.EPROTO, id, "FD_READY sent twice for buffer " + handle, true);
        }
        conn.channel().writeAndFlush(fd).addListener(fut -> {
            try {
                fd.close();
            } catch (IOException e) {
                // already closed
            }
            if (!fut.isSuccess()) {
                if (fut.cause() instanceof IOException) { // the client went away (Broken pipe, reset): ordinary
                    LOG.debug("{}: passing the fd of buffer {} failed: {}", conn.describe(), handle, fut.cause().toString());
                } else {
                    LOG.warn("{}: passing the fd of buffer {} failed: {}", conn.describe(), handle, fut.cause().toString());
                }
                conn.channel().close();
            }
        });
    }

    /** FD_RECEIVED: the exchange is over; OK, then the held output goes out. */
    void fdReceived(int id, int handle) {
        if (fdBuffer == null || fdBuffer.handle() != handle || fdBuffer.shared().hasFd()) {
            throw new ProtocolException(ErrorCode.EPROTO, id, "FD_RECEIVED for buffer " + handle + " before its fd was sent", true);
        }
        fdBuffer = null;
        out.ungate();
        if (fdTimeout != null) {
            fdTimeout.cancel(false);
            fdTimeout = null;
        }
        out.send(new Frame(id, new Ok(Message.FD_RECEIVED)));
        out.sendHeld();
    }

    /** The channel is inactive: the timeout is cancelled. */
    void closed() {
        if (fdTimeout != null) {
            fdTimeout.cancel(false);
        }
    }
}
