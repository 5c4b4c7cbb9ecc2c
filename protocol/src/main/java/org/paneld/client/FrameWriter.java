package org.paneld.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.unix.UnixChannel;
import io.netty.channel.unix.FileDescriptor;
import java.io.IOException;
import java.util.function.Consumer;
import org.paneld.protocol.Codec;
import org.paneld.protocol.Frame;
import org.paneld.protocol.Message;

/**
 * Writes the client's frames in order. A small request (everything but WRITE) is encoded and
 * written to the epoll socket by the calling thread itself when nothing is queued in Netty:
 * no hop to the I/O thread (a task, an eventfd wake-up, a context switch each way on a busy
 * machine) between the caller and the wire — the same single write(2) a C client makes. What the
 * socket does not take at once, WRITE's pixels, frames sent while another is still queued and
 * every frame on NIO go through Netty's pipeline as before; a counter of queued Netty writes keeps
 * the byte order. The reused encode buffer is one small direct buffer (made at the first direct write, released
 * by {@link #closing()}): no buffer allocation per frame.
 *
 * <p>Closing: the socket's fd is only written while {@link #closing()} has not run, under the same
 * lock, and every close of the channel by the client goes through {@link #closing()} first (the
 * channel runs with half-closure allowed, so Netty itself never closes it on a read error or EOF),
 * so a direct write never reaches an fd number that was closed and reused.
 *
 * <p>Lifetime: the connection's. Threads: any (one lock; no call blocks while holding it — the
 * socket is non-blocking).
 */
final class FrameWriter {
    /**
     * {@code -Dpaneld.client.directWrites=false} sends every frame through Netty's I/O thread (as
     * before this class): a diagnostic, and the baseline of {@code bench/run client-fps}'s java_netty.
     */
    static final boolean ENABLED = !"false".equals(System.getProperty("paneld.client.directWrites"));
    /** Frames bigger than this after encoding go through Netty (and the scratch buffer is not kept that big). */
    static final int DIRECT_MAX = 4096;

    private final Channel channel;
    private final FileDescriptor fd;
    private ByteBuf scratch;
    private int queued;
    private boolean closed;
    private long direct;

    /** {@code channel}: the connection; direct writes only when it is an epoll channel. */
    FrameWriter(Channel channel) {
        this.channel = channel;
        this.fd = ENABLED && channel instanceof UnixChannel ? ((UnixChannel) channel).fd() : null;
    }

    /**
     * Sends {@code frame}. Returns null when the whole frame went out on this thread, else the
     * future of the Netty write that carries it (or its tail). {@code failed} gets a failure of a
     * direct write (the connection is then treated as a failed Netty write would be).
     */
    ChannelFuture write(Frame frame, Consumer<Throwable> failed) {
        if (fd != null && !(frame.message() instanceof Message.Write)) {
            synchronized (this) {
                if (!closed && queued == 0 && fd.isOpen()) {
                    if (scratch == null) {
                        scratch = Unpooled.directBuffer(256, DIRECT_MAX);
                    }
                    ByteBuf b = scratch;
                    b.clear();
                    boolean fits = true;
                    try {
                        Codec.encode(frame, b);
                    } catch (IndexOutOfBoundsException e) { // over DIRECT_MAX: let Netty size it
                        fits = false;
                    }
                    if (fits) {
                        try {
                            while (b.isReadable()) {
                                java.nio.ByteBuffer nio = b.internalNioBuffer(b.readerIndex(), b.readableBytes());
                                int n = fd.write(nio, nio.position(), nio.limit());
                                if (n <= 0) {
                                    break; // the socket is full: the rest goes through Netty (EPOLLOUT)
                                }
                                b.skipBytes(n);
                            }
                        } catch (IOException e) {
                            failed.accept(e);
                            return null;
                        }
                        direct++;
                        if (!b.isReadable()) {
                            return null;
                        }
                        return queue(Unpooled.copiedBuffer(b));
                    }
                }
                return queue(frame);
            }
        }
        synchronized (this) {
            return queue(frame);
        }
    }

    /** Hands {@code msg} to Netty; frames after it go there too until it is written. Holds the lock. */
    private ChannelFuture queue(Object msg) {
        queued++;
        ChannelFuture w = channel.writeAndFlush(msg);
        w.addListener(x -> {
            synchronized (this) {
                queued--;
            }
        });
        return w;
    }

    /** No direct write after this; called before every close of the channel (and on channelInactive). */
    void closing() {
        synchronized (this) {
            if (!closed) {
                closed = true;
                if (scratch != null) {
                    scratch.release();
                    scratch = null;
                }
            }
        }
    }

    /** Frames written directly so far (tests). */
    synchronized long directWrites() {
        return direct;
    }
}
