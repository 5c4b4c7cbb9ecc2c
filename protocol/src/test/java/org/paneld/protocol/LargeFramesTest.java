package org.paneld.protocol;

import static org.junit.jupiter.api.Assertions.*;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;
import org.paneld.protocol.Message.*;

/** A budgeted FrameDecoder: WRITEs stream as pieces, other large frames need the budget's consent. */
class LargeFramesTest {
    static final DecodeLimits LIMITS = new DecodeLimits(16 << 20, 16, 64 << 20);

    /** A budget that grants up to {@code cap} bytes at a time. */
    static final class Budget implements InputBudget {
        final long cap;
        long used;
        long peak;

        Budget(long cap) {
            this.cap = cap;
        }

        @Override
        public boolean tryReserve(long bytes) {
            if (used + bytes > cap) {
                return false;
            }
            used += bytes;
            peak = Math.max(peak, used);
            return true;
        }

        @Override
        public void release(long bytes) {
            used -= bytes;
        }

        @Override
        public String describe() {
            return "test budget " + cap;
        }
    }

    @Test
    void aWriteIsHandedOnPieceByPieceAsItArrivesNeverWhole() {
        Budget budget = new Budget(0);
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(LIMITS, budget));
        byte[] px = new byte[3 << 20];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i * 31);
        }
        ByteBuf all = Unpooled.buffer();
        Codec.encode(new Frame(5, new Write(1, 2, 3, 4, 1024, 768, px)), all);
        Codec.encode(new Frame(6, new ListDevices()), all);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        int pieces = 0;
        long largest = 0;
        while (all.isReadable()) {
            ch.writeInbound(all.readRetainedSlice(Math.min(65_521, all.readableBytes())));
            Object o;
            while ((o = ch.readInbound()) != null && o instanceof WritePart) {
                WritePart p = (WritePart) o;
                assertEquals(got.size(), p.offset(), "pieces come in order, each where the last ended");
                assertEquals(List5.of(5, 1, 2, 3, 4, 1024, 768), List5.of(p.id(), p.session(), p.buffer(), p.x(), p.y(), p.w(), p.h()));
                assertEquals(px.length, p.length());
                assertEquals(p.offset() + p.data().length == px.length, p.last());
                got.writeBytes(p.data());
                largest = Math.max(largest, p.data().length);
                pieces++;
            }
            if (o != null) {
                assertEquals(new Frame(6, new ListDevices()), o, "the frame after the WRITE");
            }
        }
        assertArrayEquals(px, got.toByteArray());
        assertTrue(pieces > 40, pieces + " pieces");
        assertTrue(largest <= 65_521, "a piece is at most what arrived: " + largest);
        assertEquals(0, budget.peak, "a WRITE never asks the budget to hold it");
        all.release();
        ch.finishAndReleaseAll();
    }

    @Test
    void aLargeOtherFrameIsHeldWithTheBudgetsConsentOrSkippedWithEnomem() {
        Budget budget = new Budget(100_000);
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(LIMITS, budget));
        byte[] name = new byte[30_000];
        java.util.Arrays.fill(name, (byte) 'a');
        String big = new String(name, java.nio.charset.StandardCharsets.US_ASCII);
        ByteBuf all = Unpooled.buffer();
        Codec.encode(new Frame(7, new DeviceInfo(0, big)), all); // 30 KB: granted (2 x 30 KB)
        Codec.encode(new Frame(8, new DeviceInfo(0, big + big)), all); // 60 KB: 120 KB refused
        Codec.encode(new Frame(9, new ListDevices()), all);
        while (all.isReadable()) {
            ch.writeInbound(all.readRetainedSlice(Math.min(4000, all.readableBytes())));
        }
        assertEquals(new Frame(7, new DeviceInfo(0, big)), ch.readInbound());
        ProtocolException e = ch.readInbound();
        assertEquals(ErrorCode.ENOMEM, e.code());
        assertFalse(e.fatal(), "the frame was skipped whole: the stream is in sync");
        assertEquals(8, e.requestId());
        assertEquals(Message.DEVICE_INFO, e.requestType());
        assertTrue(e.getMessage().contains("test budget 100000"), e.getMessage());
        assertEquals(new Frame(9, new ListDevices()), ch.readInbound());
        assertEquals(0, budget.used, "the reservation went back once the frame was decoded");
        assertEquals(2 * (30_000 + 2 + 4 + 8), budget.peak);
        all.release();
        ch.finishAndReleaseAll();
    }

    @Test
    void aWriteWhoseLengthFieldDisagreesWithItsFrameIsFatal() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(LIMITS, new Budget(1 << 20)));
        ByteBuf b = Unpooled.buffer();
        Codec.encode(new Frame(3, new Write(1, 1, 0, 0, 100, 100, new byte[40_000])), b);
        b.setIntLE(Codec.PREFIX + 24, 39_999);
        ch.writeInbound(b);
        ProtocolException e = ch.readInbound();
        assertEquals(ErrorCode.EPROTO, e.code());
        assertTrue(e.fatal());
        assertEquals(3, e.requestId());
        assertNull(ch.readInbound());
        ch.finishAndReleaseAll();
    }

    /** Lists of ints compared as values. */
    static final class List5 {
        static java.util.List<Integer> of(int... v) {
            return java.util.Arrays.stream(v).boxed().toList();
        }
    }
}
