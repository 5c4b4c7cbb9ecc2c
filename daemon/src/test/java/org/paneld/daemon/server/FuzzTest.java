package org.paneld.daemon.server;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.paneld.client.Buffer;
import org.paneld.client.PaneldClient;
import org.paneld.client.Session;
import org.paneld.drivers.testkit.LifecycleKit;
import org.paneld.drivers.virtual.VirtualFbDriver;
import org.paneld.protocol.Codec;
import org.paneld.protocol.ErrorCode;
import org.paneld.protocol.Frame;
import org.paneld.protocol.Message;

/**
 * Random frames from many connections (valid header, random request or non-request type, random
 * payload with plausible small numbers; also broken length fields): every frame is answered —
 * by its reply or by an ERROR carrying its id and type — and after a fatal ERROR (EPROTO,
 * EMSGSIZE) the server closes that connection; nothing else ever comes (events aside). A
 * well-behaved client keeps drawing the right pixels throughout; nothing leaks (the kit checks).
 */
class FuzzTest {
    static final long SEED = 4;

    @RegisterExtension
    final LifecycleKit kit = new LifecycleKit(new VirtualFbDriver());
    TestDaemon d;

    @BeforeEach
    void start() throws Exception {
        d = new TestDaemon(kit);
    }

    @AfterEach
    void stop() throws Exception {
        d.close();
    }

    private int replies, errors, fatal, brokenLengths;

    @Test
    void randomFramesAreAnsweredOrCloseTheirConnectionAndNeverHurtAnotherClient() throws Exception {
        PaneldClient good = d.unix();
        Session gs = good.open("fb0");
        Buffer gb = gs.createBuffer(Message.FOURCC_XRGB8888, true);
        Random rnd = new Random(SEED);
        // requests three times as often as FD_READY / FD_RECEIVED out of order (fatal) and the non-requests
        int[] types = {0x0002, 0x0003, 0x0004, 0x0005, 0x0006, 0x0007, 0x0008, 0x0009, 0x000A, 0x000B, 0x000C, 0x000D,
            0x000E, 0x0020, 0x0021, 0x0025, 0x0002, 0x0003, 0x0004, 0x0005, 0x0006, 0x0007, 0x0008, 0x0009, 0x000A, 0x000B,
            0x000C, 0x000D, 0x000E, 0x0020, 0x0021, 0x0025, 0x0002, 0x0003, 0x0004, 0x0005, 0x0006, 0x0007, 0x0008, 0x0009,
            0x000A, 0x000B, 0x000C, 0x000D, 0x000E, 0x0020, 0x0021, 0x0025, 0x000F, 0x0010, 0x8001, 0x4001, 0x7FFF, 0x1234};
        for (int conn = 0; conn < 40; conn++) {
            try (RawClient c = RawClient.hello(d.socket)) {
                c.send(new Message.Open(0, "fb" + (conn % 2)));
                assertTrue(c.read().message() instanceof Message.Opened);
                c.send(new Message.CreateBuffer(1, conn % 2 == 0 ? 64 : 32, conn % 2 == 0 ? 48 : 16, Message.FOURCC_RGB565, 0));
                assertTrue(c.read().message() instanceof Message.BufferCreated);
                for (int i = 0; i < 25; i++) {
                    String where = "seed " + SEED + ", connection " + conn + ", frame " + i;
                    int id = i + 100;
                    if (rnd.nextInt(50) == 0) {
                        // a broken length field: below the 8-byte minimum, or over max_frame (16 MiB)
                        boolean tooShort = rnd.nextBoolean();
                        int length = tooShort ? rnd.nextInt(8) : (16 << 20) + 1 + rnd.nextInt(Integer.MAX_VALUE - (16 << 20));
                        c.sendBytes(RawClient.le(length, Message.LIST_DEVICES, id));
                        Frame f = answer(c, where);
                        Message.Error e = assertInstanceOf(Message.Error.class, f.message(), where + ": " + f);
                        assertEquals(tooShort ? ErrorCode.EPROTO : ErrorCode.EMSGSIZE, e.code(), where + ": " + e);
                        assertTrue(c.closedByServer(), where + ": connection still open after " + e);
                        brokenLengths++;
                        fatal++;
                        break;
                    }
                    int type = types[rnd.nextInt(types.length)];
                    byte[] payload = mutate(rnd, payload(rnd, type));
                    c.sendBytes(RawClient.frame(type, id, payload));
                    Frame f = answer(c, where);
                    assertEquals(id, f.id(), where + ": the answer carries the request's id: " + f);
                    if (f.message() instanceof Message.Error e) {
                        assertEquals(type, e.requestType(), where + ": the ERROR names the request type: " + e);
                        assertFalse(e.message().isBlank(), where);
                        errors++;
                        if (e.code() == ErrorCode.EPROTO || e.code() == ErrorCode.EMSGSIZE) {
                            assertTrue(c.closedByServer(), where + ": connection still open after " + e);
                            fatal++;
                            break;
                        }
                        assertTrue(Codec.isRequest(type) || e.code() == ErrorCode.EOPNOTSUPP, where + ": a non-request is EOPNOTSUPP: " + e);
                    } else {
                        assertTrue(Codec.isRequest(type), where + ": a reply to a non-request type: " + f);
                        assertEquals(type | Message.REPLY, f.message().type(), where + ": the reply's type: " + f);
                        replies++;
                        if (f.message() instanceof Message.BufferCreated bc) {
                            assertEquals(0, bc.flags() & Message.BUFFER_FD_FOLLOWS, where + ": no fd passing was asked for");
                        }
                    }
                }
            }
            int colour = 0x010203 * (conn + 1);
            gb.fill(colour);
            gb.flushAll();
            assertEquals(colour & 0xFFFFFF, d.snapshot("fb0").get(1, 1), "after fuzz connection " + conn);
        }
        assertTrue(good.isOpen());
        assertEquals(1, good.listDevices().stream().filter(e -> e.name().equals("fb0")).count());
        System.out.println("fuzz (seed " + SEED + "): " + replies + " replies, " + errors + " errors, " + fatal + " connections closed");
        // the fuzz reached every kind of outcome (else it tests less than it says)
        assertTrue(replies > 50 && errors > 100 && fatal > 5 && brokenLengths > 0,
                "replies " + replies + ", errors " + errors + ", fatal " + fatal + ", broken lengths " + brokenLengths);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .untilAsserted(() -> assertEquals(1, d.server.stats().connections(), "only the good client is left"));
    }

