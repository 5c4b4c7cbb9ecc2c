package org.paneld.daemon.server;

import static org.junit.jupiter.api.Assertions.*;

import java.io.EOFException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.paneld.client.PaneldClient;
import org.paneld.client.PaneldException;
import org.paneld.client.Session;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.core.Driver;
import org.paneld.drivers.core.Fatal;
import org.paneld.drivers.display.Display;
import org.paneld.drivers.display.DisplayInfo;
import org.paneld.drivers.pixel.Framebuffer;
import org.paneld.drivers.pixel.PixelFormat;
import org.paneld.drivers.pixel.Rect;
import org.paneld.drivers.pixel.RgbImage;
import org.paneld.drivers.testkit.LifecycleKit;
import org.paneld.drivers.virtual.VirtualFbDriver;
import org.paneld.protocol.ErrorCode;
import org.paneld.protocol.Frame;
import org.paneld.protocol.Message;

/**
 * The daemon-wide memory budget over a real socket: a small budget (4 MiB, 16 connections,
 * 256 KiB pending share) so that every rule can be reached: buffers beyond it get ENOMEM naming
 * it, WRITE pixels are streamed into the buffer in pieces, a large non-WRITE frame that does not
 * fit is skipped with ENOMEM, a client that does not read is closed after an ERROR frame, and an
 * OutOfMemoryError on a device worker goes to {@link Fatal}.
 */
class MemoryBudgetTest {
    static final long BUDGET = 4L << 20;
    static final long SHARE = MemoryBudget.MIN_PENDING;

    @RegisterExtension
    final LifecycleKit kit = new LifecycleKit(new VirtualFbDriver(), new OomDriver());
    TestDaemon d;

    @BeforeEach
    void start() throws Exception {
        kit.addVirtual("big0", "virtual-fb", "width", 512, "height", 512); // 1 MiB XRGB buffers
        kit.bind("big0");
        d = new TestDaemon(kit, ServerOptions.defaults().withLimits(
                new Limits(16 << 20, 4, 8, 3L << 20, 2L << 20, 16, 16, BUDGET, SHARE)));
    }

    @AfterEach
    void stop() throws Exception {
        d.close();
    }

