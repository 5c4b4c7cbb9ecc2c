package org.paneld.daemon.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.paneld.client.Buffer;
import org.paneld.client.EventListener;
import org.paneld.client.PaneldClient;
import org.paneld.client.PaneldException;
import org.paneld.client.Session;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.core.Driver;
import org.paneld.drivers.core.Errno;
import org.paneld.drivers.display.Display;
import org.paneld.drivers.display.DisplayInfo;
import org.paneld.drivers.pixel.Framebuffer;
import org.paneld.drivers.pixel.PixelFormat;
import org.paneld.drivers.pixel.Rect;
import org.paneld.drivers.testkit.LifecycleKit;
import org.paneld.drivers.virtual.VirtualFbDriver;
import org.paneld.protocol.ErrorCode;
import org.paneld.protocol.Frame;
import org.paneld.protocol.Message;

/** Listening (path, mode, group, inherited fd), access policy, connection limit, shutdown in bounded time. */
class ServerLifecycleTest {
    static final CountDownLatch HANG = new CountDownLatch(1);

    @RegisterExtension
    final LifecycleKit kit = new LifecycleKit(new VirtualFbDriver(), new HangingDriver());
    Path dir;

    @BeforeEach
    void setUp() throws Exception {
        kit.addVirtual("fb0", "virtual-fb", "width", 16, "height", 16);
        kit.bind("fb0");
        dir = Files.createTempDirectory(Path.of("/tmp"), "paneld-life-");
    }

    @AfterEach
    void tearDown() throws IOException {
        try (var s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(dir);
    }

    ServerOptions options() {
        return ServerOptions.defaults().withSocketPath(dir.resolve("p.sock"));
    }

    @Test
    void everyCoreErrnoMapsToTheSameNamedWireCode() {
        for (Errno e : Errno.values()) {
            assertEquals(e.name(), Errors.toWire(e).name());
        }
    }

    @Test
    void socketModeAndGroupComeFromTheOptionsAndAStaleSocketIsReplaced() throws Exception {
        String group = Files.getAttribute(dir, "posix:group").toString();
        Path sock = dir.resolve("p.sock");
        try (PaneldServer s = new PaneldServer(options().withSocketMode(0600, group), kit.bus(), null)) {
            s.start();
            assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(sock));
            assertEquals(group, Files.getAttribute(sock, "posix:group").toString());
        }
        assertFalse(Files.exists(sock), "the socket file goes with the server");
        // a stale socket (left by a crash) is replaced; a regular file is not
        Socket stale = Socket.newSocketDomain();
        stale.bind(new DomainSocketAddress(sock.toFile()));
        stale.close();
        assertTrue(Files.exists(sock));
        try (PaneldServer s = new PaneldServer(options().withSocketMode(0660, null), kit.bus(), null)) {
            s.start();
            try (PaneldClient c = PaneldClient.connect(sock)) {
                assertEquals(1, c.listDevices().size());
            }
        }
        Files.writeString(sock, "not a socket");
        PaneldServer bad = new PaneldServer(options(), kit.bus(), null);
        IOException e = assertThrows(IOException.class, bad::start);
        assertTrue(e.getMessage().contains("not a socket"), e.getMessage());
        bad.close();
        Files.delete(sock);
        PaneldServer noGroup = new PaneldServer(options().withSocketMode(0660, "no-such-group-paneld"), kit.bus(), null);
        assertThrows(IOException.class, noGroup::start);
        noGroup.close();
    }

