package org.paneld.daemon.server;

import static org.junit.jupiter.api.Assertions.*;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.paneld.client.Buffer;
import org.paneld.client.ClientInternals;
import org.paneld.client.PaneldClient;
import org.paneld.client.PaneldException;
import org.paneld.client.Session;
import org.paneld.drivers.testkit.LifecycleKit;
import org.paneld.drivers.virtual.VirtualFbDriver;
import org.paneld.protocol.ErrorCode;
import org.paneld.protocol.Message;
import org.paneld.protocol.Message.Region;

/**
 * The Java client writes small requests to the Unix socket on the caller's thread (FrameWriter):
 * a FLUSH of a shared buffer takes no hop to Netty's I/O thread and allocates nothing frame-sized;
 * mixed with WRITEs and a FLUSH too big for the direct path (both go through Netty) from several
 * threads, every frame still arrives
 * whole and in order; after the server closes the connection a request fails cleanly.
 */
class DirectWriteTest {
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

    @Test
    void flushesOfASharedBufferAreWrittenByTheCallerWithoutFrameSizedAllocation() throws Exception {
        PaneldClient c = d.unix();
        try (Session s = c.open("fb0"); Buffer b = s.createBuffer(Message.FOURCC_XRGB8888, true)) {
            assertTrue(b.isShared());
            List<Region> all = List.of(new Region(0, 0, 64, 48));
            for (int i = 0; i < 50; i++) { // warm-up: the JIT, Netty's pools
                b.pixels().putInt(0, i);
                b.flushAsync(all).join();
            }
            ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
            long direct0 = ClientInternals.directWrites(c);
            long alloc0 = mx.getCurrentThreadAllocatedBytes();
            int n = 200;
            for (int i = 0; i < n; i++) {
                int rgb = i * 0x010203 & 0xFFFFFF;
                for (int y = 0; y < 48; y++) {
                    for (int x = 0; x < 64; x++) {
                        b.pixels().putInt(y * b.stride() + x * 4, rgb);
                    }
                }
                b.flushAsync(all).join();
                assertEquals(rgb, d.snapshot("fb0").get(63, 47) & 0xFFFFFF, "frame " + i);
            }
            long perFlush = (mx.getCurrentThreadAllocatedBytes() - alloc0) / n;
            assertEquals(n, ClientInternals.directWrites(c) - direct0, "every FLUSH written on the caller's thread");
            // the snapshot's RgbImage (64x48 ints, 12 KiB) is the test's own; the client's share is a few small objects
            assertTrue(perFlush < 64 * 48 * 4 + 4096, "allocated " + perFlush + " bytes per flush");
        }
    }

    @Test
    void directWritesAndNettyWritesFromManyThreadsKeepEveryFrameWhole() throws Exception {
        PaneldClient c = d.unix();
        try (Session s = c.open("fb0"); Buffer shared = s.createBuffer(Message.FOURCC_XRGB8888, true);
             Buffer inline = s.createBuffer(Message.FOURCC_XRGB8888, false)) {
            List<Region> manyRects = new ArrayList<>();
            for (int r = 0; r < 256; r++) { // the default limit of rectangles per FLUSH
                manyRects.add(new Region(r % 64, r / 64, 1, 1));
            }
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> jobs = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    int thread = t;
                    jobs.add(pool.submit(() -> {
                        List<CompletableFuture<?>> fs = new ArrayList<>();
                        byte[] px = new byte[64 * 48 * 4]; // one WRITE frame of 12 KiB: Netty's path
                        for (int i = 0; i < 60; i++) {
                            if (thread % 2 == 0 && i % 3 == 0) {
                                fs.add(inline.writeAsync(0, 0, 64, 48, px));
                            } else if (thread == 1 && i % 5 == 0) {
                                fs.add(shared.flushAsync(manyRects)); // 4,116 bytes: over FrameWriter.DIRECT_MAX
                            } else {
                                fs.add(shared.flushAsync(List.of(new Region(i % 64, thread, 1, 1))));
                            }
                            fs.add(s.infoAsync());
                        }
                        CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new)).join();
                        return null;
                    }));
                }
                for (Future<?> j : jobs) {
                    j.get();
                }
            } finally {
                pool.shutdownNow();
            }
            assertTrue(ClientInternals.directWrites(c) > 0);
            assertEquals(48, s.info().height(), "the connection is still in step after the mix");
        }
    }

    @Test
    void aRequestAfterTheServerClosedFailsCleanly() throws Exception {
        PaneldClient c = d.unix();
        Session s = c.open("fb0");
        Buffer b = s.createBuffer(Message.FOURCC_XRGB8888, true);
        b.flushAll();
        d.server.close();
        org.awaitility.Awaitility.await("the client sees the close").atMost(java.time.Duration.ofSeconds(10)).until(() -> !c.isOpen());
        PaneldException e = assertThrows(PaneldException.class, b::flushAll);
        assertEquals(ErrorCode.EIO, e.code());
    }
}