    private static final String[] NAMES = {"fb0", "fb1", "nope", "", "backlight", "power", "contrast"};

    /** A payload laid out as PROTOCOL.md gives the type, with small, often valid numbers; random bytes for non-requests. */
    static byte[] payload(Random rnd, int type) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(256).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        java.util.function.IntSupplier small = () -> rnd.nextInt(4) == 0 ? rnd.nextInt() : rnd.nextInt(3);
        Runnable str = () -> {
            byte[] n = NAMES[rnd.nextInt(NAMES.length)].getBytes(java.nio.charset.StandardCharsets.UTF_8);
            b.putShort((short) n.length).put(n);
        };
        switch (type) {
            case Message.LIST_DEVICES, Message.ADMIN_STATUS -> { }
            case Message.DEVICE_INFO, Message.OPEN -> { b.putInt(small.getAsInt()); str.run(); }
            case Message.CLOSE, Message.SUBSCRIBE, Message.ACQUIRE_OWNERSHIP, Message.RELEASE_OWNERSHIP, Message.FD_READY,
                 Message.FD_RECEIVED -> b.putInt(small.getAsInt());
            case Message.CREATE_BUFFER -> {
                boolean big = rnd.nextBoolean();
                b.putInt(small.getAsInt()).putInt(big ? 64 : 32).putInt(big ? 48 : 16)
                        .putInt(rnd.nextInt(4) == 0 ? rnd.nextInt() : rnd.nextBoolean() ? Message.FOURCC_RGB565 : Message.FOURCC_XRGB8888)
                        .putInt(rnd.nextInt(4) == 0 ? Message.BUFFER_SHARED : 0);
            }
            case Message.DESTROY_BUFFER, Message.FLIP -> b.putInt(small.getAsInt()).putInt(small.getAsInt());
            case Message.WRITE -> {
                int w = rnd.nextInt(4), h = rnd.nextInt(4);
                b.putInt(small.getAsInt()).putInt(small.getAsInt()).putInt(rnd.nextInt(70) - 3).putInt(rnd.nextInt(50) - 3).putInt(w).putInt(h);
                int n = w * h * (rnd.nextBoolean() ? 2 : 4);
                b.putInt(n);
                byte[] px = new byte[n];
                rnd.nextBytes(px);
                b.put(px);
            }
            case Message.FLUSH -> {
                int count = rnd.nextInt(4);
                b.putInt(small.getAsInt()).putInt(small.getAsInt()).putInt(count);
                for (int i = 0; i < count; i++) {
                    b.putInt(rnd.nextInt(70) - 3).putInt(rnd.nextInt(50) - 3).putInt(rnd.nextInt(20) - 1).putInt(rnd.nextInt(20) - 1);
                }
            }
            case Message.SET_PROPERTY -> { b.putInt(small.getAsInt()).putLong(rnd.nextInt(104) - 2); str.run(); }
            case Message.ADMIN_BIND, Message.ADMIN_SNAPSHOT -> str.run();
            default -> {
                byte[] junk = new byte[rnd.nextInt(48)];
                rnd.nextBytes(junk);
                b.put(junk);
            }
        }
        return java.util.Arrays.copyOf(b.array(), b.position());
    }

    /** One time in sixteen: a byte flipped, the payload cut short or extended (mostly malformed frames then). */
    static byte[] mutate(Random rnd, byte[] p) {
        switch (rnd.nextInt(48)) {
            case 0: if (p.length > 0) { p[rnd.nextInt(p.length)] ^= (byte) (1 + rnd.nextInt(255)); } return p;
            case 1: return java.util.Arrays.copyOf(p, p.length == 0 ? 0 : rnd.nextInt(p.length));
            case 2: return java.util.Arrays.copyOf(p, p.length + 1 + rnd.nextInt(8));
            default: return p;
        }
    }

    /** The next frame that is not an event (id 0, type 0x4001..0x4007): a reply or an ERROR; EOF fails the test. */
    private static Frame answer(RawClient c, String where) throws Exception {
        while (true) {
            Frame f;
            try {
                f = c.read();
            } catch (java.io.EOFException e) {
                throw new AssertionError(where + ": the server closed the connection without an ERROR", e);
            } catch (java.net.SocketTimeoutException e) {
                throw new AssertionError(where + ": no answer within 5 s", e);
            }
            int t = f.message().type();
            if (f.id() == 0 && t >= Message.EV_DEVICE_ADDED && t <= Message.EV_TOUCH) {
                continue; // FLIP_COMPLETE after a FLIP, UNPLUGGED, OWNERSHIP …
            }
            return f;
        }
    }
}
