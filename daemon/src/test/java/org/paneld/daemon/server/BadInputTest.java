package org.paneld.daemon.server;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.paneld.client.Buffer;
import org.paneld.client.PaneldClient;
import org.paneld.client.Session;
import org.paneld.drivers.testkit.LifecycleKit;
import org.paneld.drivers.virtual.VirtualFbDriver;
import org.paneld.protocol.ErrorCode;
import org.paneld.protocol.Frame;
import org.paneld.protocol.Message;
import org.paneld.protocol.Message.*;

/**
 * The bad-input table: each malformed frame or request gets its documented error (PROTOCOL.md,
 * "Errors"), fatal ones close only that connection, and a well-behaved client drawing on the
 * same panel at the same time keeps drawing.
 */
class BadInputTest {
    @RegisterExtension
    final LifecycleKit kit = new LifecycleKit(new VirtualFbDriver());
    TestDaemon d;

    @BeforeEach
    void start() throws Exception {
        d = new TestDaemon(kit, ServerOptions.defaults().withLimits(new Limits(1 << 20, 4, 8, 8L << 20, 4L << 20, 16, 64)));
    }

    @AfterEach
    void stop() throws Exception {
        d.close();
    }

    /** A case: what to send after HELLO (raw bytes built from the session/buffer it is given), and the expectation. */
    record Case(String name, boolean afterHello, ErrorCode expected, boolean fatal, Sender sender) {
    }

    @FunctionalInterface
    interface Sender {
        /** Sends the bad input; returns the request id the error must carry (0 when none). */
        int send(RawClient c, int session, int otherSession, int buffer) throws Exception;
    }

