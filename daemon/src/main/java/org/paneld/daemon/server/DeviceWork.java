package org.paneld.daemon.server;

import java.util.concurrent.atomic.AtomicLong;
import org.paneld.daemon.session.Session;
import org.paneld.drivers.core.DeviceException;
import org.paneld.protocol.ErrorCode;
import org.paneld.protocol.Frame;
import org.paneld.protocol.Message;
import org.paneld.protocol.Message.Ok;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's work on its sessions' device workers: queues each request's device operation
 * with back-pressure (reading pauses while too much of the connection's work is queued) and
 * answers it from the worker. Lifetime: the connection's. Threads: {@link #submit} on the
 * channel's event loop; the tasks, {@link #replyWhenDone} and {@link #logFailure} on a device
 * worker (or the admin thread).
 */
final class DeviceWork {
    /** The connection's log: operators and tests follow one logger per connection. */
    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);

    private final Connection conn;
    private final PaneldServer server;
    private final ConnectionOutput out;
    private final AtomicLong queued = new AtomicLong();
    private volatile boolean readPaused;

    DeviceWork(Connection conn, PaneldServer server, ConnectionOutput out) {
        this.conn = conn;
        this.server = server;
        this.out = out;
    }

    /**
     * Queues {@code task} on the session's device worker, counting {@code cost} bytes against the
     * connection and the daemon-wide budget: above half the connection's pending share, or when
     * the budget cannot take it, the connection stops reading (back-pressure instead of unbounded
     * memory) until the workers bring it under an eighth of the share (and the budget has room,
     * or nothing of this connection is queued any more). Event loop.
     */
    void submit(Session s, long cost, Runnable task) {
        s.deviceSessions().submit(account(cost, task));
    }

    /**
     * Queues a FLUSH as a {@link FlushBatch}, or lets the batch queued last on the device join it
     * (then nothing more is queued and the request costs nothing). Event loop.
     */
    void submitFlush(Session s, FlushBatch batch, long cost) {
        Runnable task = account(cost, () -> runFlush(s, batch));
        if (s.deviceSessions().submitOrMerge(batch, task)) {
            unaccount(cost);
            s.device().frameStats().merged(1);
        }
    }

    /**
     * Runs a FLUSH batch on the worker, paced: the replies of the previous update whose rows were
     * left pending (interlace) go first, once this update sent those rows; when this update leaves
     * rows pending, its replies are held until the flush queued next sends them, or, when no flush
     * is next, the rows are sent now. A reply still means "on the panel or superseded".
     */
    private void runFlush(Session s, FlushBatch batch) {
        org.paneld.daemon.session.DeviceSessions ds = s.deviceSessions();
        Message reply = null;
        boolean pending = false;
        try {
            Object[] st = batch.start();
            int[] ids = (int[]) st[0];
            @SuppressWarnings("unchecked")
            java.util.List<org.paneld.drivers.pixel.Rect> rects = (java.util.List<org.paneld.drivers.pixel.Rect>) st[1];
            boolean[] left = new boolean[1];
            reply = outcome(Message.FLUSH, () -> left[0] = s.doFlushPaced(batch.buffer(), rects, true));
            pending = left[0];
            ds.releaseHeld(!(reply instanceof Ok)); // this update sent the previous one's rows, unless it failed
            if (pending && reply instanceof Ok) {
                Message ok = reply;
                if (ds.holdReplies(failure -> send(ids, failure == null ? ok : failureReply(Message.FLUSH, failure)))) {
                    return;
                }
                reply = outcome(Message.FLUSH, () -> s.device().sendPendingRows());
            }
            send(ids, reply);
        } finally {
            if (reply == null) {
                ds.releaseHeld(true);
            }
        }
    }

    private void send(int[] ids, Message reply) {
        for (int id : ids) {
            out.sendLater(new Frame(id, reply));
        }
    }

    /** Runs {@code op}: Ok, or the error it failed with. */
    private Message outcome(int type, IoOp op) {
        try {
            op.run();
            return new Ok(type);
        } catch (Exception e) {
            return failureReply(type, e);
        } catch (InternalError e) {
            return failureReply(type, new RuntimeException(e));
        }
    }

    /** The reply for a request that failed with {@code e} (logged like {@link #replyAllWhenDone}). */
    private Message failureReply(int type, Exception e) {
        if (e instanceof IllegalArgumentException) {
            return new Message.Error(ErrorCode.EINVAL, type, message(e));
        }
        if (e instanceof RuntimeException) {
            LOG.warn("{}: {} failed unexpectedly: {}", conn.describe(), org.paneld.protocol.Codec.typeName(type), e.toString());
            return new Message.Error(ErrorCode.EIO, type, e.toString());
        }
        logFailure(type, e);
        return new Message.Error(Errors.toWire(e), type, message(e));
    }

    /** Counts {@code cost} against the connection and the budget; the returned task gives it back when it ran. */
    private Runnable account(long cost, Runnable task) {
        MemoryBudget budget = server.budget();
        boolean fits = budget.tryReserve(cost);
        if (!fits) {
            budget.forceReserve(cost); // already read: counted, and reading pauses until the workers caught up
        }
        long high = server.options().limits().maxPendingBytesPerConnection() / 2, low = high / 4;
        if ((queued.addAndGet(cost) > high || !fits) && !readPaused) {
            readPaused = true;
            conn.channel().config().setAutoRead(false);
        }
        return () -> {
            try {
                task.run();
            } finally {
                budget.release(cost);
                long q = queued.addAndGet(-cost);
                if (q < low && readPaused && (q == 0 || !budget.exhausted())) {
                    conn.onLoop(() -> {
                        long now = queued.get();
                        if (readPaused && !out.closing() && now < low && (now == 0 || !budget.exhausted())) {
                            readPaused = false;
                            conn.channel().config().setAutoRead(true);
                        }
                    });
                }
            }
        };
    }

    /** Gives back the cost of a request that was merged instead of queued. Event loop. */
    private void unaccount(long cost) {
        server.budget().release(cost);
        queued.addAndGet(-cost);
    }

    /** Replies from a worker: runs {@code op}, answers Ok or the error. */
    void replyWhenDone(int id, int type, IoOp op) {
        replyAllWhenDone(new int[] {id}, type, op);
    }

    /** Replies from a worker to requests {@code ids}, in order: runs {@code op} once, answers each Ok or the error. */
    void replyAllWhenDone(int[] ids, int type, IoOp op) {
        Message reply;
        try {
            op.run();
            reply = new Ok(type);
        } catch (IllegalArgumentException e) {
            reply = new Message.Error(ErrorCode.EINVAL, type, message(e));
        } catch (RuntimeException | InternalError e) {
            reply = new Message.Error(ErrorCode.EIO, type, e.toString());
            LOG.warn("{}: {} failed unexpectedly: {}", conn.describe(), org.paneld.protocol.Codec.typeName(type), e.toString());
        } catch (Exception e) {
            reply = new Message.Error(Errors.toWire(e), type, message(e));
            logFailure(type, e);
        }
        for (int id : ids) {
            out.sendLater(new Frame(id, reply));
        }
    }

    void logFailure(int type, Exception e) {
        if (e instanceof DeviceException) {
            LOG.debug("{}: {}: {}", conn.describe(), org.paneld.protocol.Codec.typeName(type), e.toString());
        } else {
            LOG.warn("{}: {}: {}", conn.describe(), org.paneld.protocol.Codec.typeName(type), e.toString());
        }
    }

    /** The message of a failure for the wire: its message, or what it is when it has none. */
    static String message(Throwable e) {
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    @FunctionalInterface
    interface IoOp {
        void run() throws Exception;
    }
}
