package org.paneld.daemon.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.paneld.client.PaneldClient;
import org.paneld.client.PaneldException;
import org.paneld.drivers.testkit.LifecycleKit;
import org.paneld.drivers.virtual.VirtualFbDriver;
import org.paneld.protocol.ErrorCode;
import org.paneld.protocol.Frame;
import org.paneld.protocol.Message;

/**
 * One client cannot lock the others out (issue 10 item 4), over the real socket: the HELLO
 * deadline, the per-peer cap (TCP peers are one class: the in-process tests run as root, so TCP
 * is the non-admin peer here; LockoutIT does the same with real second uids), the admin reserve,
 * and a client library that reports the server's refusal instead of a broken pipe.
 */
class LockoutTest {
    @RegisterExtension
    final LifecycleKit kit = new LifecycleKit(new VirtualFbDriver());
    Path dir;
    Path sock;
    PaneldServer server;
    final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        kit.addVirtual("fb0", "virtual-fb", "width", 16, "height", 16);
        kit.bind("fb0");
        dir = Files.createTempDirectory(Path.of("/tmp"), "paneld-lockout-");
        sock = dir.resolve("p.sock");
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        if (server != null) {
            server.close();
        }
        Files.deleteIfExists(sock);
        Files.deleteIfExists(dir);
    }

    private void start(int maxConnections, Admission admission) throws Exception {
        Limits d = Limits.defaults();
        Limits l = new Limits(d.maxFrameBytes(), d.maxSessionsPerConnection(), d.maxBuffersPerConnection(),
                d.maxBufferBytesPerConnection(), d.maxBufferBytes(), d.maxRectsPerFlush(), maxConnections);
        server = new PaneldServer(ServerOptions.defaults().withSocketPath(sock).withTcp("127.0.0.1", 0).withLimits(l), admission,
                kit.bus(), null);
        server.start();
    }

    private <T extends AutoCloseable> T keep(T c) {
        open.add(c);
        return c;
    }

    private RawClient tcpHello() throws IOException {
        RawClient c = keep(RawClient.tcp(server.tcpPort()));
        c.send(new Message.Hello(1, 1, 0, "tcp"));
        assertTrue(c.read().message() instanceof Message.HelloReply);
        return c;
    }

    private static Message.Error refusal(RawClient c) throws IOException {
        Frame f = c.read();
        assertEquals(0, f.id(), "a connection-level ERROR carries id 0");
        assertTrue(f.message() instanceof Message.Error, f.toString());
        assertTrue(c.closedByServer(), "closed after the ERROR");
        return (Message.Error) f.message();
    }

    @Test
    void silentAndHalfHelloConnectionsGetEtimedoutAtTheDeadlineAndAGoodClientStays() throws Exception {
        start(256, new Admission(300, 32, 8));
        long t0 = System.nanoTime();
        RawClient silent = keep(RawClient.unix(sock));
        RawClient half = keep(RawClient.unix(sock));
        byte[] hello = RawClient.encode(new Message.Hello(1, 1, 0, "slow"));
        half.sendBytes(java.util.Arrays.copyOf(hello, 6)); // a HELLO that never completes
        RawClient good = keep(RawClient.hello(sock));
        for (RawClient c : List.of(silent, half)) {
            Message.Error e = refusal(c);
            assertEquals(ErrorCode.ETIMEDOUT, e.code(), e.message());
            assertEquals(0, e.requestType());
            assertTrue(e.message().contains("no HELLO within 300 ms") && e.message().contains("hello_timeout_ms"), e.message());
        }
        assertTrue(System.nanoTime() - t0 >= 290_000_000L, "not before the deadline");
        int id = good.send(new Message.ListDevices());
        Frame f = good.read();
        assertEquals(id, f.id());
        assertTrue(f.message() instanceof Message.DeviceList, "a client that said HELLO is not timed out");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> server.slots().total() == 1);
    }

    @Test
    void silentSocketsOfRootFillingEverySlotKeepNeitherRootNorTcpOut() throws Exception {
        start(4, new Admission(60_000, 2, 2));
        List<RawClient> silent = new ArrayList<>();
        for (int i = 0; i < 6; i++) { // max_connections plus the admin reserve, none says HELLO
            silent.add(keep(RawClient.unix(sock)));
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> server.slots().waiting() == 6);
        RawClient root = keep(RawClient.hello(sock)); // makes room: the oldest silent one goes
        assertEquals(5, server.slots().waiting());
        RawClient tcp = tcpHello(); // a non-admin peer needs 3 to go (6 open, max_connections 4)
        assertEquals(2, server.slots().waiting());
        for (RawClient c : List.of(root, tcp)) {
            int id = c.send(new Message.ListDevices());
            assertEquals(id, c.read().id());
        }
        int evicted = 0;
        for (RawClient c : silent) {
            Message.Error e;
            try {
                e = refusal(c);
            } catch (java.net.SocketTimeoutException stillWaiting) {
                continue; // not evicted: its HELLO deadline (60 s) is far
            }
            assertEquals(ErrorCode.ETIMEDOUT, e.code());
            assertTrue(e.message().contains("closed before its HELLO: every connection slot was taken"), e.message());
            evicted++;
        }
        assertEquals(4, evicted);
    }

    @Test
    void tcpPeersShareOneCapTheGlobalCapHoldsAndRootKeepsTheReserve() throws Exception {
        start(4, new Admission(5000, 2, 2));
        tcpHello();
        RawClient tcp2 = tcpHello();
        Message.Error perPeer = refusal(keep(RawClient.tcp(server.tcpPort())));
        assertEquals(ErrorCode.EBUSY, perPeer.code());
        assertTrue(perPeer.message().contains("tcp peers") && perPeer.message().contains("max_connections_per_uid 2"), perPeer.message());

        // root (an admin peer) is not held by the per-uid cap: two more fill max_connections ...
        keep(RawClient.hello(sock));
        keep(RawClient.hello(sock));
        tcp2.close();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> server.slots().total() == 3);
        keep(RawClient.hello(sock));
        // ... a non-admin peer now meets the global cap ...
        Message.Error global = refusal(keep(RawClient.tcp(server.tcpPort())));
        assertEquals(ErrorCode.EBUSY, global.code());
        assertTrue(global.message().contains("max_connections 4 reached"), global.message());
        // ... while root still gets the reserve, and only the reserve
        keep(RawClient.hello(sock));
        keep(RawClient.hello(sock));
        Message.Error full = refusal(keep(RawClient.unix(sock)));
        assertEquals(ErrorCode.EBUSY, full.code());
        assertTrue(full.message().contains("admin_reserved_connections 2"), full.message());
        assertEquals(6, server.slots().total());
    }

    @Test
    void theClientLibraryReportsTheRefusalNotABrokenPipe() throws Exception {
        start(1, new Admission(5000, 1, 1));
        keep(RawClient.hello(sock));
        keep(RawClient.hello(sock));
        for (int i = 0; i < 30; i++) { // the refusal races the client's HELLO write: try it often
            PaneldException e = assertThrows(PaneldException.class, () -> PaneldClient.connect(sock).close());
            assertEquals(ErrorCode.EBUSY, e.code(), e.getMessage());
            assertTrue(e.getMessage().contains("too many connections"), e.getMessage());
        }
        for (int i = 0; i < 10; i++) {
            PaneldException e = assertThrows(PaneldException.class, () -> PaneldClient.connectTcp("127.0.0.1", server.tcpPort()).close());
            assertEquals(ErrorCode.EBUSY, e.code(), e.getMessage());
        }
    }

    @Test
    void slotsLeaveNothingBehindAfterChurn() throws Exception {
        start(8, new Admission(5000, 2, 2));
        for (int i = 0; i < 200; i++) {
            try (RawClient t = tcpHello(); RawClient u = RawClient.hello(sock)) {
                open.remove(t);
            }
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> server.slots().total() == 0);
        assertEquals(0, server.slots().peers(), "the per-peer table holds only peers with connections");
        assertEquals(0, server.stats().connections());
    }

    @Test
    void aClientGoneDuringFdPassingIsADebugLineWithoutAStackNotAWarning() throws Exception {
        start(256, Admission.defaults());
        java.util.logging.Logger log = java.util.logging.Logger.getLogger(Connection.class.getName());
        List<java.util.logging.LogRecord> records = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler h = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                records.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        h.setLevel(java.util.logging.Level.ALL);
        java.util.logging.Level before = log.getLevel();
        log.setLevel(java.util.logging.Level.FINE);
        log.addHandler(h);
        try {
            for (int i = 0; i < 5; i++) {
                try (RawClient c = RawClient.unix(sock)) {
                    c.send(new Message.Hello(1, 1, Message.HELLO_WANT_FD, "gone"));
                    c.read();
                    c.send(new Message.Open(0, "fb0"));
                    int s = ((Message.Opened) c.read().message()).session();
                    c.send(new Message.CreateBuffer(s, 16, 16, Message.FOURCC_XRGB8888, Message.BUFFER_SHARED));
                    Message.BufferCreated b = (Message.BufferCreated) c.read().message();
                    c.send(new Message.FdReady(b.buffer()));
                } // gone before the server passes the fd: Broken pipe on the server's side
            }
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> server.slots().total() == 0);
            assertTrue(records.stream().anyMatch(r -> r.getLevel() == java.util.logging.Level.FINE
                    && r.getMessage().contains("passing the fd of buffer 1 failed") && r.getMessage().contains("Broken pipe")),
                    "the path was taken: " + records.stream().map(java.util.logging.LogRecord::getMessage).toList());
            assertEquals(List.of(), records.stream().filter(r -> r.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()
                    || r.getThrown() != null).map(r -> r.getLevel() + " " + r.getMessage()).toList());
        } finally {
            log.removeHandler(h);
            log.setLevel(before);
        }
    }

    @Test
    void aFloodOfRefusedConnectionsStillGetsTheirEbusyAndHoldsNoSocketsAfterwards() throws Exception {
        start(1, new Admission(5000, 1, 1));
        keep(RawClient.hello(sock));
        keep(RawClient.hello(sock));
        List<RawClient> flood = new ArrayList<>();
        for (int i = 0; i < 3 * ConnectionSlots.MAX_LINGERING; i++) { // none of them ever closes
            flood.add(keep(RawClient.unix(sock)));
        }
        for (RawClient c : flood) {
            assertEquals(ErrorCode.EBUSY, refusal(c).code());
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> server.slots().lingering() == 0);
        assertEquals(2, server.slots().total());
    }

    @Test
    void tcpAdminIsWarnedAboutAtStart() throws Exception {
        java.util.logging.Logger log = java.util.logging.Logger.getLogger(PaneldServer.class.getName());
        List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler h = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                if (r.getLevel() == java.util.logging.Level.WARNING) {
                    warnings.add(r.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        log.addHandler(h);
        try {
            server = new PaneldServer(ServerOptions.defaults().withSocketPath(sock).withTcp("127.0.0.1", 0).withTcpAdmin(true),
                    kit.bus(), null);
            server.start();
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).startsWith("tcp_admin = true: every client that can reach tcp /127.0.0.1:")
                    && warnings.get(0).contains("every local user"), warnings.get(0));
        } finally {
            log.removeHandler(h);
        }
    }

    static ConnectionSlots.Slot hello(ConnectionSlots.Outcome o) {
        o.slot().helloDone();
        return o.slot();
    }

    @Test
    void connectionSlotsCountPerPeerAndExemptAdmins() {
        ConnectionSlots s = new ConnectionSlots(3, new Admission(5000, 2, 1));
        Runnable never = () -> {
            throw new AssertionError("a connection that said HELLO is never evicted");
        };
        ConnectionSlots.Slot a1 = hello(s.acquire(1000, false, never));
        ConnectionSlots.Slot a2 = hello(s.acquire(1000, false, never));
        assertTrue(s.acquire(1000, false, never).refusal().contains("uid 1000 (2 open, max_connections_per_uid 2)"));
        ConnectionSlots.Slot b = hello(s.acquire(1001, false, never));
        assertTrue(s.acquire(1002, false, never).refusal().contains("max_connections 3 reached"));
        ConnectionSlots.Slot root = hello(s.acquire(0, true, never));
        assertTrue(s.acquire(0, true, never).refusal().contains("admin_reserved_connections 1"));
        a1.release();
        a1.release(); // idempotent
        assertEquals(3, s.total());
        assertTrue(s.acquire(1002, false, never).refusal() != null, "the admin's slot still counts against max_connections");
        root.release();
        assertTrue(hello(s.acquire(1002, false, never)) != null);
        a2.release();
        b.release();
        assertEquals(1, s.peers());
        assertEquals(0, s.waiting());
    }

    @Test
    void connectionsWithoutHelloMakeRoomOldestFirstAndOnlyTheirOwnUidsWhenThePerUidCapRefuses() {
        ConnectionSlots s = new ConnectionSlots(4, new Admission(5000, 2, 2));
        List<String> evicted = new ArrayList<>();
        Runnable never = () -> {
            throw new AssertionError("a connection that said HELLO is never evicted");
        };
        // uid 1000 at its cap with two silent connections: its third evicts its own oldest silent one
        s.acquire(1000, false, () -> evicted.add("1000 first"));
        s.acquire(1000, false, () -> evicted.add("1000 second"));
        s.acquire(2000, false, () -> evicted.add("2000 silent"));
        ConnectionSlots.Slot third = hello(s.acquire(1000, false, never));
        assertEquals(List.of("1000 first"), evicted);
        assertEquals(3, s.total());
        // root fills max_connections and its reserve with silent connections ...
        for (int i = 0; i < 3; i++) {
            int n = i;
            s.acquire(0, true, () -> evicted.add("root silent " + n));
        }
        assertEquals(6, s.total());
        evicted.clear();
        // ... and still neither root nor another uid is kept out: the oldest silent ones go
        hello(s.acquire(0, true, never));
        assertEquals(List.of("1000 second"), evicted);
        hello(s.acquire(3000, false, never));
        assertEquals(List.of("1000 second", "2000 silent", "root silent 0", "root silent 1"), evicted);
        assertEquals(4, s.total());
        // connections that said HELLO are never evicted, and none is evicted in vain
        hello(s.acquire(0, true, never));
        s.acquire(0, true, () -> evicted.add("last"));
        evicted.clear();
        assertEquals(6, s.total());
        assertTrue(s.acquire(3001, false, never).refusal().contains("max_connections 4 reached"), "3 would have to go, 2 are silent");
        assertEquals(List.of(), evicted);
        hello(s.acquire(0, true, never));
        assertEquals(List.of("root silent 2"), evicted);
        third.release();
        assertEquals(1, s.waiting());
    }

    @Test
    void supplementaryGroupsComeFromProcStatusOnlyWhenItsIdsMatch() {
        String status = "Name:\tpython3\nUid:\t4242\t4242\t4242\t4242\nGid:\t4242\t4242\t4242\t4242\nGroups:\t44 4242 4343 \n";
        assertArrayEquals(new int[] {4242, 44, 4343}, PeerGroups.parse(status, 4242, 4242));
        assertArrayEquals(new int[] {4242}, PeerGroups.parse(status, 4243, 4242), "another uid: a reused pid");
        assertArrayEquals(new int[] {7}, PeerGroups.parse(status, 4242, 7), "another gid");
        assertArrayEquals(new int[] {4242}, PeerGroups.parse("Uid:\t4242\t4242\t4242\t4242\nGid:\t4242\t4242\t4242\t4242\nGroups:\t\n", 4242, 4242));
        assertArrayEquals(new int[] {5}, PeerGroups.of(-1, 0, 5), "no pid: primary gid only");
        assertArrayEquals(new int[] {5}, PeerGroups.of(Integer.MAX_VALUE, 0, 5), "no such process: primary gid only");
    }
}