    static List<Case> table() {
        List<Case> t = new ArrayList<>();
        t.add(new Case("short frame (length 4 < header)", true, ErrorCode.EPROTO, true,
                (c, s, o, b) -> { c.sendBytes(RawClient.le(4, 0)); return 0; }));
        t.add(new Case("oversize length", true, ErrorCode.EMSGSIZE, true,
                (c, s, o, b) -> { c.sendBytes(RawClient.le((1 << 20) + 1, Message.LIST_DEVICES, 77)); return 77; }));
        t.add(new Case("length 0xFFFFFFFF", true, ErrorCode.EMSGSIZE, true,
                (c, s, o, b) -> { c.sendBytes(RawClient.le(-1, Message.LIST_DEVICES, 78)); return 78; }));
        t.add(new Case("unknown type 0x0777", true, ErrorCode.EOPNOTSUPP, false,
                (c, s, o, b) -> { c.sendBytes(RawClient.frame(0x0777, 55, new byte[3])); return 55; }));
        t.add(new Case("an event type sent as a request", true, ErrorCode.EOPNOTSUPP, false,
                (c, s, o, b) -> c.send(new Shutdown("x"))));
        t.add(new Case("bad version (2..3)", false, ErrorCode.EPROTO, true,
                (c, s, o, b) -> c.send(new Hello(2, 3, 0, "future"))));
        t.add(new Case("bad magic", false, ErrorCode.EPROTO, true,
                (c, s, o, b) -> { c.sendBytes(RawClient.frame(Message.HELLO, 9, RawClient.le(0x12345678, 0x00010001, 0, 0))); return 9; }));
        t.add(new Case("request before HELLO", false, ErrorCode.EPROTO, true,
                (c, s, o, b) -> c.send(new ListDevices())));
        t.add(new Case("payload shorter than its fields", true, ErrorCode.EPROTO, true,
                (c, s, o, b) -> { c.sendBytes(RawClient.frame(Message.CLOSE, 12, new byte[2])); return 12; }));
        t.add(new Case("trailing bytes after the fields", true, ErrorCode.EPROTO, true,
                (c, s, o, b) -> { c.sendBytes(RawClient.frame(Message.CLOSE, 13, RawClient.le(s, 0))); return 13; }));
        t.add(new Case("string not UTF-8", true, ErrorCode.EPROTO, true,
                (c, s, o, b) -> { c.sendBytes(RawClient.frame(Message.OPEN, 14, new byte[] {0, 0, 0, 0, 2, 0, (byte) 0xC3, (byte) 0x28})); return 14; }));
        t.add(new Case("rectangle count larger than the frame", true, ErrorCode.EPROTO, true,
                (c, s, o, b) -> { c.sendBytes(RawClient.frame(Message.FLUSH, 15, RawClient.le(s, b, 1000))); return 15; }));
        t.add(new Case("bad session handle", true, ErrorCode.EBADF, false,
                (c, s, o, b) -> c.send(new CreateBuffer(999, 64, 48, Message.FOURCC_XRGB8888, 0))));
        t.add(new Case("bad buffer handle", true, ErrorCode.EBADF, false,
                (c, s, o, b) -> c.send(new Flush(s, 999, List.of(new Region(0, 0, 1, 1))))));
        t.add(new Case("another session's buffer handle", true, ErrorCode.EBADF, false,
                (c, s, o, b) -> c.send(new Flush(o, b, List.of(new Region(0, 0, 1, 1))))));
        t.add(new Case("rectangle out of bounds", true, ErrorCode.EINVAL, false,
                (c, s, o, b) -> c.send(new Flush(s, b, List.of(new Region(60, 40, 8, 8))))));
        t.add(new Case("negative rectangle origin", true, ErrorCode.EINVAL, false,
                (c, s, o, b) -> c.send(new Flush(s, b, List.of(new Region(-1, 0, 4, 4))))));
        t.add(new Case("negative rectangle size", true, ErrorCode.EINVAL, false,
                (c, s, o, b) -> c.send(new Flush(s, b, List.of(new Region(4, 4, -2, 3))))));
        t.add(new Case("rectangle right edge overflowing int", true, ErrorCode.EINVAL, false,
                (c, s, o, b) -> c.send(new Flush(s, b, List.of(new Region(Integer.MAX_VALUE, 0, 2, 1))))));
        t.add(new Case("no rectangles", true, ErrorCode.EINVAL, false,
                (c, s, o, b) -> c.send(new Flush(s, b, List.of()))));
        t.add(new Case("more rectangles than the limit", true, ErrorCode.EINVAL, false,
                (c, s, o, b) -> c.send(new Flush(s, b, java.util.Collections.nCopies(17, new Region(0, 0, 1, 1))))));
        t.add(new Case("write outside the buffer", true, ErrorCode.EINVAL, false,
                (c, s, o, b) -> c.send(new Write(s, b, 63, 47, 2, 2, new byte[16]))));
        t.add(new Case("write with too few pixel bytes", true, ErrorCode.EINVAL, false,
                (c, s, o, b) -> c.send(new Write(s, b, 0, 0, 2, 2, new byte[15]))));
        t.add(new Case("buffer size overflowing int (65536x65536 XRGB8888)", true, ErrorCode.EINVAL, false,
                (c, s, o, b) -> c.send(new CreateBuffer(s, 65536, 65536, Message.FOURCC_XRGB8888, 0))));
        t.add(new Case("buffer width 0xFFFFFFFF (negative as i32)", true, ErrorCode.EINVAL, false,
                (c, s, o, b) -> c.send(new CreateBuffer(s, -1, 48, Message.FOURCC_XRGB8888, 0))));
        t.add(new Case("buffer over the size limit", true, ErrorCode.EINVAL, false,
                (c, s, o, b) -> c.send(new CreateBuffer(s, 2048, 1024, Message.FOURCC_XRGB8888, 0))));
        t.add(new Case("unknown pixel format", true, ErrorCode.EINVAL, false,
                (c, s, o, b) -> c.send(new CreateBuffer(s, 64, 48, 0x20203859, 0))));
        t.add(new Case("buffer not display-sized", true, ErrorCode.EINVAL, false,
                (c, s, o, b) -> c.send(new CreateBuffer(s, 32, 48, Message.FOURCC_XRGB8888, 0))));
        t.add(new Case("flush without ownership", true, ErrorCode.EBUSY, false,
                (c, s, o, b) -> c.send(new Flush(s, b, List.of(new Region(0, 0, 1, 1))))));
        t.add(new Case("shared buffer without fd passing", true, ErrorCode.EOPNOTSUPP, false,
                (c, s, o, b) -> c.send(new CreateBuffer(s, 64, 48, Message.FOURCC_XRGB8888, Message.BUFFER_SHARED))));
        t.add(new Case("FD_READY when no fd is due", true, ErrorCode.EPROTO, true,
                (c, s, o, b) -> c.send(new FdReady(b))));
        t.add(new Case("open an unknown device", true, ErrorCode.ENOENT, false,
                (c, s, o, b) -> c.send(new Open(0, "nope"))));
        t.add(new Case("unknown property (by the owner)", true, ErrorCode.ENOENT, false, (c, s, o, b) -> {
            Opened owner = openOwner(c, "fb1"); // the owner: the property lookup is what refuses
            return c.send(new SetProperty(owner.session(), "contrast", 1));
        }));
        t.add(new Case("known property out of range (by the owner)", true, ErrorCode.EINVAL, false, (c, s, o, b) -> {
            Opened owner = openOwner(c, "fb1");
            return c.send(new SetProperty(owner.session(), "backlight", 101));
        }));
        t.add(new Case("set a property without owning the display", true, ErrorCode.EBUSY, false, // the good client owns fb0
                (c, s, o, b) -> c.send(new SetProperty(s, "backlight", 50))));
        return t;
    }

