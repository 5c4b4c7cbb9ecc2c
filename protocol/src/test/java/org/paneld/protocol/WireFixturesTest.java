package org.paneld.protocol;

import static org.junit.jupiter.api.Assertions.*;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.paneld.protocol.Message.*;

/**
 * The wire layout of every message type and the number of every error code, pinned by byte
 * fixtures typed by hand from PROTOCOL.md's tables (sections 2–5, 10, 11 and the errno table),
 * never produced by {@link Codec}: each fixture decodes to the expected message and the expected
 * message encodes to exactly the fixture. A codec that agrees with itself but not with the spec
 * (a field swapped, an integer big-endian, EACCES sent as 14) fails here. The last tests check that
 * the fixtures cover every row of the spec's message-type and errno tables, read from PROTOCOL.md.
 */
class WireFixturesTest {
    /** No decode limit gets in the way of the fixtures. */
    private static final DecodeLimits LIMITS = new DecodeLimits(64 << 20, 1024, Long.MAX_VALUE);

    private record Fixture(String name, String hex, Frame frame) {
        byte[] bytes() {
            return HexFormat.of().parseHex(hex.replaceAll("[\\s|]", ""));
        }
    }

    private static Fixture fx(String name, int id, Message m, String hex) {
        return new Fixture(name, hex, new Frame(id, m));
    }

    /** The spec's errno table, typed by hand: name → the u32 on the wire, little-endian. */
    private static final Map<ErrorCode, String> ERRNO_WIRE = Map.ofEntries(
            Map.entry(ErrorCode.ENOENT, "02000000"), Map.entry(ErrorCode.EIO, "05000000"),
            Map.entry(ErrorCode.EBADF, "09000000"), Map.entry(ErrorCode.ENOMEM, "0c000000"),
            Map.entry(ErrorCode.EACCES, "0d000000"), Map.entry(ErrorCode.EBUSY, "10000000"),
            Map.entry(ErrorCode.ENODEV, "13000000"), Map.entry(ErrorCode.EINVAL, "16000000"),
            Map.entry(ErrorCode.EPROTO, "47000000"), Map.entry(ErrorCode.EMSGSIZE, "5a000000"),
            Map.entry(ErrorCode.EOPNOTSUPP, "5f000000"), Map.entry(ErrorCode.ETIMEDOUT, "6e000000"));

