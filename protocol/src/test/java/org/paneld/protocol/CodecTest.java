package org.paneld.protocol;

import static org.junit.jupiter.api.Assertions.*;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.paneld.protocol.Message.*;

/** Every message encodes and decodes back to itself; the decoder enforces its limits and splits the stream right. */
class CodecTest {
    static final DecodeLimits LIMITS = new DecodeLimits(1 << 20, 16, 16 << 20);

    static List<Message> everyMessage() {
        return List.of(
                new Hello(1, 3, Message.HELLO_WANT_FD, "test ü"),
                new ListDevices(), new DeviceInfo(0, "lcd0"), new DeviceInfo(3, ""), new Open(Message.OPEN_OWNER, "lcd0"),
                new Close(7), new CreateBuffer(1, 320, 240, Message.FOURCC_RGB565, Message.BUFFER_SHARED),
                new DestroyBuffer(1, 2), new Write(1, 2, 3, 4, 1, 2, new byte[] {1, 2, 3, 4, 5, 6, 7, 8}),
                new Flush(1, 2, List.of(new Region(0, 0, 1, 1), new Region(-5, 7, 9, -1))), new Flip(1, 2),
                new SetProperty(1, "backlight", -42), new Subscribe(3), new AcquireOwnership(1), new ReleaseOwnership(1),
                new FdReady(9), new FdReceived(9), new AdminStatus(),
                new AdminDevice(Message.ADMIN_BIND, "a"), new AdminDevice(Message.ADMIN_UNBIND, "b"),
                new AdminDevice(Message.ADMIN_UNPLUG, "c"), new AdminDevice(Message.ADMIN_REPLUG, "d"),
                new AdminDevice(Message.ADMIN_SNAPSHOT, "e"),
                new AdminTouch("f", Message.TOUCH_PRESS, -3, 7), new AdminCalibrate("g", List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L)),
                new Ok(Message.CLOSE), new Ok(Message.FLUSH), new Ok(Message.ADMIN_BIND),
                new HelloReply(1, 3, 1 << 20, 16, 1L << 40, 4, 8, 1L << 33, "paneld"),
                new DeviceList(List.of(new DeviceEntry("lcd0", "mi0283qt", 320, 240, 3), new DeviceEntry("x", "y", 1, 2, 0))),
                new Info("lcd0", "mi0283qt", 320, 240, 58, 43, 90, 1, "RGB565", "fast",
                        List.of(Message.FOURCC_XRGB8888, Message.FOURCC_RGB565),
                        List.of(new Message.Property("backlight", 0, 100, 50), new Message.Property("power", 0, 1, 1))),
                new Opened(1, 1, 320, 240), new BufferCreated(3, 1280, 307200, 1),
                new Status(List.of("a", "b c")), new Snapshot(2, 1, new int[] {0xFF0000, 0x00FF00}),
                new Message.Error(ErrorCode.ENODEV, Message.FLUSH, "gone"),
                new DeviceAdded("lcd0"), new DeviceRemoved("lcd0"), new Unplugged(4, "lcd0"),
                new FlipComplete(1, 2, 99, null), new FlipComplete(1, 2, 100, ErrorCode.EIO),
                new Ownership(3, true), new Shutdown("bye"),
                new Touch(1, Message.TOUCH_MOVE, 1, 2, 3, 4, 5, 6, Message.TOUCH_OWNER, Long.MAX_VALUE));
    }

    static Frame roundTrip(Frame f) {
        ByteBuf b = Unpooled.buffer();
        Codec.encode(f, b);
        assertEquals(b.readableBytes() - 4, b.getIntLE(0), "length field counts the bytes after it");
        b.skipBytes(4);
        return Codec.decode(b, DecodeLimits.client(), 0);
    }

    @Test
    void everyMessageRoundTrips() {
        int id = 1;
        for (Message m : everyMessage()) {
            Frame f = new Frame(id++, m);
            assertEquals(f, roundTrip(f), m.toString());
        }
    }

    @Test
    void everyErrnoHasItsLinuxNumber() {
        assertEquals(19, ErrorCode.ENODEV.code());
        assertEquals(22, ErrorCode.EINVAL.code());
        assertEquals(16, ErrorCode.EBUSY.code());
        for (ErrorCode c : ErrorCode.values()) {
            assertEquals(c, ErrorCode.of(c.code()));
        }
        assertEquals(ErrorCode.EIO, ErrorCode.of(12345), "unknown codes are EIO (PROTOCOL.md section 3)");
    }

    @Property(tries = 200)
    void flushesRoundTrip(@ForAll int session, @ForAll int buffer, @ForAll @Size(max = 16) List<@IntRange(min = -1000, max = 1000) Integer> xs) {
        List<Region> rects = xs.stream().map(x -> new Region(x, -x, x * 3, x ^ 7)).toList();
        Frame f = new Frame(5, new Flush(session, buffer, rects));
        ByteBuf b = Unpooled.buffer();
        Codec.encode(f, b);
        b.skipBytes(4);
        assertEquals(f, Codec.decode(b, LIMITS, 0));
    }

    /** The request types of PROTOCOL.md section 5. */
    static final int[] REQUEST_TYPES = {Message.HELLO, Message.LIST_DEVICES, Message.DEVICE_INFO, Message.OPEN, Message.CLOSE,
        Message.CREATE_BUFFER, Message.DESTROY_BUFFER, Message.WRITE, Message.FLUSH, Message.FLIP, Message.SET_PROPERTY,
        Message.SUBSCRIBE, Message.ACQUIRE_OWNERSHIP, Message.RELEASE_OWNERSHIP, Message.FD_READY, Message.FD_RECEIVED,
        Message.ADMIN_STATUS, Message.ADMIN_BIND, Message.ADMIN_UNBIND, Message.ADMIN_UNPLUG, Message.ADMIN_REPLUG,
        Message.ADMIN_SNAPSHOT, Message.ADMIN_TOUCH, Message.ADMIN_CALIBRATE};

    /** A valid encoded frame body (after the length field) of every message; requests are most of them. */
    @Provide
    Arbitrary<byte[]> validBodies() {
        List<Message> requests = everyMessage().stream().filter(m -> Codec.isRequest(m.type())).toList();
        List<Message> others = everyMessage().stream().filter(m -> !Codec.isRequest(m.type())).toList();
        return Arbitraries.frequencyOf(Tuple.of(9, Arbitraries.of(requests)), Tuple.of(1, Arbitraries.of(others))).map(m -> {
            ByteBuf b = Unpooled.buffer();
            Codec.encode(new Frame(9, m), b);
            byte[] out = new byte[b.readableBytes() - 4];
            b.getBytes(4, out);
            return out;
        });
    }

    /** A mutation of a valid frame's payload: flip bytes, cut it short, extend it, or change its type. */
    record Mutation(int kind, int at, int value, int count) {
    }

    @Provide
    Arbitrary<Mutation> mutations() {
        return Combinators.combine(Arbitraries.integers().between(0, 5), Arbitraries.integers().between(0, 10_000),
                Arbitraries.integers().between(0, 255), Arbitraries.integers().between(1, 8)).as(Mutation::new);
    }

    static byte[] mutate(byte[] body, Mutation m) {
        byte[] out = body.clone();
        int payload = out.length - Codec.HEADER; // bytes after type, flags, id
        switch (m.kind()) {
            case 0, 1 -> { // flip bytes of the payload (most often: the usual way a field is wrong)
                for (int i = 0; i < m.count() && payload > 0; i++) {
                    out[Codec.HEADER + (m.at() + i * 7) % payload] ^= (byte) (m.value() | 1);
                }
            }
            case 2 -> out = java.util.Arrays.copyOf(out, Codec.HEADER + (payload == 0 ? 0 : m.at() % payload)); // truncated
            case 3 -> { // extended by count bytes of value
                out = java.util.Arrays.copyOf(out, out.length + m.count());
                java.util.Arrays.fill(out, out.length - m.count(), out.length, (byte) m.value());
            }
            case 4 -> { // a u32 field set to a small or huge number: counts, lengths, sizes
                if (payload >= 4) {
                    int off = Codec.HEADER + (m.at() % (payload - 3));
                    int v = m.value() < 128 ? m.value() : -m.value();
                    out[off] = (byte) v;
                    out[off + 1] = (byte) (v >> 8);
                    out[off + 2] = (byte) (v >> 16);
                    out[off + 3] = (byte) (v >> 24);
                }
            }
            default -> { // another request type over this payload
                int t = REQUEST_TYPES[m.at() % REQUEST_TYPES.length];
                out[0] = (byte) t;
                out[1] = (byte) (t >> 8);
            }
        }
        return out;
    }

    /**
     * Valid frames mutated (bytes flipped, cut short, extended, a field set to a small or huge
     * number, the type changed to another request's): decoding yields a message or a
     * ProtocolException with the code PROTOCOL.md gives that fault — never another exception.
     */
    @Property(tries = 2000)
    void mutatedFramesDecodeOrFailWithTheRightCode(@ForAll("validBodies") byte[] body, @ForAll("mutations") Mutation mutation) {
        byte[] bad = mutate(body, mutation);
        int type = (bad[0] & 0xFF) | (bad[1] & 0xFF) << 8;
        try {
            Frame f = Codec.decodeRequest(Unpooled.wrappedBuffer(bad), LIMITS, 0);
            assertEquals(type, f.message().type(), "decoded as another type");
            assertTrue(Codec.isRequest(type));
        } catch (ProtocolException e) {
            assertNotNull(e.getMessage());
            assertEquals(type, e.requestType(), "the error names the request type: " + e);
            if (!Codec.isRequest(type)) {
                assertEquals(ErrorCode.EOPNOTSUPP, e.code(), "a non-request type is EOPNOTSUPP, skipped: " + e);
                assertFalse(e.fatal());
            } else if (e.fatal()) {
                assertEquals(ErrorCode.EPROTO, e.code(), "a malformed frame is EPROTO: " + e);
            } else {
                // a well-formed frame with a field the decoder checks: CREATE_BUFFER size/format, FLUSH count
                assertEquals(ErrorCode.EINVAL, e.code(), e.toString());
                assertTrue(type == Message.CREATE_BUFFER || type == Message.FLUSH, e.toString());
            }
            assertEquals(9, e.requestId(), "the error carries the frame's id: " + e);
        }
    }

    /** A few arbitrary types too (unknown ones, replies, events): EOPNOTSUPP for every non-request, never a crash. */
    @Property(tries = 300)
    void arbitraryTypesAreRequestsOrEopnotsupp(@ForAll @Size(max = 64) byte[] payload, @ForAll @IntRange(min = 0, max = 0xFFFF) int type) {
        ByteBuf b = Unpooled.buffer();
        b.writeShortLE(type).writeShortLE(0).writeIntLE(1).writeBytes(payload);
        try {
            Codec.decodeRequest(b, LIMITS, 0);
            assertTrue(Codec.isRequest(type), "decoded a non-request type 0x" + Integer.toHexString(type));
        } catch (ProtocolException e) {
            assertEquals(Codec.isRequest(type) ? e.code() : ErrorCode.EOPNOTSUPP, e.code(), e.toString());
            assertTrue(e.code() == ErrorCode.EOPNOTSUPP || e.code() == ErrorCode.EPROTO || e.code() == ErrorCode.EINVAL, e.toString());
        }
    }

    // ---------------------------------------------------------------- the Netty decoder

    @Test
    void decoderReassemblesFramesSplitAnywhere() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(LIMITS));
        ByteBuf all = Unpooled.buffer();
        List<Message> msgs = everyMessage();
        for (int i = 0; i < msgs.size(); i++) {
            Codec.encode(new Frame(i + 1, msgs.get(i)), all);
        }
        while (all.isReadable()) {
            ch.writeInbound(all.readRetainedSlice(Math.min(7, all.readableBytes())));
        }
        for (int i = 0; i < msgs.size(); i++) {
            Frame f = ch.readInbound();
            assertEquals(new Frame(i + 1, msgs.get(i)), f);
        }
        assertNull(ch.readInbound());
        all.release();
        ch.finishAndReleaseAll();
    }

    @Test
    void shortFrameIsFatalAndTheRestIsDiscarded() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(LIMITS));
        ByteBuf b = Unpooled.buffer().writeIntLE(3).writeIntLE(0);
        Codec.encode(new Frame(1, new ListDevices()), b);
        ch.writeInbound(b);
        ProtocolException e = ch.readInbound();
        assertEquals(ErrorCode.EPROTO, e.code());
        assertTrue(e.fatal());
        assertNull(ch.readInbound(), "nothing after a fatal error");
        ch.finishAndReleaseAll();
    }

    @Test
    void oversizeLengthIsEmsgsizeWithTheRequestId() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(LIMITS));
        ch.writeInbound(Unpooled.buffer().writeIntLE((1 << 20) + 1).writeShortLE(Message.WRITE).writeShortLE(0).writeIntLE(42));
        ProtocolException e = ch.readInbound();
        assertEquals(ErrorCode.EMSGSIZE, e.code());
        assertEquals(42, e.requestId());
        assertTrue(e.getMessage().contains("exceeds the maximum frame size"), e.getMessage());
        ch.finishAndReleaseAll();
    }

    @Test
    void limitsOnDecodeAreNonFatalAndTheStreamContinues() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(LIMITS));
        ByteBuf b = Unpooled.buffer();
        Codec.encode(new Frame(1, new Flush(1, 1, java.util.Collections.nCopies(17, new Region(0, 0, 1, 1)))), b);
        Codec.encode(new Frame(2, new CreateBuffer(1, 65536, 65536, Message.FOURCC_XRGB8888, 0)), b);
        Codec.encode(new Frame(3, new CreateBuffer(1, 0, 5, Message.FOURCC_XRGB8888, 0)), b);
        b.writeIntLE(8).writeShortLE(0x0777).writeShortLE(0).writeIntLE(4);
        Codec.encode(new Frame(5, new ListDevices()), b);
        ch.writeInbound(b);
        for (int id = 1; id <= 4; id++) {
            ProtocolException e = ch.readInbound();
            assertFalse(e.fatal());
            assertEquals(id, e.requestId());
            assertEquals(id == 4 ? ErrorCode.EOPNOTSUPP : ErrorCode.EINVAL, e.code(), e.getMessage());
        }
        assertEquals(new Frame(5, new ListDevices()), ch.readInbound());
        ch.finishAndReleaseAll();
    }

    @Test
    void encoderWritesWhatTheCodecDoes() {
        EmbeddedChannel ch = new EmbeddedChannel(FrameEncoder.INSTANCE);
        Frame f = new Frame(7, new Write(1, 1, 0, 0, 1, 1, new byte[] {1, 2, 3, 4}));
        ch.writeOutbound(f);
        ByteBuf out = ch.readOutbound();
        out.skipBytes(4);
        assertEquals(f, Codec.decode(out, LIMITS, 0));
        out.release();
        ch.finishAndReleaseAll();
    }
}
