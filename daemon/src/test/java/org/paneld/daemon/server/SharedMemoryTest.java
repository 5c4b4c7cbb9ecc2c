package org.paneld.daemon.server;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.paneld.client.Buffer;
import org.paneld.client.PaneldClient;
import org.paneld.client.PaneldException;
import org.paneld.client.Session;
import org.paneld.drivers.testkit.LifecycleKit;
import org.paneld.drivers.virtual.VirtualFbDriver;
import org.paneld.protocol.ErrorCode;
import org.paneld.protocol.Message;
import org.paneld.protocol.Message.Region;

/**
 * Shared-memory buffers: zero-copy drawing through the mapping, and a client that truncates the
 * buffer file: the daemon answers EINVAL (never crashes), other clients keep drawing.
 */
class SharedMemoryTest {
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

    /** The buffer files the daemon holds open (unlinked tmpfs files), found through /proc/self/fd (daemon is in-process). */
    static List<Path> bufferFds() throws Exception {
        List<Path> out = new ArrayList<>();
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            for (Path p : (Iterable<Path>) s::iterator) {
                try {
                    String target = Files.readSymbolicLink(p).toString();
                    if (target.contains("paneld-") && target.contains("/buf-") && target.endsWith("(deleted)")) {
                        out.add(p);
                    }
                } catch (Exception e) {
                    // fd closed meanwhile
                }
            }
        }
        return out;
    }

    @Test
    void drawingThroughTheMappingIsZeroCopy() throws Exception {
        PaneldClient c = d.unix();
        try (Session s = c.open("fb0"); Buffer b = s.createBuffer(Message.FOURCC_XRGB8888, true)) {
            assertTrue(b.isShared());
            assertEquals(64 * 4, b.stride());
            long before = d.server.stats().bytesIn();
            for (int y = 0; y < 48; y++) {
                for (int x = 0; x < 64; x++) {
                    b.pixels().putInt(y * b.stride() + x * 4, x << 16 | y << 8 | 0x80);
                }
            }
            b.flushAll();
            long sent = d.server.stats().bytesIn() - before;
            assertTrue(sent < 100, "a flush of a shared buffer sends no pixels (" + sent + " bytes)");
            var img = d.snapshot("fb0");
            assertEquals(63 << 16 | 47 << 8 | 0x80, img.get(63, 47));
            assertEquals(5 << 16 | 7 << 8 | 0x80, img.get(5, 7));
        }
        assertTrue(bufferFds().isEmpty(), "the daemon closed the buffer file");
    }

    @Test
    void theFdExchangeAsPROTOCOLmdDescribesItFromAPlainSocketClient() throws Exception {
        // a client without fd support (plain read(2)) still follows the exchange: it reads the one carrier byte
        try (RawClient c = RawClient.unix(d.socket)) {
            c.send(new Message.Hello(1, 1, Message.HELLO_WANT_FD, "raw"));
            Message.HelloReply h = (Message.HelloReply) c.read().message();
            assertEquals(Message.HELLO_FD_PASSING, h.flags() & Message.HELLO_FD_PASSING);
            c.send(new Message.Open(Message.OPEN_OWNER, "fb1"));
            int s = ((Message.Opened) c.read().message()).session();
            c.send(new Message.CreateBuffer(s, 32, 16, Message.FOURCC_XRGB8888, Message.BUFFER_SHARED));
            Message.BufferCreated bc = (Message.BufferCreated) c.read().message();
            assertEquals(Message.BUFFER_FD_FOLLOWS, bc.flags());
            assertEquals(32 * 16 * 4, bc.size());
            c.send(new Message.ListDevices()); // held back by the server until the exchange ends
            c.send(new Message.FdReady(bc.buffer()));
            // one byte carries the descriptor; its value is unspecified (Netty's native sendFd does not
            // initialise it), so a plain-socket client reads exactly one byte and ignores it
            assertEquals(1, c.readBytes(1).length, "one byte carries the descriptor");
            int id = c.send(new Message.FdReceived(bc.buffer()));
            var f = c.read();
            assertEquals(id, f.id());
            assertEquals(new Message.Ok(Message.FD_RECEIVED), f.message());
            assertTrue(c.read().message() instanceof Message.DeviceList, "the held reply comes after FD_RECEIVED's");
            // out of order: FD_RECEIVED again is EPROTO and closes the connection
            c.send(new Message.FdReceived(bc.buffer()));
            assertEquals(ErrorCode.EPROTO, ((Message.Error) c.read().message()).code());
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void truncatedBufferGivesAnErrorNotACrash() throws Exception {
        PaneldClient evil = d.unix();
        PaneldClient good = d.unix();
        Session es = evil.open("fb0");
        Buffer eb = es.createBuffer(Message.FOURCC_XRGB8888, true);
        Session gs = good.open("fb1");
        Buffer gb = gs.createBuffer(Message.FOURCC_XRGB8888, true);
        eb.fill(0x112233);
        eb.flushAll();

        List<Path> files = bufferFds();
        assertEquals(2, files.size(), files.toString());
        for (Path p : files) { // the same file the client mapped: shrink it as a hostile client would
            try (FileChannel fc = FileChannel.open(p, StandardOpenOption.WRITE)) {
                if (fc.size() == 64 * 48 * 4) {
                    fc.truncate(100);
                }
            }
        }
        PaneldException e = assertThrows(PaneldException.class, () -> eb.flush(new Region(0, 10, 64, 10)));
        assertEquals(ErrorCode.EINVAL, e.code());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        assertEquals(ErrorCode.EINVAL, assertThrows(PaneldException.class, eb::flip).code());
        // the daemon is fine: the other client draws, the evil one can still destroy and close
        gb.fill(0x445566);
        gb.flushAll();
        assertEquals(0x445566, d.snapshot("fb1").get(31, 15));
        eb.close();
        es.close();
        assertEquals(1, good.listDevices().stream().filter(x -> x.name().equals("fb0")).count());
    }
}
