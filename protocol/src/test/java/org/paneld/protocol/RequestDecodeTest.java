package org.paneld.protocol;

import static org.junit.jupiter.api.Assertions.*;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.paneld.protocol.Message.*;

/**
 * The server's side of the decoder ({@link Codec#decodeRequest}, {@code FrameDecoder(limits, true)}):
 * only request types are parsed, id 0 is refused, malformed beats invalid, sizes never overflow,
 * and EMSGSIZE names the frame's id and type. The same rules over a real socket:
 * ProtocolAsWrittenTest (daemon).
 */
class RequestDecodeTest {
    static final DecodeLimits LIMITS = new DecodeLimits(1 << 20, 16, 16 << 20);

    static ByteBuf body(int type, int id, int... words) {
        ByteBuf b = Unpooled.buffer().writeShortLE(type).writeShortLE(0).writeIntLE(id);
        for (int w : words) {
            b.writeIntLE(w);
        }
        return b;
    }

    static ProtocolException refused(ByteBuf body) {
        return assertThrows(ProtocolException.class, () -> Codec.decodeRequest(body, LIMITS, 0));
    }

    @Test
    void everyRequestDecodesAndNothingElseIsParsed() {
        for (Message m : CodecTest.everyMessage()) {
            ByteBuf b = Unpooled.buffer();
            Codec.encode(new Frame(5, m), b);
            b.skipBytes(4);
            if (Codec.isRequest(m.type())) {
                assertEquals(new Frame(5, m), Codec.decodeRequest(b, LIMITS, 0));
            } else {
                ProtocolException e = refused(b);
                assertEquals(ErrorCode.EOPNOTSUPP, e.code(), m.toString());
                assertFalse(e.fatal());
                assertEquals(m.type(), e.requestType());
                assertEquals(5, e.requestId());
                assertFalse(b.isReadable(), "the frame is skipped");
            }
        }
    }

    @Test
    void aReplyTypeWithAPayloadThatWouldNotParseIsStillEopnotsupp() {
        ProtocolException e = refused(body(Message.OPEN | Message.REPLY, 9, 1).writeByte(1));
        assertEquals(ErrorCode.EOPNOTSUPP, e.code());
        assertFalse(e.fatal());
        assertTrue(e.getMessage().contains("OPEN reply (type 0x8004) is not a request"), e.getMessage());
    }

    @Test
    void requestIdZeroIsFatalEproto() {
        ProtocolException e = refused(body(Message.LIST_DEVICES, 0));
        assertEquals(ErrorCode.EPROTO, e.code());
        assertTrue(e.fatal());
        assertEquals(Message.LIST_DEVICES, e.requestType());
    }

    @Test
    void trailingBytesAfterAnInvalidFieldAreEproto() {
        ProtocolException e = refused(body(Message.CREATE_BUFFER, 3, 1, 0, 48, Message.FOURCC_XRGB8888, 0, 0));
        assertEquals(ErrorCode.EPROTO, e.code());
        assertTrue(e.fatal());
        ByteBuf flush = body(Message.FLUSH, 4, 1, 1, 17);
        flush.writeZero(17 * 16 + 1);
        e = refused(flush);
        assertEquals(ErrorCode.EPROTO, e.code());
        assertTrue(e.fatal());
        flush = body(Message.FLUSH, 4, 1, 1, 17);
        flush.writeZero(17 * 16);
        e = refused(flush);
        assertEquals(ErrorCode.EINVAL, e.code(), "the same without the extra byte");
        assertFalse(e.fatal());
    }

    @Test
    void createBufferSizeIsComputedWithoutOverflow() {
        DecodeLimits unlimited = new DecodeLimits(1 << 20, 16, Long.MAX_VALUE);
        ProtocolException e = assertThrows(ProtocolException.class, () -> Codec.decodeRequest(
                body(Message.CREATE_BUFFER, 3, 1, 0x7FFFFFFF, 0x7FFFFFFF, Message.FOURCC_XRGB8888, 0), unlimited, 0));
        assertEquals(ErrorCode.EINVAL, e.code());
        assertTrue(e.getMessage().contains("needs 18446744056529682436 bytes"), e.getMessage());
        e = assertThrows(ProtocolException.class, () -> Codec.decodeRequest(
                body(Message.CREATE_BUFFER, 3, 1, 0x7FFFFFFF, 0x7FFFFFFF, Message.FOURCC_RGB565, 0), unlimited, 0));
        assertEquals(ErrorCode.EINVAL, e.code());
        // just under 2^31 bytes passes the decoder (the server then checks it against the display)
        assertEquals(new Frame(3, new CreateBuffer(1, 0x1FFFFFFF, 1, Message.FOURCC_XRGB8888, 0)), Codec.decodeRequest(
                body(Message.CREATE_BUFFER, 3, 1, 0x1FFFFFFF, 1, Message.FOURCC_XRGB8888, 0), unlimited, 0));
    }

    @Test
    void emsgsizeWaitsForTheHeaderAndNamesTypeAndId() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(LIMITS, true));
        ch.writeInbound(Unpooled.buffer().writeIntLE((1 << 20) + 1).writeShortLE(Message.WRITE));
        assertNull(ch.readInbound(), "not before the 12-byte header is in");
        ch.writeInbound(Unpooled.buffer().writeShortLE(0).writeIntLE(42));
        ProtocolException e = ch.readInbound();
        assertEquals(ErrorCode.EMSGSIZE, e.code());
        assertEquals(42, e.requestId());
        assertEquals(Message.WRITE, e.requestType());
        assertTrue(e.fatal());
        ch.finishAndReleaseAll();
    }
}
