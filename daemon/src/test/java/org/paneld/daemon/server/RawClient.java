package org.paneld.daemon.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import org.paneld.protocol.Codec;
import org.paneld.protocol.DecodeLimits;
import org.paneld.protocol.Frame;
import org.paneld.protocol.Message;

/** A byte-level test client (plain JDK sockets, no Netty): sends arbitrary bytes, reads frames. */
final class RawClient implements AutoCloseable {
    private final SocketChannel ch;
    private final Selector selector;
    private int ids;

    private RawClient(SocketAddress address) throws IOException {
        ch = SocketChannel.open(address);
        ch.configureBlocking(false);
        selector = Selector.open();
        ch.register(selector, SelectionKey.OP_READ);
    }

    static RawClient unix(Path socket) throws IOException {
        return new RawClient(UnixDomainSocketAddress.of(socket));
    }

    static RawClient tcp(int port) throws IOException {
        return new RawClient(new InetSocketAddress("127.0.0.1", port));
    }

    /** Connects and does the HELLO exchange. */
    static RawClient hello(Path socket) throws IOException {
        RawClient c = unix(socket);
        c.send(new Message.Hello(1, 1, 0, "raw"));
        Frame f = c.read();
        if (!(f.message() instanceof Message.HelloReply)) {
            throw new IOException("no hello reply: " + f);
        }
        return c;
    }

    int send(Message m) throws IOException {
        int id = ++ids;
        ByteBuf b = Unpooled.buffer();
        Codec.encode(new Frame(id, m), b);
        byte[] bytes = new byte[b.readableBytes()];
        b.readBytes(bytes);
        sendBytes(bytes);
        return id;
    }

    static byte[] encode(Message m) {
        ByteBuf b = Unpooled.buffer();
        Codec.encode(new Frame(7, m), b);
        byte[] bytes = new byte[b.readableBytes()];
        b.readBytes(bytes);
        return bytes;
    }

    /**
     * Sends {@code frame} repeatedly (never reading) until {@code max} bytes went out or the
     * socket has accepted nothing for {@code stallMs}; returns the bytes accepted.
     */
    long sendUntilBlocked(byte[] frame, long max, long stallMs) throws IOException {
        long sent = 0;
        ByteBuffer bb = ByteBuffer.wrap(frame);
        long lastProgress = System.currentTimeMillis();
        while (sent < max && System.currentTimeMillis() - lastProgress < stallMs) {
            if (!bb.hasRemaining()) {
                bb.rewind();
            }
            int n = ch.write(bb);
            if (n > 0) {
                sent += n;
                lastProgress = System.currentTimeMillis();
            } else {
                Thread.onSpinWait();
            }
        }
        partial = bb.position() != 0 && bb.hasRemaining() ? bb : null;
        return sent;
    }

    private ByteBuffer partial;

    /** Completes the frame {@link #sendUntilBlocked} left half-sent (once the server reads again); 5 s timeout. */
    void finishPartial() throws IOException {
        long deadline = System.currentTimeMillis() + 5000;
        while (partial != null && partial.hasRemaining()) {
            if (ch.write(partial) == 0) {
                if (System.currentTimeMillis() > deadline) {
                    throw new java.net.SocketTimeoutException("the server does not read");
                }
                Thread.onSpinWait();
            }
        }
        partial = null;
    }

    /** Reads and discards replies until {@code n} have come, within {@code timeoutMs}. */
    void drainReplies(int n, long timeoutMs) throws IOException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        for (int i = 0; i < n && System.currentTimeMillis() < deadline; i++) {
            read();
        }
    }

    int lastId() {
        return ids;
    }

    void sendBytes(byte[] bytes) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(bytes);
        while (bb.hasRemaining()) {
            ch.write(bb);
        }
    }

    /** Builds a frame by hand: header then the given payload bytes. */
    static byte[] frame(int type, int id, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(12 + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(8 + payload.length).putShort((short) type).putShort((short) 0).putInt(id).put(payload);
        return b.array();
    }

    static byte[] le(int... words) {
        ByteBuffer b = ByteBuffer.allocate(words.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int w : words) {
            b.putInt(w);
        }
        return b.array();
    }

    private void readFully(ByteBuffer dst, long deadline) throws IOException {
        while (dst.hasRemaining()) {
            int n = ch.read(dst);
            if (n < 0) {
                throw new java.io.EOFException("closed by the server");
            }
            if (n == 0) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    throw new java.net.SocketTimeoutException("no data");
                }
                selector.select(left);
                selector.selectedKeys().clear();
            }
        }
    }

    /** Reads {@code n} raw bytes (5 s timeout). */
    byte[] readBytes(int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        readFully(b, System.currentTimeMillis() + 5000);
        return b.array();
    }

    /** Reads one frame (5 s timeout). */
    Frame read() throws IOException {
        long deadline = System.currentTimeMillis() + 5000;
        ByteBuffer len = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        readFully(len, deadline);
        int n = len.getInt(0);
        ByteBuffer body = ByteBuffer.allocate(n);
        readFully(body, deadline);
        body.flip();
        return Codec.decode(Unpooled.wrappedBuffer(body), DecodeLimits.client(), 0);
    }

    /** True when the server closed the connection (EOF within 5 s, ignoring frames). */
    boolean closedByServer() throws IOException {
        long deadline = System.currentTimeMillis() + 5000;
        ByteBuffer sink = ByteBuffer.allocate(4096);
        while (System.currentTimeMillis() < deadline) {
            sink.clear();
            int n = ch.read(sink);
            if (n < 0) {
                return true;
            }
            if (n == 0) {
                selector.select(Math.max(1, deadline - System.currentTimeMillis()));
                selector.selectedKeys().clear();
            }
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        selector.close();
        ch.close();
    }
}
