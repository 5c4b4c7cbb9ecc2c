package org.paneld.daemon.server;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.paneld.client.Buffer;
import org.paneld.client.PaneldClient;
import org.paneld.client.Session;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.mipidbi.Mi0283qtDriver;
import org.paneld.drivers.pixel.RgbImage;
import org.paneld.drivers.testkit.LifecycleKit;
import org.paneld.drivers.testkit.PixelOracle;
import org.paneld.drivers.virtual.VirtualFbDriver;
import org.paneld.protocol.Message;
import org.paneld.protocol.Message.Info;

/**
 * Frame pacing under overload: a client that draws into a shared buffer and flushes the whole of
 * it far faster than the panel takes frames (every request sent without waiting for the last):
 * the pending update absorbs the newer ones (latest wins), every FLUSH is answered, in order, the
 * panel ends on the last frame, the queue stays at one pending update (the memory budget's use
 * stays flat), and DEVICE_INFO and the admin status report frames shown and merged.
 */
class FramePacingTest {
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
    void aClientFlushingFasterThanTheWireConvergesOnItsLastFrame() throws Exception {
        PaneldClient c = d.unix();
        int frames = 400;
        try (Session s = c.open("lcd0", true); Buffer b = s.createBuffer(Message.FOURCC_XRGB8888, true)) {
            assertTrue(b.isShared());
            int w = s.width(), h = s.height();
            ByteBuffer px = b.pixels().order(ByteOrder.LITTLE_ENDIAN);
            // one frame at the panel's pace, to know what "faster than the wire" means here
            long t0 = System.nanoTime();
            b.flushAll();
            long perFrame = System.nanoTime() - t0;
            Device dev = kit.device("lcd0");
            long shownBefore = dev.frameStats().shown();
            List<CompletableFuture<Void>> replies = new ArrayList<>();
            List<Integer> order = java.util.Collections.synchronizedList(new ArrayList<>());
            long usedBefore = d.server.budget().used(); // the buffer's shadow
            long maxUsed = 0;
            long start = System.nanoTime();
            for (int k = 0; k < frames; k++) {
                // a 40x40 square moves and a bar at the top counts the frame
                int sx = (k * 7) % (w - 40), sy = (k * 3) % (h - 60) + 20;
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        int v = x >= sx && x < sx + 40 && y >= sy && y < sy + 40 ? 0xFF0000 : y < 10 && x < k % w ? 0x00FF00 : 0x000040;
                        px.putInt((y * b.stride()) + x * 4, v);
                    }
                }
                int n = k;
                replies.add(b.flushAsync(List.of(new Message.Region(0, 0, w, h))).thenRun(() -> order.add(n)));
                maxUsed = Math.max(maxUsed, d.server.budget().used());
            }
            double sentPerFrame = (System.nanoTime() - start) / (double) frames;
            CompletableFuture.allOf(replies.toArray(new CompletableFuture[0])).get(60, java.util.concurrent.TimeUnit.SECONDS);
            List<Integer> want = new ArrayList<>();
            for (int k = 0; k < frames; k++) {
                want.add(k);
            }
            assertEquals(want, order, "every FLUSH answered, in order");
            long shown = dev.frameStats().shown() - shownBefore;
            long merged = dev.frameStats().merged();
            assertEquals(frames, shown + merged, "each FLUSH is shown or merged into a later update");
            assertTrue(perFrame / sentPerFrame < 10 || merged > frames / 2,
                    "at " + perFrame / sentPerFrame + " times the panel's rate, " + merged + " of " + frames + " were merged");
            assertTrue(merged > 0, "nothing merged although the client sent " + perFrame / sentPerFrame + " times faster");
            // one FLUSH queued costs 80 bytes: one pending update and one on the panel, never a queue of frames
            assertTrue(maxUsed - usedBefore <= 4 * 80, "the queue grew: " + (maxUsed - usedBefore) + " bytes of the budget in use"
                    + " by queued requests");
            // the panel shows the last frame
            RgbImage shownImg = d.snapshot("lcd0");
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int want1 = PixelOracle.shown565FromXrgb(px.getInt(y * b.stride() + x * 4) & 0xFFFFFF);
                    assertEquals(want1, shownImg.get(x, y), "pixel " + x + "," + y + " of the last frame");
                }
            }
            Info info = s.info();
            assertEquals(merged, info.properties().stream().filter(p -> p.name().equals("stat_frames_merged"))
                    .findFirst().orElseThrow().value());
            assertTrue(info.properties().stream().anyMatch(p -> p.name().equals("stat_frames_shown") && p.value() >= shown));
            assertTrue(info.properties().stream().anyMatch(p -> p.name().equals("stat_wire_busy_permille")
                    && p.value() >= 0 && p.value() <= 1000));
        }
    }
}