    // "lcd0" = 6c 63 64 30, "mi0283qt" = 6d 69 30 32 38 33 71 74, "XR24" = 58 52 32 34, "RG16" = 52 47 31 36
    static List<Fixture> fixtures() {
        List<Fixture> f = new ArrayList<>(List.of(
                // ---- section 4: HELLO and its reply
                fx("HELLO", 1, new Hello(1, 3, Message.HELLO_WANT_FD, "ab"),
                        "18000000 0100 0000 01000000 | 504e4c44 0100 0300 01000000 0200 6162"),
                fx("HELLO reply", 1, new HelloReply(1, Message.HELLO_FD_PASSING | Message.HELLO_ADMIN, 16 << 20, 256,
                                0x1_0400_0000L, 16, 64, 0x2_1000_0000L, "paneld"),
                        "38000000 0180 0000 01000000 | 0100 0000 03000000 00000001 00010000 0000000401000000"
                                + " 10000000 40000000 0000001002000000 0600 70616e656c64"),
                // ---- section 5
                fx("LIST_DEVICES", 2, new ListDevices(), "08000000 0200 0000 02000000"),
                fx("LIST_DEVICES reply", 2, new DeviceList(List.of(new DeviceEntry("lcd0", "mi0283qt", 320, 240, 3),
                                new DeviceEntry("", "", 1, 2, Message.DEVICE_UNPLUGGED))),
                        "38000000 0280 0000 02000000 | 02000000 | 0400 6c636430 0800 6d69303238337174 40010000 f0000000 03000000"
                                + " | 0000 0000 01000000 02000000 04000000"),
                fx("LIST_DEVICES reply, one device with empty names", 2,
                        new DeviceList(List.of(new DeviceEntry("", "", 1, 2, 0))),
                        "1c000000 0280 0000 02000000 | 01000000 | 0000 0000 01000000 02000000 00000000"),
                fx("DEVICE_INFO", 3, new DeviceInfo(0, "lcd0"), "12000000 0300 0000 03000000 | 00000000 0400 6c636430"),
                fx("DEVICE_INFO reply", 3, new Info("lcd0", "mi0283qt", 320, 240, 58, 43, 90, 3, "RGB565", "fast",
                                List.of(Message.FOURCC_XRGB8888, Message.FOURCC_RGB565),
                                List.of(new Message.Property("backlight", -5, 100, 50))),
                        "6d000000 0380 0000 03000000 | 0400 6c636430 0800 6d69303238337174"
                                + " 40010000 f0000000 3a000000 2b000000 5a000000 03000000"
                                + " 0600 524742353635 0400 66617374 0200 58523234 52473136"
                                + " 0100 0900 6261636b6c69676874 fbffffffffffffff 6400000000000000 3200000000000000"),
                fx("OPEN", 2, new Open(Message.OPEN_OWNER, "lcd0"), "12000000 0400 0000 02000000 | 01000000 0400 6c636430"),
                fx("OPEN reply", 2, new Opened(1, Message.OPEN_OWNER, 320, 240),
                        "18000000 0480 0000 02000000 | 01000000 01000000 40010000 f0000000"),
                fx("CLOSE", 6, new Close(1), "0c000000 0500 0000 06000000 | 01000000"),
                fx("CLOSE reply", 6, new Ok(Message.CLOSE), "08000000 0580 0000 06000000"),
                fx("CREATE_BUFFER", 3, new CreateBuffer(1, 320, 240, Message.FOURCC_XRGB8888, Message.BUFFER_SHARED),
                        "1c000000 0600 0000 03000000 | 01000000 40010000 f0000000 58523234 01000000"),
                fx("CREATE_BUFFER reply", 3, new BufferCreated(2, 1280, 0x1_0004_b000L, Message.BUFFER_FD_FOLLOWS),
                        "1c000000 0680 0000 03000000 | 02000000 00050000 00b0040001000000 01000000"),
                fx("DESTROY_BUFFER", 7, new DestroyBuffer(1, 2), "10000000 0700 0000 07000000 | 01000000 02000000"),
                fx("DESTROY_BUFFER reply", 7, new Ok(Message.DESTROY_BUFFER), "08000000 0780 0000 07000000"),
                fx("WRITE", 4, new Write(1, 2, 10, -20, 2, 2, new byte[] {0, 0, -1, 0, 0, 0, -1, 0, 0, 0, -1, 0, 1, 2, 3, 4}),
                        "34000000 0800 0000 04000000 | 01000000 02000000 0a000000 ecffffff 02000000 02000000 10000000"
                                + " 0000ff00 0000ff00 0000ff00 01020304"),
                fx("WRITE reply", 4, new Ok(Message.WRITE), "08000000 0880 0000 04000000"),
                fx("FLUSH", 5, new Flush(1, 2, List.of(new Region(10, 20, 2, 3), new Region(-1, 0, 5, 6))),
                        "34000000 0900 0000 05000000 | 01000000 02000000 02000000"
                                + " | 0a000000 14000000 02000000 03000000 | ffffffff 00000000 05000000 06000000"),
                fx("FLUSH reply", 5, new Ok(Message.FLUSH), "08000000 0980 0000 05000000"),
                fx("FLIP", 8, new Flip(1, 2), "10000000 0a00 0000 08000000 | 01000000 02000000"),
                fx("FLIP reply", 8, new Ok(Message.FLIP), "08000000 0a80 0000 08000000"),
                fx("SET_PROPERTY", 9, new SetProperty(1, "backlight", 0x0102030405060708L),
                        "1f000000 0b00 0000 09000000 | 01000000 0807060504030201 0900 6261636b6c69676874"),
                fx("SET_PROPERTY reply", 9, new Ok(Message.SET_PROPERTY), "08000000 0b80 0000 09000000"),
                fx("SUBSCRIBE", 10, new Subscribe(Message.SUB_DEVICE_ADDED | Message.SUB_DEVICE_REMOVED),
                        "0c000000 0c00 0000 0a000000 | 03000000"),
                fx("SUBSCRIBE reply", 10, new Ok(Message.SUBSCRIBE), "08000000 0c80 0000 0a000000"),
                fx("ACQUIRE_OWNERSHIP", 11, new AcquireOwnership(1), "0c000000 0d00 0000 0b000000 | 01000000"),
                fx("ACQUIRE_OWNERSHIP reply", 11, new Ok(Message.ACQUIRE_OWNERSHIP), "08000000 0d80 0000 0b000000"),
                fx("RELEASE_OWNERSHIP", 12, new ReleaseOwnership(1), "0c000000 0e00 0000 0c000000 | 01000000"),
                fx("RELEASE_OWNERSHIP reply", 12, new Ok(Message.RELEASE_OWNERSHIP), "08000000 0e80 0000 0c000000"),
                fx("FD_READY", 13, new FdReady(2), "0c000000 0f00 0000 0d000000 | 02000000"),
                fx("FD_RECEIVED", 14, new FdReceived(2), "0c000000 1000 0000 0e000000 | 02000000"),
                fx("FD_RECEIVED reply", 14, new Ok(Message.FD_RECEIVED), "08000000 1080 0000 0e000000"),
                // ---- section 11
                fx("ADMIN_STATUS", 15, new AdminStatus(), "08000000 2000 0000 0f000000"),
                fx("ADMIN_STATUS reply", 15, new Status(List.of("a", "bc")),
                        "13000000 2080 0000 0f000000 | 02000000 0100 61 0200 6263"),
                fx("ADMIN_BIND", 16, new AdminDevice(Message.ADMIN_BIND, "lcd0"), "0e000000 2100 0000 10000000 | 0400 6c636430"),
                fx("ADMIN_BIND reply", 16, new Ok(Message.ADMIN_BIND), "08000000 2180 0000 10000000"),
                fx("ADMIN_UNBIND", 17, new AdminDevice(Message.ADMIN_UNBIND, "lcd0"), "0e000000 2200 0000 11000000 | 0400 6c636430"),
                fx("ADMIN_UNBIND reply", 17, new Ok(Message.ADMIN_UNBIND), "08000000 2280 0000 11000000"),
                fx("ADMIN_UNPLUG", 18, new AdminDevice(Message.ADMIN_UNPLUG, "lcd0"), "0e000000 2300 0000 12000000 | 0400 6c636430"),
                fx("ADMIN_UNPLUG reply", 18, new Ok(Message.ADMIN_UNPLUG), "08000000 2380 0000 12000000"),
                fx("ADMIN_REPLUG", 19, new AdminDevice(Message.ADMIN_REPLUG, "lcd0"), "0e000000 2400 0000 13000000 | 0400 6c636430"),
                fx("ADMIN_REPLUG reply", 19, new Ok(Message.ADMIN_REPLUG), "08000000 2480 0000 13000000"),
                fx("ADMIN_SNAPSHOT", 20, new AdminDevice(Message.ADMIN_SNAPSHOT, "lcd0"), "0e000000 2500 0000 14000000 | 0400 6c636430"),
                fx("ADMIN_SNAPSHOT reply", 20, new Snapshot(2, 1, new int[] {0xFF0000, 0x0000FF}),
                        "18000000 2580 0000 14000000 | 02000000 01000000 0000ff00 ff000000"),
                // ---- section 11 and 15: touch (ADMIN_TOUCH: str device, u32 action, i32 x, i32 y;
                // ADMIN_CALIBRATE: str device, i64[7])
                fx("ADMIN_TOUCH", 21, new AdminTouch("lcd0", Message.TOUCH_PRESS, 10, -1),
                        "1a000000 2600 0000 15000000 | 0400 6c636430 00000000 0a000000 ffffffff"),
                fx("ADMIN_TOUCH release", 22, new AdminTouch("lcd0", Message.TOUCH_RELEASE, 0, 0),
                        "1a000000 2600 0000 16000000 | 0400 6c636430 01000000 00000000 00000000"),
                fx("ADMIN_TOUCH reply", 21, new Ok(Message.ADMIN_TOUCH), "08000000 2680 0000 15000000"),
                fx("ADMIN_CALIBRATE", 23, new AdminCalibrate("lcd0", List.of(65536L, 0L, -65536L, 0L, 131072L, 5L, 65536L)),
                        "46000000 2700 0000 17000000 | 0400 6c636430 0000010000000000 0000000000000000 0000ffffffffffff"
                                + " 0000000000000000 0000020000000000 0500000000000000 0000010000000000"),
                fx("ADMIN_CALIBRATE reply", 23, new Ok(Message.ADMIN_CALIBRATE), "08000000 2780 0000 17000000"),
                fx("SUBSCRIBE touch and observation", 24, new Subscribe(Message.SUB_TOUCH | Message.SUB_TOUCH_OBSERVE),
                        "0c000000 0c00 0000 18000000 | 0c000000"),
                fx("LIST_DEVICES reply, a touch panel", 2, new DeviceList(List.of(new DeviceEntry("", "", 1, 2,
                                Message.DEVICE_CONNECTED | Message.DEVICE_TOUCH))),
                        "1c000000 0280 0000 02000000 | 01000000 | 0000 0000 01000000 02000000 09000000"),
                // the example of section 15
                fx("TOUCH", 0, new Touch(1, Message.TOUCH_DOWN, 0, 10, 20, 1000, 2000, 200, Message.TOUCH_OWNER, 1_000_000L),
                        "2c000000 0740 0000 00000000 | 01000000 0000 0000 0a000000 14000000 e8030000 d0070000"
                                + " c800 0100 40420f0000000000"),
                fx("TOUCH move, dropped before, slot 1, negative raw", 0,
                        new Touch(3, Message.TOUCH_MOVE, 1, 319, 0, -2, 4095, 255, Message.TOUCH_DROPPED, 0x0102030405060708L),
                        "2c000000 0740 0000 00000000 | 03000000 0100 0100 3f010000 00000000 feffffff ff0f0000"
                                + " ff00 0200 0807060504030201"),
                fx("TOUCH up", 0, new Touch(2, Message.TOUCH_UP, 0, 5, 6, 7, 8, 0, 0, 9),
                        "2c000000 0740 0000 00000000 | 02000000 0200 0000 05000000 06000000 07000000 08000000"
                                + " 0000 0000 0900000000000000"),
                // ---- section 10: events, id 0
                fx("DEVICE_ADDED", 0, new DeviceAdded("lcd0"), "0e000000 0140 0000 00000000 | 0400 6c636430"),
                fx("DEVICE_REMOVED", 0, new DeviceRemoved("lcd0"), "0e000000 0240 0000 00000000 | 0400 6c636430"),
                fx("UNPLUGGED", 0, new Unplugged(1, "lcd0"), "12000000 0340 0000 00000000 | 01000000 0400 6c636430"),
                fx("FLIP_COMPLETE", 0, new FlipComplete(1, 2, 8, null),
                        "18000000 0440 0000 00000000 | 01000000 02000000 08000000 00000000"),
                fx("OWNERSHIP", 0, new Ownership(3, true), "10000000 0540 0000 00000000 | 03000000 01000000"),
                fx("SHUTDOWN", 0, new Shutdown("bye"), "0d000000 0640 0000 00000000 | 0300 627965"),
                // ---- section 3: ERROR (u32 code, u16 request_type, u16 reserved, str message)
                fx("ERROR", 5, new Message.Error(ErrorCode.EINVAL, Message.FLUSH, "x"),
                        "13000000 ff7f 0000 05000000 | 16000000 0900 0000 0100 78")));
        // every errno of the table, in an ERROR frame and in FLIP_COMPLETE's error field
        for (Map.Entry<ErrorCode, String> e : new TreeMap<>(ERRNO_WIRE).entrySet()) {
            f.add(fx("ERROR " + e.getKey(), 0, new Message.Error(e.getKey(), 0, ""),
                    "12000000 ff7f 0000 00000000 | " + e.getValue() + " 0000 0000 0000"));
            f.add(fx("FLIP_COMPLETE " + e.getKey(), 0, new FlipComplete(1, 2, 8, e.getKey()),
                    "18000000 0440 0000 00000000 | 01000000 02000000 08000000 " + e.getValue()));
        }
        return f;
    }