    @Test
    void servesOnAnInheritedListeningFd() throws Exception {
        Epoll.ensureAvailability();
        Path sock = dir.resolve("activated.sock");
        Socket listening = Socket.newSocketDomain(); // what systemd hands over as LISTEN_FDS
        listening.bind(new DomainSocketAddress(sock.toFile()));
        listening.listen(16);
        Path own = dir.resolve("p.sock"); // the path option, which an inherited fd overrides
        try (PaneldServer s = new PaneldServer(options().withInheritedFd(listening.intValue()), kit.bus(), null)) {
            s.start();
            assertFalse(Files.exists(own, java.nio.file.LinkOption.NOFOLLOW_LINKS), "with an inherited fd no socket file is created");
            try (PaneldClient c = PaneldClient.connect(sock); Session ses = c.open("fb0");
                 Buffer b = ses.createBuffer(Message.FOURCC_XRGB8888, true)) {
                assertEquals(1, s.stats().connections(), "the client is served through the inherited fd");
                b.fill(0xABCDEF);
                b.flushAll();
                assertEquals(0xABCDEF, kit.bus().device("fb0").orElseThrow().attachment(org.paneld.drivers.core.VirtualHardware.class)
                        .orElseThrow().snapshot().get(3, 3), "what the client drew through the inherited socket is on the panel");
            }
        }
        // the socket file is systemd's (the .socket unit made it): the daemon leaves it in place
        assertTrue(Files.exists(sock, java.nio.file.LinkOption.NOFOLLOW_LINKS), "the inherited socket's file was removed");
        assertFalse(Files.exists(own, java.nio.file.LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void perDeviceAllowListsAndTcp() throws Exception {
        ServerOptions o = options().withTcp("127.0.0.1", 0)
                .withDeviceAccess(Map.of("fb0", new AccessList(Set.of(12345), Set.of(777))));
        try (PaneldServer s = new PaneldServer(o, kit.bus(), null)) {
            s.start();
            assertFalse(s.accessAllowed("fb0", true, 4242, new int[] {4242}), "neither uid nor gid listed");
            assertTrue(s.accessAllowed("fb0", true, 12345, new int[] {1}), "uid listed");
            assertTrue(s.accessAllowed("fb0", true, 4242, new int[] {777}), "gid listed");
            assertTrue(s.accessAllowed("fb0", true, 0, new int[] {0}), "root");
            assertTrue(s.accessAllowed("other", true, 4242, new int[] {4242}), "devices without a list are open");
            try (PaneldClient tcp = PaneldClient.connectTcp("127.0.0.1", s.tcpPort());
                 PaneldClient unix = PaneldClient.connect(dir.resolve("p.sock"))) {
                PaneldException e = assertThrows(PaneldException.class, () -> tcp.open("fb0"));
                assertEquals(ErrorCode.EACCES, e.code());
                assertTrue(e.getMessage().contains("fb0"), e.getMessage());
                unix.open("fb0").close(); // the daemon's own uid passes
            }
        }
    }

    @Test
    void adminOverTcpOnlyWhenTheOptionAllowsIt() throws Exception {
        try (PaneldServer s = new PaneldServer(options().withTcp("127.0.0.1", 0).withTcpAdmin(true), kit.bus(),
                new TestDaemon.KitAdmin(kit))) {
            s.start();
            try (PaneldClient tcp = PaneldClient.connectTcp("127.0.0.1", s.tcpPort())) {
                assertTrue((tcp.serverInfo().flags() & Message.HELLO_ADMIN) != 0);
                assertTrue(tcp.status().stream().anyMatch(l -> l.startsWith("device fb0#")));
                assertEquals(16, tcp.snapshot("fb0").width());
                assertEquals(ErrorCode.ENOENT, assertThrows(PaneldException.class, () -> tcp.snapshot("nope")).code());
            }
        }
    }

    @Test
    void connectionLimitRefusesWithEbusy() throws Exception {
        // tests run as root, an admin peer: it may use the admin reserve (1 here) beyond max_connections (1)
        try (PaneldServer s = new PaneldServer(options().withLimits(new Limits(1 << 20, 4, 4, 1 << 20, 1 << 20, 4, 1)),
                new Admission(5000, 1, 1), kit.bus(), null)) {
            s.start();
            try (RawClient first = RawClient.hello(dir.resolve("p.sock")); RawClient reserve = RawClient.hello(dir.resolve("p.sock"));
                 RawClient second = RawClient.unix(dir.resolve("p.sock"))) {
                Frame f = second.read();
                assertEquals(ErrorCode.EBUSY, ((Message.Error) f.message()).code());
                assertEquals(0, f.id());
                assertTrue(second.closedByServer());
                first.send(new Message.ListDevices());
                assertTrue(first.read().message() instanceof Message.DeviceList);
            }
        }
    }

    @Test
    void shutdownIsAnnouncedAndCloseIsBoundedEvenWithAHungDeviceAndAClientThatNeverReads() throws Exception {
        kit.addVirtual("hang0", "hang-fb");
        kit.bind("hang0");
        PaneldServer s = new PaneldServer(options(), kit.bus(), null);
        s.start();
        PaneldClient c = PaneldClient.connect(dir.resolve("p.sock"));
        CountDownLatch announced = new CountDownLatch(1);
        c.addListener(new EventListener() {
            @Override
            public void shutdown(String reason) {
                announced.countDown();
            }
        });
        Session hs = c.open("hang0");
        Buffer hb = hs.createBuffer(Message.FOURCC_XRGB8888, false);
        var stuck = hb.flushAsync(List.of(new Message.Region(0, 0, 1, 1))); // the device never finishes this
        RawClient deaf = RawClient.hello(dir.resolve("p.sock"));
        for (int i = 0; i < 2000; i++) { // requests whose replies it never reads
            deaf.send(new Message.ListDevices());
        }
        s.stopAccepting();
        assertThrows(IOException.class, () -> PaneldClient.connect(dir.resolve("p.sock")));
        s.announceShutdown();
        assertTrue(announced.await(5, TimeUnit.SECONDS));
        long t0 = System.nanoTime();
        s.close();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < 8000, "close took " + ms + " ms");
        assertEquals(0, s.stats().sessions());
        assertEquals(0, kit.tracker().liveCount("session"), String.join("\n", kit.tracker().listing()));
        HANG.countDown(); // let the hung flush end so the kit can unbind
        await().atMost(Duration.ofSeconds(5)).until(stuck::isDone);
        deaf.close();
        c.close();
    }

    @Test
    void aClientFloodingASlowDeviceIsThrottledNotBuffered() throws Exception {
        CountDownLatch slow = new CountDownLatch(1);
        kit.addVirtual("slow0", "hang-fb", "size", 512, "latch", slow);
        kit.bind("slow0");
        try (PaneldServer s = new PaneldServer(options(), kit.bus(), null)) {
            s.start();
            try (RawClient c = RawClient.hello(dir.resolve("p.sock"))) {
                c.send(new Message.Open(Message.OPEN_OWNER, "slow0"));
                int ses = ((Message.Opened) c.read().message()).session();
                c.send(new Message.CreateBuffer(ses, 512, 512, Message.FOURCC_XRGB8888, 0));
                int buf = ((Message.BufferCreated) c.read().message()).buffer();
                c.send(new Message.Flush(ses, buf, List.of(new Message.Region(0, 0, 1, 1)))); // blocks the worker
                byte[] frame = RawClient.encode(new Message.Write(ses, buf, 0, 0, 512, 512, new byte[512 * 512 * 4]));
                long accepted = c.sendUntilBlocked(frame, 200 << 20, 1500);
                long share = options().limits().maxPendingBytesPerConnection(); // reading pauses at half of it
                assertTrue(accepted < share + (8L << 20), "the server kept reading " + (accepted >> 20) + " MiB while the device was stuck"
                        + " (pending share " + share + ", plus socket buffers)");
                assertTrue(accepted > share / 2, "the server read only " + accepted + " bytes before pushing back (share " + share + ")");
                slow.countDown(); // the device catches up: the server reads again, every WRITE is answered
                c.finishPartial();
                c.drainReplies((int) ((accepted + frame.length - 1) / frame.length) + 1, 30_000);
                int id = c.send(new Message.ListDevices());
                Frame f = c.read();
                assertEquals(id, f.id(), "the connection is in sync: " + f);
            }
        }
    }

    /**
     * A panel (config "size", default 4) whose flush blocks until a latch opens (config "latch",
     * default {@link #HANG}): an e-paper refresh that never ends.
     */
    static final class HangingDriver implements Driver {
        @Override
        public String name() {
            return "hang-fb";
        }

        @Override
        public Display probe(Device device) throws Exception {
            device.hardware().add("nothing", () -> { });
            int size = device.config().intValue("size", 4, 1, 4096);
            CountDownLatch latch = device.config().asMap().get("latch") instanceof CountDownLatch
                    ? (CountDownLatch) device.config().asMap().get("latch") : HANG;
            return new Display() {
                @Override
                public DisplayInfo info() {
                    return new DisplayInfo("hang-fb", size, size, 0, 0, List.of(PixelFormat.XRGB8888), "RGB888", 0, List.of(), true, "slow");
                }

                @Override
                public void enable() {
                }

                @Override
                public void disable() {
                }

                @Override
                public void flush(Framebuffer source, Rect damage) {
                    try {
                        latch.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }

                @Override
                public void setProperty(String name, long value) {
                }
            };
        }
    }
}
