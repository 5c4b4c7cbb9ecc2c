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