    private static byte[] encode(Frame frame) {
        ByteBuf b = Unpooled.buffer();
        Codec.encode(frame, b);
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        return out;
    }

    private static Frame decode(byte[] bytes) {
        assertEquals(bytes.length - 4, Unpooled.wrappedBuffer(bytes).getIntLE(0), "the fixture's own length field");
        return Codec.decode(Unpooled.wrappedBuffer(bytes, 4, bytes.length - 4), LIMITS, 0);
    }

    @TestFactory
    Stream<DynamicTest> eachFixtureDecodesToItsMessage() {
        return fixtures().stream().map(fx -> DynamicTest.dynamicTest(fx.name(), () -> assertEquals(fx.frame(), decode(fx.bytes()))));
    }

    @TestFactory
    Stream<DynamicTest> eachMessageEncodesToItsFixture() {
        return fixtures().stream().map(fx -> DynamicTest.dynamicTest(fx.name(), () -> {
            byte[] got = encode(fx.frame());
            assertEquals(HexFormat.of().formatHex(fx.bytes()), HexFormat.of().formatHex(got), fx.frame().toString());
        }));
    }

    @TestFactory
    Stream<DynamicTest> requestFixturesAreAcceptedAsRequests() {
        return fixtures().stream().filter(fx -> Codec.isRequest(fx.frame().message().type())).map(fx -> DynamicTest.dynamicTest(
                fx.name(), () -> {
                    byte[] b = fx.bytes();
                    assertEquals(fx.frame(), Codec.decodeRequest(Unpooled.wrappedBuffer(b, 4, b.length - 4), LIMITS, 0));
                }));
    }

