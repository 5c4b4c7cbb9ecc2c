package org.paneld.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/**
 * The edges of the type ranges (PROTOCOL.md: requests 0x0001-0x0010 and 0x0020-0x0025, events
 * 0x4001-0x4007, ERROR 0x7FFF, replies with bit 0x8000), the EOPNOTSUPP texts for what is not a
 * request, and the value semantics and log texts of messages. Numbers written from the spec,
 * not taken from Codec. Written from the survivors of {@code bench/run mutation} (group protocol).
 */
class ProtocolEdgesTest {

    @Test
    void requestRangesEndWhereTheSpecSays() {
        assertFalse(Codec.isRequest(0x0000));
        assertTrue(Codec.isRequest(0x0001));
        assertTrue(Codec.isRequest(0x0010));
        assertFalse(Codec.isRequest(0x0011));
        assertFalse(Codec.isRequest(0x001F));
        assertTrue(Codec.isRequest(0x0020));
        assertTrue(Codec.isRequest(0x0025));
        assertTrue(Codec.isRequest(0x0026), "ADMIN_TOUCH");
        assertTrue(Codec.isRequest(0x0027), "ADMIN_CALIBRATE");
        assertFalse(Codec.isRequest(0x0028));
        assertFalse(Codec.isRequest(0x8001), "a reply");
        assertFalse(Codec.isRequest(0x4001), "an event");
        assertFalse(Codec.isRequest(0x7FFF), "ERROR");
    }

    private static ByteBuf header(int type, int id) {
        ByteBuf b = Unpooled.buffer(8);
        b.writeShortLE(type).writeShortLE(0).writeIntLE(id);
        return b;
    }

    private static ProtocolException refused(int type) {
        ByteBuf body = header(type, 7);
        try {
            ProtocolException e = assertThrows(ProtocolException.class,
                    () -> Codec.decodeRequest(body, DecodeLimits.client(), 96));
            assertEquals(0, body.readableBytes(), "the frame is skipped");
            return e;
        } finally {
            body.release();
        }
    }

    @Test
    void whatIsNotARequestIsNamed() {
        for (int type : new int[] {0x8009, 0x4001, 0x4006, 0x4007, 0x7FFF}) {
            ProtocolException e = refused(type);
            assertEquals(ErrorCode.EOPNOTSUPP, e.code());
            assertFalse(e.fatal());
            assertEquals(7, e.requestId());
            assertTrue(e.getMessage().contains("(type 0x" + Integer.toHexString(type) + ") is not a request"), e.getMessage());
            assertTrue(e.getMessage().endsWith("; the frame at byte 96 was skipped"), e.getMessage());
        }
        for (int type : new int[] {0x0011, 0x0028, 0x4000, 0x4008, 0x7FFE}) {
            ProtocolException e = refused(type);
            assertTrue(e.getMessage().startsWith("unknown message type 0x" + Integer.toHexString(type) + ";"), e.getMessage());
        }
        assertEquals("FLUSH reply (type 0x8009) is not a request; the frame at byte 96 was skipped", refused(0x8009).getMessage());
        assertEquals("EOPNOTSUPP: unknown message type 0x11; the frame at byte 96 was skipped", refused(0x0011).toString());
    }

    @Test
    void requestIdZeroIsFatal() {
        ByteBuf body = header(Message.FLUSH, 0);
        try {
            ProtocolException e = assertThrows(ProtocolException.class,
                    () -> Codec.decodeRequest(body, DecodeLimits.client(), 8));
            assertEquals(ErrorCode.EPROTO, e.code());
            assertTrue(e.fatal());
        } finally {
            body.release();
        }
    }

    @Test
    void typeNames() {
        assertEquals("FLUSH", Codec.typeName(0x0009));
        assertEquals("FLUSH reply", Codec.typeName(0x8009));
        assertEquals("SHUTDOWN", Codec.typeName(0x4006));
        assertEquals("ERROR", Codec.typeName(0x7FFF));
        assertEquals("type 0x1234", Codec.typeName(0x1234));
        assertEquals("type 0x1234 reply", Codec.typeName(0x9234));
        assertEquals("XRGB8888", Message.formatName(0x34325258));
        assertEquals("RGB565", Message.formatName(0x36314752));
        assertEquals("0x20203859", Message.formatName(0x20203859));
    }

    @Test
    void writesCompareByEveryFieldAndTheirBytes() {
        Message.Write w = new Message.Write(1, 2, 3, 4, 5, 6, new byte[] {1, 2, 3});
        assertEquals(w, new Message.Write(1, 2, 3, 4, 5, 6, new byte[] {1, 2, 3}));
        assertEquals(w.hashCode(), new Message.Write(1, 2, 3, 4, 5, 6, new byte[] {1, 2, 3}).hashCode());
        assertNotEquals(w, new Message.Write(9, 2, 3, 4, 5, 6, new byte[] {1, 2, 3}));
        assertNotEquals(w, new Message.Write(1, 9, 3, 4, 5, 6, new byte[] {1, 2, 3}));
        assertNotEquals(w, new Message.Write(1, 2, 9, 4, 5, 6, new byte[] {1, 2, 3}));
        assertNotEquals(w, new Message.Write(1, 2, 3, 9, 5, 6, new byte[] {1, 2, 3}));
        assertNotEquals(w, new Message.Write(1, 2, 3, 4, 9, 6, new byte[] {1, 2, 3}));
        assertNotEquals(w, new Message.Write(1, 2, 3, 4, 5, 9, new byte[] {1, 2, 3}));
        assertNotEquals(w, new Message.Write(1, 2, 3, 4, 5, 6, new byte[] {1, 2, 4}));
        assertNotEquals(w, "not a write");
        assertEquals("Write[session=1, buffer=2, 5x6+3+4, 3 bytes]", w.toString());

        Message.Snapshot s = new Message.Snapshot(2, 1, new int[] {0xFF0000, 0x00FF00});
        assertEquals(s, new Message.Snapshot(2, 1, new int[] {0xFF0000, 0x00FF00}));
        assertEquals(s.hashCode(), new Message.Snapshot(2, 1, new int[] {0xFF0000, 0x00FF00}).hashCode());
        assertNotEquals(s, new Message.Snapshot(1, 2, new int[] {0xFF0000, 0x00FF00}));
        assertNotEquals(s, new Message.Snapshot(2, 1, new int[] {0xFF0000, 0x0000FF}));
        assertEquals("Snapshot[2x1]", s.toString());
        assertEquals("3x4+1+2", new Message.Region(1, 2, 3, 4).toString());
    }

    @Test
    void framesAndPartsPrintForTheLog() {
        assertEquals("#4294967295 Snapshot[1x1]", new Frame(-1, new Message.Snapshot(1, 1, new int[1])).toString());
        WritePart first = new WritePart(-2, 1, 2, 0, 0, 4, 4, 64, 0, new byte[16], false);
        WritePart last = new WritePart(5, 1, 2, 0, 0, 4, 4, 64, 48, new byte[16], true);
        assertTrue(first.first());
        assertFalse(last.first());
        assertEquals("#4294967294 WRITE part 0+16 of 64", first.toString());
        assertEquals("#5 WRITE part 48+16 of 64 (last)", last.toString());
    }
}
