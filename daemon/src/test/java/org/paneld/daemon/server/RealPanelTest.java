package org.paneld.daemon.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.paneld.client.Buffer;
import org.paneld.client.PaneldClient;
import org.paneld.client.PaneldException;
import org.paneld.client.Session;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.core.UnplugGuard;
import org.paneld.drivers.mipidbi.Mi0283qtDriver;
import org.paneld.drivers.pixel.RgbImage;
import org.paneld.drivers.testkit.LifecycleKit;
import org.paneld.drivers.testkit.PixelOracle;
import org.paneld.drivers.virtual.VirtualDbiPanel;
import org.paneld.drivers.virtual.VirtualFbDriver;
import org.paneld.protocol.ErrorCode;
import org.paneld.protocol.Message;
import org.paneld.protocol.Message.Region;

/**
 * The protocol against a real panel driver (mi0283qt on its virtual MIPI DBI panel, the
 * controller emulator decoding the command stream): what a client draws is what the panel shows,
 * and an unplug in the middle of a stream of flushes ends cleanly.
 */
class RealPanelTest {
    @RegisterExtension
    final LifecycleKit kit = new LifecycleKit(new VirtualFbDriver(), new Mi0283qtDriver());
    TestDaemon d;

    @BeforeEach
    void start() throws Exception {
        d = new TestDaemon(kit);
        kit.addVirtual("lcd0", "mi0283qt");
        kit.bind("lcd0");
    }

    @AfterEach
    void stop() throws Exception {
        d.close();
    }

    @Test
    void whatTheClientDrawsIsWhatThePanelShows() throws Exception {
        PaneldClient c = d.unix();
        try (Session s = c.open("lcd0"); Buffer b = s.createBuffer(Message.FOURCC_XRGB8888, true)) {
            assertEquals(320, s.width());
            int[] px = new int[s.width() * s.height()];
            for (int y = 0; y < s.height(); y++) {
                for (int x = 0; x < s.width(); x++) {
                    px[y * s.width() + x] = (x * 255 / 319) << 16 | (y * 255 / 239) << 8 | ((x + y) & 0xFF);
                }
            }
            b.writeRgb(px);
            b.flushAll();
            RgbImage shown = d.snapshot("lcd0");
            RgbImage want = new RgbImage(s.width(), s.height(), px.clone());
            for (int i = 0; i < want.rgb().length; i++) {
                want.rgb()[i] = PixelOracle.shown565FromXrgb(want.rgb()[i]); // the kernel's truncation, the glass's widening
            }
            assertNull(want.firstDifference(shown));
            // and a damage rectangle changes only its pixels
            java.util.Arrays.fill(px, 0x00FF00);
            b.writeRgb(px);
            b.flush(new Region(300, 200, 20, 40));
            shown = d.snapshot("lcd0");
            assertEquals(0x00FF00, shown.get(310, 220));
            assertEquals(want.get(10, 10), shown.get(10, 10));
        }
    }

    /**
     * Surprise removal while a flush is inside the device's unplug guard: the yank waits for it
     * (the test holds the emulated panel's lock, so the flush's next bus write — inside the guard —
     * cannot finish; the yanking thread must be parked in {@code UnplugGuard.unplug}, not returned
     * and not releasing the hardware); once it returns, not one more byte reaches the panel, the
     * flushes in flight and after end in ENODEV, and the device object lives until its session closes.
     */
    @Test
    void unplugDuringAStreamOfFlushes() throws Exception {
        PaneldClient c = d.tcp();
        Session s = c.open("lcd0");
        Buffer b = s.createBuffer(Message.FOURCC_RGB565, false);
        b.fill(0x123456);
        Device dev = kit.device("lcd0");
        VirtualDbiPanel panel = kit.hardware("lcd0", VirtualDbiPanel.class);
        UnplugGuard guard = dev.guard();
        AtomicInteger ok = new AtomicInteger(), gone = new AtomicInteger();
        long deadline = System.nanoTime() + 120_000_000_000L;
        CompletableFuture<Void> stream = CompletableFuture.runAsync(() -> {
            // flush until 50 flushes in a row after the unplug have failed
            for (int i = 0; gone.get() < 50 && System.nanoTime() < deadline; i++) {
                try {
                    b.flush(new Region(i % 300, i % 200, 20, 20));
                    assertEquals(0, gone.get(), "a flush succeeded after one had failed with ENODEV");
                    ok.incrementAndGet();
                } catch (PaneldException e) {
                    assertEquals(ErrorCode.ENODEV, e.code(), e.getMessage());
                    gone.incrementAndGet();
                }
            }
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> ok.get() > 20);
        FutureTask<Void> yank = new FutureTask<>(() -> kit.bus().binding("lcd0").orElseThrow().yank(), null);
        Thread yanker = new Thread(yank, "yanker");
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        synchronized (panel) { // the emulator's methods are synchronized: the flush's next write waits here, inside the guard
            await().atMost(Duration.ofSeconds(30)).until(() -> Arrays.stream(mx.getThreadInfo(mx.getAllThreadIds())).anyMatch(t ->
                    t != null && t.getThreadState() == Thread.State.BLOCKED && t.getLockInfo() != null
                            && t.getLockInfo().getIdentityHashCode() == System.identityHashCode(panel)));
            assertTrue(guard.activeSections() > 0, "the blocked write is inside the guard");
            yanker.start();
            await().atMost(Duration.ofSeconds(30)).until(guard::isUnplugged);
            // unplug has begun: the yanking thread must now wait, parked in unplug, for the write we hold
            await().atMost(Duration.ofSeconds(30)).until(() -> yank.isDone() || yanker.getState() == Thread.State.WAITING
                    || yanker.getState() == Thread.State.TIMED_WAITING || yanker.getState() == Thread.State.BLOCKED);
            assertFalse(yank.isDone(), "yank returned while a flush was still inside the unplug guard");
            assertFalse(dev.hardware().isReleased(), "the hardware was released under a flush in flight");
            StackTraceElement[] stack = yanker.getStackTrace();
            assertTrue(Arrays.stream(stack).anyMatch(f -> f.getClassName().equals(UnplugGuard.class.getName())
                    && f.getMethodName().equals("unplug")), "the yank waits in UnplugGuard.unplug, not elsewhere: "
                    + Arrays.toString(stack));
        }
        yank.get(30, TimeUnit.SECONDS); // rethrows what went wrong in the yanking thread
        long bytesAtUnplug = panel.bytesReceived();
        stream.get(120, TimeUnit.SECONDS); // rethrows the stream's assertion failures
        assertEquals(50, gone.get(), "flushes after the unplug fail with ENODEV");
        assertEquals(bytesAtUnplug, panel.bytesReceived(), "bytes reached the panel after unplug returned");
        assertEquals(List.of(), panel.violations().stream().filter(v -> v.contains("after")).toList(),
                "the driver touched the emulator after release");
        await().atMost(Duration.ofSeconds(10)).until(s::isUnplugged);
        assertFalse(dev.isReleased());
        s.close();
        await().atMost(Duration.ofSeconds(10)).until(dev::isReleased);
        assertEquals(1, dev.releaseCount());
        kit.assertNoFailures();
        // the panel can come back and be used again through the same connection
        kit.bus().bind("lcd0");
        try (Session s2 = c.open("lcd0"); Buffer b2 = s2.createBuffer(Message.FOURCC_RGB565, false)) {
            b2.fill(0xFF0000);
            b2.flushAll();
            assertEquals(0xFF0000, d.snapshot("lcd0").get(5, 5));
        }
    }
}
