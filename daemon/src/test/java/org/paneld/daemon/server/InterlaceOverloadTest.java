package org.paneld.daemon.server;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
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
import org.paneld.drivers.mipidbi.Mi0283qtDriver;
import org.paneld.drivers.mipidbi.MipiDbiDisplay;
import org.paneld.drivers.pixel.RgbImage;
import org.paneld.drivers.spi.DbiWiring;
import org.paneld.drivers.spi.Sleeper;
import org.paneld.drivers.testkit.LifecycleKit;
import org.paneld.drivers.testkit.PixelOracle;
import org.paneld.drivers.virtual.DbiModel;
import org.paneld.drivers.virtual.VirtualDbiPanel;
import org.paneld.drivers.virtual.VirtualDbiWiring;
import org.paneld.drivers.virtual.VirtualFbDriver;
import org.paneld.protocol.Message;

/**
 * {@code interlace = "auto"} under a ten-fold overload of full-change frames (every pixel changes
 * every frame) on an mi0283qt behind a wire timed at 40 MHz (a full frame takes about 31 ms):
 * after a second of overload the device interlaces, every FLUSH is answered, in order, and only
 * when no row of the panel shows an older frame than its own (each row carries its frame's mark),
 * and once the load stops the panel shows exactly the client's last frame.
 */
class InterlaceOverloadTest {
    @RegisterExtension
    final LifecycleKit kit = new LifecycleKit(new VirtualFbDriver(), new Mi0283qtDriver());
    TestDaemon d;

    static final long WIRE_HZ = 40_000_000;

    @BeforeEach
    void start() throws Exception {
        d = new TestDaemon(kit);
        VirtualDbiPanel panel = new VirtualDbiPanel(DbiModel.mi0283qt());
        BusDevice bd = new BusDevice("lcd0", "mi0283qt", DeviceConfig.of("interlace test", "name", "lcd0",
                "driver", "mi0283qt", "backend", "virtual", "interlace", "auto"));
        bd.attach(VirtualHardware.class, panel);
        panel.setWireHz((int) WIRE_HZ);
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
    void fullChangeFramesAtTenTimesTheWireRateInterlaceAndConvergeOnTheLastFrame() throws Exception {
        PaneldClient c = d.unix();
        try (Session s = c.open("lcd0", true); Buffer b = s.createBuffer(Message.FOURCC_XRGB8888, true)) {
            int w = s.width(), h = s.height();
            ByteBuffer px = b.pixels().order(ByteOrder.LITTLE_ENDIAN);
            paint(px, b.stride(), w, h, 0);
            long t0 = System.nanoTime();
            b.flushAll();
            long perFrame = System.nanoTime() - t0;
            Device dev = kit.device("lcd0");
            MipiDbiDisplay display = (MipiDbiDisplay) dev.display();
            List<CompletableFuture<Void>> replies = new ArrayList<>();
            List<Integer> order = java.util.Collections.synchronizedList(new ArrayList<>());
            java.util.Map<Integer, Integer> frameOf = new java.util.HashMap<>();
            for (int j = 0; j < 2048; j++) {
                frameOf.put(PixelOracle.shown565FromXrgb(mark(j)), j);
            }
            java.util.concurrent.atomic.AtomicReference<String> early = new java.util.concurrent.atomic.AtomicReference<>();
            long wireNanos = (long) w * h * 2 * 8 * 1_000_000_000L / WIRE_HZ; // a full RGB565 frame on the wire
            long interval = Math.min(perFrame, wireNanos) / 10; // the client's frame rate: ten times what the wire takes
            long start = System.nanoTime();
            int k = 0;
            // at least 3 s; longer (up to 2000 frames, the marks' range) while a loaded machine has
            // not yet measured a full second of sustained overload
            for (long next = start; k < 2000 && (System.nanoTime() - start < 3_000_000_000L || display.interlacedUpdates() == 0);
                    next += interval, k++) {
                paint(px, b.stride(), w, h, k + 1);
                int n = k;
                replies.add(b.flushAsync(List.of(new Message.Region(0, 0, w, h))).thenRun(() -> {
                    order.add(n);
                    // "on the panel or superseded": when FLUSH n is answered, no row shows a frame older than n's
                    RgbImage now = d.snapshot("lcd0");
                    for (int y = 0; y < h; y++) {
                        int shownFrame = frameOf.getOrDefault(now.get(0, y), -1);
                        if (shownFrame < n + 1 && early.get() == null) {
                            early.set("FLUSH " + n + " answered while row " + y + " showed frame " + shownFrame);
                        }
                    }
                }));
                LockSupport.parkNanos(next + interval - System.nanoTime()); // the client's frame rate, not a synchronisation
            }
            int frames = k;
            CompletableFuture.allOf(replies.toArray(new CompletableFuture[0])).get(60, java.util.concurrent.TimeUnit.SECONDS);
            List<Integer> want = new ArrayList<>();
            for (int i = 0; i < frames; i++) {
                want.add(i);
            }
            assertEquals(want, order, "every FLUSH answered, in order");
            assertTrue(frames < 2048, frames + " frames: the frame marks repeat");
            assertNull(early.get());
            assertTrue(dev.frameStats().merged() > frames / 2, dev.frameStats().merged() + " of " + frames + " merged");
            assertTrue(display.interlacedUpdates() > 0, "no update was interlaced in " + frames + " frames at ten times the wire's rate ("
                    + dev.frameStats().shown() + " shown)");
            assertFalse(display.hasPendingRows(), "rows still pending after the last reply");
            long interlaced = display.interlacedUpdates();
            assertEquals(interlaced, s.info().properties().stream().filter(p -> p.name().equals("stat_frames_interlaced"))
                    .findFirst().orElseThrow().value(), "DEVICE_INFO's stat_frames_interlaced");
            // the panel shows the last frame, exactly
            RgbImage shown = d.snapshot("lcd0");
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int want1 = PixelOracle.shown565FromXrgb(px.getInt(y * b.stride() + x * 4) & 0xFFFFFF);
                    assertEquals(want1, shown.get(x, y), "pixel " + x + "," + y + " of the last frame");
                }
            }
        }
    }

    /**
     * Frame {@code k}: every pixel differs from frame {@code k - 1}; column 0 of every row holds
     * {@link #mark}{@code (k)}, so the panel tells which frame each row shows.
     */
    static void paint(ByteBuffer px, int stride, int w, int h, int k) {
        for (int y = 0; y < h; y++) {
            px.putInt(y * stride, mark(k));
            for (int x = 1; x < w; x++) {
                px.putInt(y * stride + x * 4, ((x + k * 8) & 0xF8) << 16 | ((y + k * 4) & 0xFC) << 8 | (k & 1) * 0xF8 | 0x40);
            }
        }
    }

    /** Frame {@code k}'s mark (modulo 2048), exact in RGB565: 5 bits in red, 6 in green. */
    static int mark(int k) {
        return (k & 31) << 3 << 16 | (k >> 5 & 63) << 2 << 8;
    }
}
