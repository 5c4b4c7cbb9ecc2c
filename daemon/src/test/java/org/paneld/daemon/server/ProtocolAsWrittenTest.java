package org.paneld.daemon.server;

import static org.junit.jupiter.api.Assertions.*;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.paneld.drivers.pixel.RgbImage;
import org.paneld.drivers.testkit.LifecycleKit;
import org.paneld.drivers.virtual.VirtualFbDriver;
import org.paneld.protocol.ErrorCode;
import org.paneld.protocol.Frame;
import org.paneld.protocol.Message;
import org.paneld.protocol.Message.*;

/**
 * The protocol exactly as PROTOCOL.md writes it (issue 10, "The protocol as written"): one test
 * per point, over the real socket, each asserting the exact error code, the id and request type
 * the ERROR carries, and the connection's fate (stays usable, or closed after the ERROR).
 */
class ProtocolAsWrittenTest {
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

    // ---------------------------------------------------------------- helpers

    /** The frame must be an ERROR with {@code code}, answering request {@code id} of {@code type}. */
    static Message.Error assertError(Frame f, ErrorCode code, int id, int type) {
        assertTrue(f.message() instanceof Message.Error, "expected ERROR " + code + ", got " + f);
        Message.Error e = (Message.Error) f.message();
        assertEquals(code, e.code(), e.message());
        assertEquals(id, f.id(), "the ERROR's id: " + e.message());
        assertEquals(type, e.requestType(), "the ERROR's request_type: " + e.message());
        assertFalse(e.message().isBlank());
        return e;
    }

    /** The connection still answers requests. */
    static void assertStaysOpen(RawClient c) throws Exception {
        int id = c.send(new ListDevices());
        Frame f = c.read();
        while (f.id() == 0 && !(f.message() instanceof Message.Error)) {
            f = c.read(); // an event may come first at any time (e.g. ownership passed on from a closed connection)
        }
        assertEquals(id, f.id(), "connection unusable: " + f);
        assertTrue(f.message() instanceof DeviceList, "connection unusable: " + f);
    }

    static void assertClosed(RawClient c) throws Exception {
        assertTrue(c.closedByServer(), "the connection should have been closed after the ERROR");
    }

    static int open(RawClient c, String device, boolean owner) throws Exception {
        c.send(new Open(owner ? Message.OPEN_OWNER : 0, device));
        Frame f = c.read();
        assertTrue(f.message() instanceof Opened, f.toString());
        return ((Opened) f.message()).session();
    }

    static int createBuffer(RawClient c, int session, int w, int h) throws Exception {
        c.send(new CreateBuffer(session, w, h, Message.FOURCC_XRGB8888, 0));
        Frame f = c.read();
        assertTrue(f.message() instanceof BufferCreated, f.toString());
        return ((BufferCreated) f.message()).buffer();
    }

    /** The payload bytes of {@code m}'s frame. */
    static byte[] payload(Message m) {
        byte[] all = RawClient.encode(m);
        return java.util.Arrays.copyOfRange(all, 12, all.length);
    }

    /** Reads frames until one satisfies {@code what} (events and other frames before it are skipped). */
    static Frame readUntil(RawClient c, java.util.function.Predicate<Frame> what) throws Exception {
        for (int i = 0; i < 1000; i++) {
            Frame f = c.read();
            if (what.test(f)) {
                return f;
            }
        }
        throw new AssertionError("not within 1000 frames");
    }

    // ---------------------------------------------------------------- §7: the passed fd maps read-write