    // ---------------------------------------------------------------- the spec's tables, read from PROTOCOL.md

    private static String spec() throws Exception {
        return Files.readString(Path.of("PROTOCOL.md"));
    }

    /** The rows of the first markdown table after {@code heading}. */
    private static List<String> tableAfter(String doc, String heading) {
        int at = doc.indexOf(heading);
        assertTrue(at >= 0, "PROTOCOL.md has the heading " + heading);
        List<String> rows = new ArrayList<>();
        boolean in = false;
        for (String line : doc.substring(at).split("\n")) {
            if (line.startsWith("|")) {
                in = true;
                rows.add(line);
            } else if (in) {
                break;
            }
        }
        assertFalse(rows.isEmpty(), "a table after " + heading);
        return rows;
    }

    @Test
    void errnoNumbersAreTheSpecTableBothWays() throws Exception {
        Pattern row = Pattern.compile("^\\|\\s*(\\d+)\\s*\\|\\s*(E[A-Z]+)\\s*\\|.*");
        Map<String, Integer> spec = new TreeMap<>();
        for (String line : tableAfter(spec(), "### Error codes")) {
            Matcher m = row.matcher(line);
            if (m.matches()) {
                assertNull(spec.put(m.group(2), Integer.parseInt(m.group(1))), "twice in the spec: " + m.group(2));
            }
        }
        Map<String, Integer> code = new TreeMap<>();
        for (ErrorCode c : ErrorCode.values()) {
            code.put(c.name(), c.code());
        }
        assertEquals(spec, code, "ErrorCode against PROTOCOL.md's errno table");
        // and the hand-typed fixtures against the spec table, so a fixture cannot drift either
        assertEquals(spec.keySet(), new TreeSet<>(ERRNO_WIRE.keySet().stream().map(Enum::name).toList()));
        ERRNO_WIRE.forEach((c, hex) -> assertEquals(spec.get(c.name()),
                Unpooled.wrappedBuffer(HexFormat.of().parseHex(hex)).getIntLE(0), c.name()));
    }

