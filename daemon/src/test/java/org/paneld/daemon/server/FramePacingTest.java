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
import org.paneld.drivers.core.BusDevice;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.core.DeviceConfig;
import org.paneld.drivers.core.VirtualHardware;
import org.paneld.drivers.spi.DbiWiring;
import org.paneld.drivers.spi.Sleeper;
import org.paneld.drivers.virtual.DbiModel;
import org.paneld.drivers.virtual.VirtualDbiPanel;
import org.paneld.drivers.virtual.VirtualDbiWiring;
import org.paneld.drivers.mipidbi.Mi0283qtDriver;
import org.paneld.drivers.pixel.RgbImage;
import org.paneld.drivers.testkit.LifecycleKit;
import org.paneld.drivers.testkit.PixelOracle;
import org.paneld.drivers.virtual.VirtualFbDriver;
import org.paneld.protocol.Message;
import org.paneld.protocol.Message.Info;

/**
 * Frame pacing under overload: an mi0283qt on its emulator behind a wire timed at 2 MHz, and a
 * client that moves a square in a shared buffer and flushes the whole buffer at least ten times
 * faster than the wire takes the frames (every request sent without waiting for the last): the
 * pending update absorbs the newer ones (latest wins, more than half merged), every FLUSH is
 * answered, in order, the panel ends on the last frame, no queue of frames builds up (the memory
 * budget's use by queued requests stays at a few bytes), and DEVICE_INFO reports frames shown,
 * merged and the wire's busy fraction.
 */
class FramePacingTest {
    @RegisterExtension
    final LifecycleKit kit = new LifecycleKit(new VirtualFbDriver(), new Mi0283qtDriver());
    TestDaemon d;

    /** The wire's clock: a moving 40x40 square costs about 25 ms of wire per frame. */
    static final long WIRE_HZ = 2_000_000;

    @BeforeEach
    void start() throws Exception {
        d = new TestDaemon(kit);
        VirtualDbiPanel panel = new VirtualDbiPanel(DbiModel.mi0283qt());
        BusDevice bd = new BusDevice("lcd0", "mi0283qt", DeviceConfig.of("frame pacing test", "name", "lcd0",
                "driver", "mi0283qt", "backend", "virtual"));
        bd.attach(VirtualHardware.class, panel);
        panel.setWireHz((int) WIRE_HZ); // pixel data takes bytes x 8 / WIRE_HZ of wall time, like a real bus
        bd.attach(DbiWiring.class, new VirtualDbiWiring(panel));
        bd.attach(Sleeper.class, us -> { });
        kit.add(bd);
        kit.bind("lcd0");
    }

    @AfterEach
    void stop() throws Exception {
        d.close();
    }

    @Test
    void aClientFlushingFasterThanTheWireConvergesOnItsLastFrame() throws Exception {
        PaneldClient c = d.unix();
        int frames = 200;
        try (Session s = c.open("lcd0", true); Buffer b = s.createBuffer(Message.FOURCC_XRGB8888, true)) {
            assertTrue(b.isShared());
            int w = s.width(), h = s.height();
            ByteBuffer px = b.pixels().order(ByteOrder.LITTLE_ENDIAN);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    px.putInt(y * b.stride() + x * 4, 0x000040);
                }
            }
            b.flushAll();
            // one frame of the workload at the panel's pace, to know what "faster than the wire" means here
            square(px, b.stride(), 0, 0, 40, 40, 0xFF0000);
            long t0 = System.nanoTime();
            b.flushAll();
            long perFrame = System.nanoTime() - t0;
            square(px, b.stride(), 0, 0, 40, 40, 0x000040);
            Device dev = kit.device("lcd0");
            long shownBefore = dev.frameStats().shown();
            List<CompletableFuture<Void>> replies = new ArrayList<>();
            List<Integer> order = java.util.Collections.synchronizedList(new ArrayList<>());
            long usedBefore = d.server.budget().used(); // the buffer's shadow
            long maxUsed = 0;
            long start = System.nanoTime();
            int psx = 0, psy = 0;
            for (int k = 0; k < frames; k++) {
                // a 40x40 square moves (the client draws only what changes, as a UI does, and flushes it all)
                int sx = (k * 7) % (w - 40), sy = (k * 3) % (h - 60) + 20;
                square(px, b.stride(), psx, psy, 40, 40, 0x000040);
                square(px, b.stride(), sx, sy, 40, 40, 0xFF0000);
                psx = sx;
                psy = sy;
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
            double overload = perFrame / sentPerFrame;
            assertTrue(overload >= 10, "the client sent only " + overload + " times faster than the panel takes frames");
            assertTrue(merged > frames / 2, "at " + overload + " times the panel's rate only " + merged + " of " + frames
                    + " were merged");
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

    private static void square(ByteBuffer px, int stride, int x0, int y0, int w, int h, int rgb) {
        for (int y = y0; y < y0 + h; y++) {
            for (int x = x0; x < x0 + w; x++) {
                px.putInt(y * stride + x * 4, rgb);
            }
        }
    }
}