    /**
     * Item 5: a client in another language maps the passed descriptor as §7 says
     * (mmap PROT_READ|PROT_WRITE, MAP_SHARED: needs an O_RDWR fd), draws through the mapping, and
     * the panel shows exactly its pixels.
     */
    @Test
    void aPythonClientMapsTheSharedBufferReadWriteAndDrawsThroughIt() throws Exception {
        Path python = null;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, "python3");
            if (Files.isExecutable(p)) {
                python = p;
                break;
            }
        }
        Assumptions.assumeTrue(python != null, "python3 is not on PATH: the non-Java shared-memory client cannot run");
        Path script = Path.of(getClass().getResource("/shm_client.py").toURI());
        Process p = new ProcessBuilder(python.toString(), script.toString(), d.socket.toString(), "fb0")
                .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line = CompletableFuture.supplyAsync(() -> {
                try {
                    StringBuilder all = new StringBuilder();
                    for (String l; (l = out.readLine()) != null; ) {
                        if (l.startsWith("flushed") || l.startsWith("error")) {
                            return l;
                        }
                        all.append(l).append('\n'); // a traceback
                    }
                    return "error: no result; output:\n" + all;
                } catch (java.io.IOException e) {
                    return "error: " + e;
                }
            }).get(60, TimeUnit.SECONDS);
            assertEquals("flushed 64x48 fd_mode=rdwr", line);
            RgbImage img = d.snapshot("fb0");
            for (int y = 0; y < 48; y++) {
                for (int x = 0; x < 64; x++) {
                    assertEquals(((x * 3) & 0xFF) << 16 | ((y * 5) & 0xFF) << 8 | 0x5A, img.get(x, y), "pixel " + x + "," + y);
                }
            }
        } finally {
            p.getOutputStream().close(); // the script ends when its stdin closes
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        assertEquals(0, p.exitValue());
    }

    // ---------------------------------------------------------------- §9: RELEASE_OWNERSHIP after unplug

    /** Item 6: after UNPLUGGED every request but CLOSE and DESTROY_BUFFER is ENODEV, RELEASE_OWNERSHIP too. */
    @Test
    void releaseOwnershipAfterUnplugIsEnodev() throws Exception {
        try (RawClient c = RawClient.hello(d.socket)) {
            int s = open(c, "fb1", true);
            kit.bus().binding("fb1").orElseThrow().yank();
            readUntil(c, f -> f.message() instanceof Unplugged);
            int id = c.send(new ReleaseOwnership(s));
            assertError(c.read(), ErrorCode.ENODEV, id, Message.RELEASE_OWNERSHIP);
            assertStaysOpen(c);
            int close = c.send(new Close(s));
            assertEquals(new Frame(close, new Ok(Message.CLOSE)), c.read(), "CLOSE still works");
        }
    }

    // ---------------------------------------------------------------- §3: replies and events sent as requests

    /** Item 7: a reply, event or ERROR type sent as a request is EOPNOTSUPP whatever its payload; the frame is skipped. */
    @Test
    void replyAndEventTypesAsRequestsAreEopnotsuppWithoutParsingThePayload() throws Exception {
        try (RawClient c = RawClient.hello(d.socket)) {
            int[][] cases = {
                {Message.OPEN | Message.REPLY, 3},     // "opened" needs 16 bytes: used to be EPROTO and close
                {Message.EV_UNPLUGGED, 1},             // needs u32 + str
                {Message.ERROR, 2},                    // needs 10+ bytes
                {Message.EV_FLIP_COMPLETE, 40},        // too long for its 16 bytes
                {Message.CLOSE | Message.REPLY, 0},    // parses as an empty reply: EOPNOTSUPP as before
                {Message.EV_SHUTDOWN, 7},              // a str whose length does not match
            };
            int id = 100;
            for (int[] k : cases) {
                byte[] payload = new byte[k[1]];
                java.util.Arrays.fill(payload, (byte) 0x7F);
                c.sendBytes(RawClient.frame(k[0], ++id, payload));
                Message.Error e = assertError(c.read(), ErrorCode.EOPNOTSUPP, id, k[0]);
                assertTrue(e.message().contains("is not a request"), e.message());
                assertStaysOpen(c);
            }
        }
    }

    // ---------------------------------------------------------------- §4 first frame, §2 trailing bytes

    /** Item 8, §4: whatever the first frame's fault, a first frame that is not HELLO is EPROTO and closes. */
    @Test
    void aFirstFrameThatIsNotHelloIsEprotoAndClosesEvenWhenTheDecoderFoundAnotherError() throws Exception {
        byte[][] firsts = {
            RawClient.frame(0x0777, 5, new byte[3]),                                                  // unknown type
            RawClient.frame(Message.CREATE_BUFFER, 5, RawClient.le(1, 0, 48, Message.FOURCC_XRGB8888, 0)), // width 0: EINVAL
            RawClient.frame(Message.FLUSH, 5, RawClient.le(1, 1, 100000)),                          // count over the frame: EPROTO anyway
            RawClient.frame(Message.OPEN | Message.REPLY, 5, new byte[1]),                          // a reply type
        };
        int[] types = {0x0777, Message.CREATE_BUFFER, Message.FLUSH, Message.OPEN | Message.REPLY};
        for (int i = 0; i < firsts.length; i++) {
            try (RawClient c = RawClient.unix(d.socket)) {
                c.sendBytes(firsts[i]);
                assertError(c.read(), ErrorCode.EPROTO, 5, types[i]);
                assertClosed(c);
            }
        }
    }

    /** Item 8, §2: bytes left over are EPROTO (closed), also when a field was invalid too (EINVAL would keep it open). */
    @Test
    void trailingBytesAreEprotoEvenWhenAFieldIsAlsoInvalid() throws Exception {
        int maxRects = d.server.options().limits().maxRectsPerFlush();
        try (RawClient c = RawClient.hello(d.socket)) {
            int s = open(c, "fb0", true);
            // width 0 (EINVAL) and 4 bytes after the fields
            c.sendBytes(RawClient.frame(Message.CREATE_BUFFER, 31, RawClient.le(s, 0, 48, Message.FOURCC_XRGB8888, 0, 0)));
            Message.Error e = assertError(c.read(), ErrorCode.EPROTO, 31, Message.CREATE_BUFFER);
            assertTrue(e.message().contains("bytes left"), e.message());
            assertClosed(c);
        }
        try (RawClient c = RawClient.hello(d.socket)) {
            int s = open(c, "fb0", true);
            int b = createBuffer(c, s, 64, 48);
            // more rectangles than max_rects (EINVAL) and 4 bytes after them
            int[] words = new int[3 + 4 * (maxRects + 1) + 1];
            words[0] = s;
            words[1] = b;
            words[2] = maxRects + 1;
            for (int i = 0; i <= maxRects; i++) {
                words[3 + 4 * i + 2] = 1;
                words[3 + 4 * i + 3] = 1;
            }
            c.sendBytes(RawClient.frame(Message.FLUSH, 32, RawClient.le(words)));
            assertError(c.read(), ErrorCode.EPROTO, 32, Message.FLUSH);
            assertClosed(c);
        }
        try (RawClient c = RawClient.hello(d.socket)) { // the same without the extra bytes: EINVAL, stays open
            int s = open(c, "fb0", true);
            c.sendBytes(RawClient.frame(Message.CREATE_BUFFER, 33, RawClient.le(s, 0, 48, Message.FOURCC_XRGB8888, 0)));
            assertError(c.read(), ErrorCode.EINVAL, 33, Message.CREATE_BUFFER);
            assertStaysOpen(c);
        }
    }

    // ---------------------------------------------------------------- §2/§3: EMSGSIZE names the request; id 0

    /** Item 9: EMSGSIZE carries the id and the type of the header it read; then the connection closes. */
    @Test
    void emsgsizeNamesTheRequestTypeAndId() throws Exception {
        try (RawClient c = RawClient.hello(d.socket)) {
            byte[] header = RawClient.le(0x7FFFFFF0, Message.WRITE, 77); // length, type WRITE + flags 0, id 77
            c.sendBytes(java.util.Arrays.copyOf(header, 6)); // the header arrives in two pieces
            c.sendBytes(java.util.Arrays.copyOfRange(header, 6, 12));
            Message.Error e = assertError(c.read(), ErrorCode.EMSGSIZE, 77, Message.WRITE);
            assertTrue(e.message().contains("exceeds the maximum frame size"), e.message());
            assertClosed(c);
        }
    }

    /** Item 9: request id 0 is reserved for events: EPROTO (id 0, the request's type), closed. */
    @Test
    void requestIdZeroIsEprotoAndCloses() throws Exception {
        try (RawClient c = RawClient.hello(d.socket)) {
            c.sendBytes(RawClient.frame(Message.LIST_DEVICES, 0, new byte[0]));
            Message.Error e = assertError(c.read(), ErrorCode.EPROTO, 0, Message.LIST_DEVICES);
            assertTrue(e.message().contains("id 0"), e.message());
            assertClosed(c);
        }
        try (RawClient c = RawClient.unix(d.socket)) { // HELLO with id 0 too
            c.sendBytes(RawClient.frame(Message.HELLO, 0, payload(new Hello(1, 1, 0, "zero"))));
            assertError(c.read(), ErrorCode.EPROTO, 0, Message.HELLO);
            assertClosed(c);
        }
    }

    // ---------------------------------------------------------------- §7: truncated shared buffer

    /** A shared buffer made through the fd exchange by a plain-socket client (the carrier byte is read and dropped). */
    static int sharedBuffer(RawClient c, int session, int w, int h) throws Exception {
        c.send(new CreateBuffer(session, w, h, Message.FOURCC_XRGB8888, Message.BUFFER_SHARED));
        BufferCreated bc = (BufferCreated) c.read().message();
        c.send(new FdReady(bc.buffer()));
        c.readBytes(1);
        int id = c.send(new FdReceived(bc.buffer()));
        assertEquals(new Frame(id, new Ok(Message.FD_RECEIVED)), c.read());
        return bc.buffer();
    }

    /**
     * Item 10: the file's size is checked before each FLUSH, FLIP and WRITE: a buffer truncated by
     * 4 bytes is EINVAL although the damaged rows are still in the file; FLIP's EINVAL comes in
     * FLIP_COMPLETE (error 22) after its empty reply. The connection stays usable.
     */
    @Test
    void aTruncatedSharedBufferIsEinvalBeforeEachRequestEvenWhenTheDamageIsStillInTheFile() throws Exception {
        try (RawClient c = RawClient.unix(d.socket)) {
            c.send(new Hello(1, 1, Message.HELLO_WANT_FD, "raw"));
            assertTrue(c.read().message() instanceof HelloReply);
            int s = open(c, "fb0", true);
            int b = sharedBuffer(c, s, 64, 48);
            int ok = c.send(new Flush(s, b, List.of(new Region(0, 0, 64, 1))));
            assertEquals(new Frame(ok, new Ok(Message.FLUSH)), c.read(), "intact: the flush works");

            List<Path> files = SharedMemoryTest.bufferFds();
            assertEquals(1, files.size(), files.toString());
            try (FileChannel fc = FileChannel.open(files.get(0), StandardOpenOption.WRITE)) {
                fc.truncate(64 * 48 * 4 - 4); // only the last pixel is gone; row 0 is still in the file
            }
            int flush = c.send(new Flush(s, b, List.of(new Region(0, 0, 64, 1))));
            Message.Error e = assertError(c.read(), ErrorCode.EINVAL, flush, Message.FLUSH);
            assertTrue(e.message().contains("truncated"), e.message());

            int write = c.send(new Write(s, b, 0, 0, 1, 1, new byte[4]));
            assertError(c.read(), ErrorCode.EINVAL, write, Message.WRITE);

            int flip = c.send(new Flip(s, b));
            assertEquals(new Frame(flip, new Ok(Message.FLIP)), c.read(), "FLIP's reply comes at once");
            Frame done = c.read();
            assertEquals(new Frame(0, new FlipComplete(s, b, flip, ErrorCode.EINVAL)), done, "FLIP's EINVAL comes in FLIP_COMPLETE");
            assertStaysOpen(c);
        }
    }

    // ---------------------------------------------------------------- §3/FLIP: one pending flip

    /**
     * Item 11: a FLIP sent before the previous one's FLIP_COMPLETE is always EBUSY. Each pair of
     * FLIPs goes out in one write (one read on the server): the first is accepted, the second is
     * EBUSY, and FLIP_COMPLETE comes after both replies — in every pair.
     */
    @Test
    void aSecondFlipBeforeFlipCompleteIsAlwaysEbusy() throws Exception {
        try (RawClient c = RawClient.hello(d.socket)) {
            int s = open(c, "fb1", true);
            int b = createBuffer(c, s, 32, 16);
            List<String> wrong = new ArrayList<>();
            int id = 1000;
            for (int pair = 0; pair < 300; pair++) {
                int first = ++id, second = ++id;
                byte[] f1 = RawClient.frame(Message.FLIP, first, RawClient.le(s, b));
                byte[] f2 = RawClient.frame(Message.FLIP, second, RawClient.le(s, b));
                byte[] both = java.util.Arrays.copyOf(f1, f1.length + f2.length);
                System.arraycopy(f2, 0, both, f1.length, f2.length);
                c.sendBytes(both);
                List<Frame> got = List.of(c.read(), c.read(), c.read());
                boolean right = got.get(0).equals(new Frame(first, new Ok(Message.FLIP)))
                        && got.get(1).id() == second && got.get(1).message() instanceof Message.Error
                        && ((Message.Error) got.get(1).message()).code() == ErrorCode.EBUSY
                        && ((Message.Error) got.get(1).message()).requestType() == Message.FLIP
                        && got.get(2).equals(new Frame(0, new FlipComplete(s, b, first, null)));
                if (!right) {
                    wrong.add("pair " + pair + ": " + got);
                    if (got.get(1).message() instanceof Ok) { // the second was accepted: collect its FLIP_COMPLETE too
                        readUntil(c, f -> f.message() instanceof FlipComplete && ((FlipComplete) f.message()).flipId() == second);
                    }
                }
            }
            assertEquals(0, wrong.size(), wrong.size() + " of 300 pairs wrong, e.g. " + wrong.subList(0, Math.min(3, wrong.size())));
            assertStaysOpen(c);
        }
    }

    // ---------------------------------------------------------------- CREATE_BUFFER size overflow

    /** Item 13: 0x7FFFFFFF x 0x7FFFFFFF is refused while decoding (the 64-bit product does not wrap). */
    @Test
    void createBufferSizeDoesNotOverflow() throws Exception {
        try (RawClient c = RawClient.hello(d.socket)) {
            int s = open(c, "fb0", true);
            int id = c.send(new CreateBuffer(s, 0x7FFFFFFF, 0x7FFFFFFF, Message.FOURCC_XRGB8888, 0));
            Message.Error e = assertError(c.read(), ErrorCode.EINVAL, id, Message.CREATE_BUFFER);
            // (2^31-1)^2 x 4 bytes, more than the limit: the decode-time check, not the later "not display-sized"
            assertTrue(e.message().contains("needs 18446744056529682436 bytes, more than the limit"), e.message());
            id = c.send(new CreateBuffer(s, 0x7FFFFFFF, 0x7FFFFFFF, Message.FOURCC_RGB565, 0));
            e = assertError(c.read(), ErrorCode.EINVAL, id, Message.CREATE_BUFFER);
            assertTrue(e.message().contains("needs 9223372028264841218 bytes, more than the limit"), e.message());
            assertStaysOpen(c);
        }
    }

    // ---------------------------------------------------------------- item 14: messages, snapshot bound

    /** Item 14: the ENODEV and EINVAL messages read as sentences (no repeated clause, no missing word). */
    @Test
    void errorMessagesReadRight() throws Exception {
        try (RawClient c = RawClient.hello(d.socket)) {
            int s = open(c, "fb0", true);
            int b = createBuffer(c, s, 64, 48);
            int id = c.send(new Flush(s, b, List.of(new Region(1, 1, 0, 4))));
            assertEquals("FLUSH rectangle 0 0x4+1+1 is empty or of negative size in the 64x48 buffer " + b + " (refused, not clipped)",
                    assertError(c.read(), ErrorCode.EINVAL, id, Message.FLUSH).message());
            id = c.send(new Flush(s, b, List.of(new Region(0, 0, 1, 1), new Region(-1, 2, 3, 4))));
            assertEquals("FLUSH rectangle 1 3x4+-1+2 is left of or above the 64x48 buffer " + b + " (refused, not clipped)",
                    assertError(c.read(), ErrorCode.EINVAL, id, Message.FLUSH).message());

            String devId = kit.device("fb0").id();
            kit.bus().binding("fb0").orElseThrow().yank();
            readUntil(c, f -> f.message() instanceof Unplugged);
            id = c.send(new Flush(s, b, List.of(new Region(0, 0, 1, 1))));
            assertEquals("device " + devId + " is gone (unplugged or unbound); only CLOSE and DESTROY_BUFFER work",
                    assertError(c.read(), ErrorCode.ENODEV, id, Message.FLUSH).message());
            id = c.send(new DeviceInfo(s, ""));
            assertEquals("device " + devId + " is gone (unplugged or unbound); only CLOSE and DESTROY_BUFFER work",
                    assertError(c.read(), ErrorCode.ENODEV, id, Message.DEVICE_INFO).message());
            assertStaysOpen(c);
        }
    }

    /**
     * Item 14: ADMIN_SNAPSHOTs do not queue without bound on the admin thread: at most
     * {@link SnapshotSlots#PER_CONNECTION} per connection and {@link SnapshotSlots#DAEMON_WIDE}
     * in the daemon are in flight; more are EBUSY at once, the connection stays; the slots come
     * back when the replies are handed over.
     */
    @Test
    void adminSnapshotsInFlightAreBounded() throws Exception {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(1);
        d.server.adminExecutor().execute(() -> { // keeps the admin thread busy: snapshots can only queue
            running.countDown();
            try {
                held.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(running.await(10, TimeUnit.SECONDS));
        try (RawClient a = RawClient.hello(d.socket); RawClient b = RawClient.hello(d.socket); RawClient x = RawClient.hello(d.socket)) {
            byte[] body = payload(new AdminDevice(Message.ADMIN_SNAPSHOT, "fb1"));
            int n = 12 + body.length;
            byte[] ten = new byte[n * 10];
            for (int i = 0; i < 10; i++) {
                System.arraycopy(RawClient.frame(Message.ADMIN_SNAPSHOT, 200 + i, body), 0, ten, i * n, n);
            }
            a.sendBytes(ten); // 2 queue, 8 are refused at once
            for (int i = 2; i < 10; i++) {
                Message.Error e = assertError(a.read(), ErrorCode.EBUSY, 200 + i, Message.ADMIN_SNAPSHOT);
                assertTrue(e.message().contains("limit " + SnapshotSlots.PER_CONNECTION + " per connection"), e.message());
            }
            for (int i = 0; i < 2; i++) {
                b.send(new AdminDevice(Message.ADMIN_SNAPSHOT, "fb1"));
            }
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)) // b's are taken (no reply yet)
                    .until(() -> d.server.snapshotSlots().inFlight() == SnapshotSlots.DAEMON_WIDE);
            int refused = x.send(new AdminDevice(Message.ADMIN_SNAPSHOT, "fb1")); // the daemon's 5th
            Message.Error e = assertError(x.read(), ErrorCode.EBUSY, refused, Message.ADMIN_SNAPSHOT);
            assertTrue(e.message().contains("limit " + SnapshotSlots.DAEMON_WIDE), e.message());
            assertEquals(SnapshotSlots.DAEMON_WIDE, d.server.snapshotSlots().inFlight());
            assertStaysOpen(x);

            held.countDown();
            for (int i = 0; i < 2; i++) {
                Frame f = a.read();
                assertEquals(200 + i, f.id());
                assertEquals(32, ((Snapshot) f.message()).width());
                assertTrue(b.read().message() instanceof Snapshot);
            }
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> d.server.snapshotSlots().inFlight() == 0);
            int again = x.send(new AdminDevice(Message.ADMIN_SNAPSHOT, "fb1"));
            Frame f = x.read();
            assertEquals(again, f.id());
            assertTrue(f.message() instanceof Snapshot, f.toString());
        } finally {
            held.countDown();
        }
    }
}