    @Test
    void everyErrnoByItsLinuxNumber() {
        // typed from the Linux errno-base.h / errno.h values the spec names
        assertEquals(2, ErrorCode.ENOENT.code());
        assertEquals(5, ErrorCode.EIO.code());
        assertEquals(9, ErrorCode.EBADF.code());
        assertEquals(12, ErrorCode.ENOMEM.code());
        assertEquals(13, ErrorCode.EACCES.code());
        assertEquals(16, ErrorCode.EBUSY.code());
        assertEquals(19, ErrorCode.ENODEV.code());
        assertEquals(22, ErrorCode.EINVAL.code());
        assertEquals(71, ErrorCode.EPROTO.code());
        assertEquals(90, ErrorCode.EMSGSIZE.code());
        assertEquals(95, ErrorCode.EOPNOTSUPP.code());
        assertEquals(110, ErrorCode.ETIMEDOUT.code());
    }

    @Test
    void anUnknownErrorCodeIsReadAsEio() {
        // section 3: "Unknown error codes received by a client should be treated as EIO."
        Frame f = decode(HexFormat.of().parseHex("12000000ff7f000000000000" + "e7030000" + "000000000000"));
        assertEquals(new Message.Error(ErrorCode.EIO, 0, ""), f.message());
        Frame g = decode(HexFormat.of().parseHex("180000000440000000000000" + "010000000200000008000000" + "e7030000"));
        assertEquals(new FlipComplete(1, 2, 8, ErrorCode.EIO), g.message());
    }