    @Test
    void limitsThatDoNotFitTheBudgetAreRefusedNamingTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Limits(16 << 20, 4, 8, 8L << 20, 2L << 20, 16, 16, BUDGET, SHARE));
        assertTrue(e.getMessage().startsWith("max_buffer_bytes_per_connection = 8388608 does not fit memory_budget_bytes = 4194304"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Limits(16 << 20, 4, 8, 1L << 20, 1L << 20, 16, 16, BUDGET, 3L << 20));
        assertTrue(e.getMessage().startsWith("max_pending_bytes_per_connection = 3145728 does not fit"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Limits(16 << 20, 4, 8, 1L << 20, 1L << 20, 16, 256, 4L << 20, SHARE));
        assertTrue(e.getMessage().startsWith("max_connections = 256 does not fit memory_budget_bytes = 4194304"), e.getMessage());
        long tooMuch = MemoryBudget.ceiling() + 1;
        e = assertThrows(IllegalArgumentException.class, () -> new Limits(16 << 20, 4, 8, 1L << 20, 1L << 20, 16, 16, tooMuch, SHARE));
        assertTrue(e.getMessage().startsWith("memory_budget_bytes = " + tooMuch + " is more than this JVM can hold"), e.getMessage());
    }

    @Test
    void buffersBeyondTheBudgetGetEnomemNamingIt() throws Exception {
        PaneldClient a = d.unix();
        Session sa = a.open("big0", false);
        for (int i = 0; i < 3; i++) {
            sa.createBuffer(Message.FOURCC_XRGB8888, false); // 3 MiB of the 3.75 MiB available
        }
        PaneldException e = assertThrows(PaneldException.class, () -> sa.createBuffer(Message.FOURCC_XRGB8888, false));
        assertEquals(ErrorCode.ENOMEM, e.code(), e.getMessage()); // the connection's own limit first
        PaneldClient b = d.unix();
        Session sb = b.open("big0", false);
        e = assertThrows(PaneldException.class, () -> sb.createBuffer(Message.FOURCC_XRGB8888, false));
        assertEquals(ErrorCode.ENOMEM, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains("does not fit the daemon's memory budget (memory_budget_bytes = 4194304"), e.getMessage());
        a.close(); // its buffers go back to the budget
        await(() -> d.server.budget().used() == 0);
        sb.createBuffer(Message.FOURCC_XRGB8888, false);
    }

    @Test
    void writePixelsAreStreamedIntoTheBufferPieceByPiece() throws Exception {
        try (RawClient c = RawClient.hello(d.socket)) {
            c.send(new Message.Open(Message.OPEN_OWNER, "big0"));
            int ses = ((Message.Opened) c.read().message()).session();
            c.send(new Message.CreateBuffer(ses, 512, 512, Message.FOURCC_XRGB8888, 0));
            int buf = ((Message.BufferCreated) c.read().message()).buffer();
            await(() -> d.server.budget().used() == 1L << 20); // the buffer; the reply has left
            // a rectangle that starts and ends inside rows, written in odd-sized slices of the frame
            int x = 3, y = 5, w = 501, h = 300;
            byte[] px = new byte[w * h * 4];
            for (int i = 0; i < w * h; i++) {
                int rgb = (int) ((i * 2654435761L) & 0xFFFFFF) | 1;
                px[i * 4] = (byte) rgb;
                px[i * 4 + 1] = (byte) (rgb >> 8);
                px[i * 4 + 2] = (byte) (rgb >> 16);
            }
            byte[] frame = RawClient.encode(new Message.Write(ses, buf, x, y, w, h, px));
            for (int at = 0; at < frame.length; at += 77_777) {
                c.sendBytes(java.util.Arrays.copyOfRange(frame, at, Math.min(frame.length, at + 77_777)));
            }
            Frame ok = c.read();
            assertInstanceOf(Message.Ok.class, ok.message(), ok.toString());
            c.send(new Message.Flush(ses, buf, List.of(new Message.Region(0, 0, 512, 512))));
            assertInstanceOf(Message.Ok.class, c.read().message());
            RgbImage img = d.snapshot("big0");
            for (int i = 0; i < w * h; i += 997) {
                int want = (px[i * 4] & 0xFF) | (px[i * 4 + 1] & 0xFF) << 8 | (px[i * 4 + 2] & 0xFF) << 16;
                assertEquals(want, img.rgb()[(y + i / w) * 512 + x + i % w] & 0xFFFFFF, "pixel " + i);
            }
            assertEquals(0, img.rgb()[(y - 1) * 512 + x] & 0xFFFFFF, "the row above the rectangle is untouched");
            assertEquals(0, img.rgb()[y * 512 + x + w] & 0xFFFFFF, "the column right of the rectangle is untouched");
            // a streamed WRITE to a buffer that does not exist: refused once, after its last piece; in sync after
            c.sendBytes(RawClient.encode(new Message.Write(ses, buf + 9, 0, 0, 512, 100, new byte[512 * 100 * 4])));
            Frame err = c.read();
            assertEquals(ErrorCode.EBADF, ((Message.Error) err.message()).code(), err.toString());
            int id = c.send(new Message.ListDevices());
            assertEquals(id, c.read().id());
            // a WRITE whose length field does not match its frame is malformed: EPROTO, closed
            byte[] bad = RawClient.encode(new Message.Write(ses, buf, 0, 0, 512, 10, new byte[512 * 10 * 4]));
            java.nio.ByteBuffer.wrap(bad).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(12 + 24, 5);
            c.sendBytes(bad);
            Frame f = c.read();
            assertEquals(ErrorCode.EPROTO, ((Message.Error) f.message()).code(), f.toString());
            assertTrue(c.closedByServer());
            await(() -> d.server.budget().used() == 0); // the pieces, the output and the buffer all went back
        }
    }

    @Test
    void aLargeFrameThatDoesNotFitIsSkippedWithEnomemAndTheConnectionStays() throws Exception {
        PaneldClient hog = d.unix();
        Session hs = hog.open("big0", false);
        for (int i = 0; i < 3; i++) {
            hs.createBuffer(Message.FOURCC_XRGB8888, false);
        }
        try (RawClient c = RawClient.hello(d.socket)) {
            byte[] payload = new byte[600_000]; // a DEVICE_INFO frame of 600 KB: held whole it would need 1.2 MB
            c.sendBytes(RawClient.frame(Message.DEVICE_INFO, 41, payload));
            Frame f = c.read();
            Message.Error e = (Message.Error) f.message();
            assertEquals(ErrorCode.ENOMEM, e.code(), f.toString());
            assertEquals(41, f.id());
            assertTrue(e.message().contains("do not fit the daemon's memory budget"), e.message());
            int id = c.send(new Message.ListDevices());
            assertEquals(id, c.read().id(), "the connection stays in sync");
            hog.close();
            await(() -> d.server.budget().used() < 64 << 10);
            c.sendBytes(RawClient.frame(Message.DEVICE_INFO, 42, payload)); // now it is read whole: malformed
            Frame g = c.read();
            assertEquals(ErrorCode.EPROTO, ((Message.Error) g.message()).code(), g.toString());
        }
    }

    @Test
    void aLargeFrameCutOffByItsClientGivesItsReservationBack() throws Exception {
        try (RawClient c = RawClient.hello(d.socket)) {
            byte[] frame = RawClient.frame(Message.DEVICE_INFO, 43, new byte[300_000]);
            c.sendBytes(java.util.Arrays.copyOf(frame, 100_000)); // a third of it, then hang up
            await(() -> d.server.budget().used() >= 600_000); // held whole: twice its length reserved
        }
        await(() -> d.server.budget().used() == 0);
    }

    @Test
    void aClientThatDoesNotReadIsClosedAfterAnErrorFrameAndOthersAreServed() throws Exception {
        PaneldClient good = d.unix();
        try (RawClient deaf = RawClient.hello(d.socket)) {
            byte[] req = RawClient.encode(new Message.DeviceInfo(0, "big0"));
            long sent = 0;
            Frame last = null;
            int frames = 0;
            boolean closed = false;
            // send without reading until the server stops taking requests, then read what came: replies, the ERROR,
            // EOF; on a loaded machine a stall may be only slowness (no ERROR yet): then flood again
            for (int round = 0; round < 20 && !closed; round++) {
                if (round > 0) {
                    deaf.finishPartial(); // the frame the last round left half-sent
                }
                sent += deaf.sendUntilBlocked(req, 64L << 20, 500);
                assertTrue(sent < 32L << 20, "the server kept reading " + sent + " bytes of requests it could not answer");
                if (round == 0) {
                    good.info("fb0"); // served meanwhile
                }
                try {
                    while (true) {
                        last = deaf.read();
                        frames++;
                    }
                } catch (EOFException | java.net.SocketException eof) {
                    closed = true; // closed after the error frame (reset: the server had unread requests of ours)
                } catch (java.net.SocketTimeoutException slow) {
                    // not closed yet
                }
            }
            assertTrue(closed, "never closed; " + frames + " frames read, last " + last);
            assertNotNull(last);
            assertInstanceOf(Message.Error.class, last.message(), "last of " + frames + " frames: " + last);
            Message.Error e = (Message.Error) last.message();
            assertEquals(ErrorCode.ENOMEM, e.code());
            assertEquals(0, last.id());
            assertTrue(e.message().contains("max_pending_bytes_per_connection"), e.message());
        }
        good.info("fb0");
        await(() -> d.server.budget().used() == 0);
    }

    @Test
    void anOutOfMemoryErrorOnADeviceWorkerEndsTheProcess() throws Exception {
        kit.addVirtual("oom0", "oom-fb");
        kit.bind("oom0");
        CompletableFuture<Integer> halted = new CompletableFuture<>();
        Fatal.Halter old = Fatal.halter(code -> {
            halted.complete(code);
            throw new ThreadDeath(); // ends the worker as the halt would have ended everything
        });
        try {
            PaneldClient c = d.unix();
            Session s = c.open("oom0", true);
            var b = s.createBuffer(Message.FOURCC_XRGB8888, false);
            b.flushAsync(List.of(new Message.Region(0, 0, 1, 1)));
            assertEquals(Fatal.EXIT_CODE, halted.get(10, TimeUnit.SECONDS));
        } finally {
            Fatal.halter(old);
        }
    }

    private static void await(java.util.function.BooleanSupplier cond) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail("condition not met within 10 s");
            }
            Thread.sleep(10);
        }
    }

    /** A 4x4 panel whose flush throws OutOfMemoryError (what a real allocation failure would throw). */
    static final class OomDriver implements Driver {
        @Override
        public String name() {
            return "oom-fb";
        }

        @Override
        public Display probe(Device device) {
            device.hardware().add("nothing", () -> { });
            return new Display() {
                @Override
                public DisplayInfo info() {
                    return new DisplayInfo("oom-fb", 4, 4, 0, 0, List.of(PixelFormat.XRGB8888), "RGB888", 0, List.of(), true, "fast");
                }

                @Override
                public void enable() {
                }

                @Override
                public void disable() {
                }

                @Override
                public void flush(Framebuffer source, Rect damage) {
                    throw new OutOfMemoryError("Java heap space (test driver)");
                }

                @Override
                public void setProperty(String name, long value) {
                }
            };
        }
    }
}