    /** Opens {@code device} as its owner, once an earlier case's connection (closing asynchronously) has let it go. */
    static Opened openOwner(RawClient c, String device) throws Exception {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> {
            int id = c.send(new ListDevices());
            Frame f = c.read();
            assertEquals(id, f.id());
            return ((DeviceList) f.message()).devices().stream()
                    .anyMatch(e -> e.name().equals(device) && (e.flags() & Message.DEVICE_OWNED) == 0);
        });
        c.send(new Open(Message.OPEN_OWNER, device));
        Opened owner = (Opened) c.read().message();
        assertEquals(Message.OPEN_OWNER, owner.flags() & Message.OPEN_OWNER, "the case's session owns " + device);
        return owner;
    }

    @Test
    void everyBadInputGetsItsErrorAndTheOtherClientKeepsDrawing() throws Exception {
        PaneldClient good = d.unix();
        Session gs = good.open("fb0", true);
        Buffer gb = gs.createBuffer(Message.FOURCC_XRGB8888, true);
        int colour = 0x100000;
        List<String> failures = new ArrayList<>();
        for (Case k : table()) {
            try (RawClient c = k.afterHello() ? RawClient.hello(d.socket) : RawClient.unix(d.socket)) {
                int s = 0, o = 0, b = 0;
                if (k.afterHello()) {
                    c.send(new Open(0, "fb0"));
                    s = ((Opened) c.read().message()).session();
                    c.send(new Open(0, "fb0"));
                    o = ((Opened) c.read().message()).session();
                    c.send(new CreateBuffer(s, 64, 48, Message.FOURCC_XRGB8888, 0));
                    b = ((BufferCreated) c.read().message()).buffer();
                }
                int id = k.sender().send(c, s, o, b);
                Frame f = c.read();
                if (!(f.message() instanceof Message.Error)) {
                    failures.add(k.name() + ": expected " + k.expected() + ", got " + f);
                } else {
                    Message.Error e = (Message.Error) f.message();
                    if (e.code() != k.expected()) {
                        failures.add(k.name() + ": expected " + k.expected() + ", got " + e.code() + " (" + e.message() + ")");
                    }
                    if (e.requestType() == 0 && k.afterHello() && id != 0 && k.expected() != ErrorCode.EMSGSIZE) {
                        failures.add(k.name() + ": error does not name the request type");
                    }
                    if (f.id() != id) {
                        failures.add(k.name() + ": error carries id " + f.id() + ", the request had " + id);
                    }
                    if (e.message().isBlank()) {
                        failures.add(k.name() + ": error without a message");
                    }
                }
                if (k.fatal()) {
                    if (!c.closedByServer()) {
                        failures.add(k.name() + ": connection should have been closed");
                    }
                } else {
                    // the connection is still usable
                    int lid = c.send(new ListDevices());
                    Frame lf = c.read();
                    if (!(lf.message() instanceof DeviceList) || lf.id() != lid) {
                        failures.add(k.name() + ": connection unusable afterwards: " + lf);
                    }
                }
            }
            // the well-behaved client on the same panel keeps drawing
            colour += 0x000101;
            gb.fill(colour);
            gb.flushAll();
            assertEquals(colour, d.snapshot("fb0").get(10, 10), "after " + k.name());
        }
        assertEquals(List.of(), failures);
        // the server sees each bad client's close asynchronously
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .untilAsserted(() -> assertEquals(1, d.server.stats().connections(), "only the good client is left"));
    }

    @Test
    void adminOverTcpIsRefusedAndSessionLimitsHold() throws Exception {
        try (RawClient c = RawClient.tcp(d.server.tcpPort())) {
            c.send(new Hello(1, 1, 0, "tcp"));
            HelloReply h = (HelloReply) c.read().message();
            assertEquals(0, h.flags() & Message.HELLO_ADMIN);
            int id = c.send(new AdminStatus());
            Frame f = c.read();
            assertEquals(id, f.id());
            assertEquals(ErrorCode.EACCES, ((Message.Error) f.message()).code());
            // session limit 4 per connection -> EBUSY
            for (int i = 0; i < 4; i++) {
                c.send(new Open(0, "fb1"));
                assertTrue(c.read().message() instanceof Opened);
            }
            c.send(new Open(0, "fb1"));
            assertEquals(ErrorCode.EBUSY, ((Message.Error) c.read().message()).code());
            // buffer limit 8 per connection -> EBUSY; bytes: 8 MiB is plenty here
            for (int i = 0; i < 8; i++) {
                c.send(new CreateBuffer(1, 32, 16, Message.FOURCC_XRGB8888, 0));
                assertTrue(c.read().message() instanceof BufferCreated);
            }
            c.send(new CreateBuffer(1, 32, 16, Message.FOURCC_XRGB8888, 0));
            assertEquals(ErrorCode.EBUSY, ((Message.Error) c.read().message()).code());
        }
    }

    @Test
    void byteBudgetGivesEnomem() throws Exception {
        d.close();
        kit.bus().close();
        kit.start();
        d = new TestDaemon(kit, ServerOptions.defaults().withLimits(new Limits(1 << 20, 4, 64, 64 * 48 * 4 * 3, 4L << 20, 16, 64)));
        try (RawClient c = RawClient.hello(d.socket)) {
            c.send(new Open(0, "fb0"));
            int s = ((Opened) c.read().message()).session();
            for (int i = 0; i < 3; i++) {
                c.send(new CreateBuffer(s, 64, 48, Message.FOURCC_XRGB8888, 0));
                assertTrue(c.read().message() instanceof BufferCreated);
            }
            c.send(new CreateBuffer(s, 64, 48, Message.FOURCC_XRGB8888, 0));
            Message.Error e = (Message.Error) c.read().message();
            assertEquals(ErrorCode.ENOMEM, e.code(), e.message());
            // destroying one frees its bytes
            c.send(new DestroyBuffer(s, 1));
            assertEquals(new Ok(Message.DESTROY_BUFFER), c.read().message());
            c.send(new CreateBuffer(s, 64, 48, Message.FOURCC_XRGB8888, 0));
            assertTrue(c.read().message() instanceof BufferCreated);
        }
    }
}