    @Test
    void everyMessageTypeOfTheSpecHasFixtures() throws Exception {
        Pattern row = Pattern.compile("^\\|\\s*0x([0-9A-Fa-f]{4})\\s*\\|\\s*([^|]+?)\\s*\\|\\s*([^|]+?)\\s*\\|\\s*$");
        Set<Integer> want = new TreeSet<>();
        for (String line : tableAfter(spec(), "## 5. Message types")) {
            Matcher m = row.matcher(line);
            if (!m.matches()) {
                continue;
            }
            int type = Integer.parseInt(m.group(1), 16);
            want.add(type);
            String reply = m.group(3);
            if (type < 0x4000 && !reply.equals("—") && !reply.startsWith("(")) {
                want.add(type | Message.REPLY); // every request but FD_READY has a reply frame
            }
        }
        assertTrue(want.size() > 40, "parsed the message-type table: " + want.size());
        Set<Integer> have = new TreeSet<>();
        for (Fixture fx : fixtures()) {
            assertEquals(fx.bytes()[4] & 0xFF | (fx.bytes()[5] & 0xFF) << 8, fx.frame().message().type(), fx.name());
            have.add(fx.frame().message().type());
        }
        assertEquals(hex(want), hex(have), "fixture types against PROTOCOL.md section 5");
    }

    private static List<String> hex(Set<Integer> types) {
        return types.stream().map(t -> String.format("0x%04X", t)).toList();
    }
}
