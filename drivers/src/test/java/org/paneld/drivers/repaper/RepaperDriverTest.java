package org.paneld.drivers.repaper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.paneld.drivers.core.Binding;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.display.DisplayInfo;
import org.paneld.drivers.pixel.Framebuffer;
import org.paneld.drivers.pixel.PixelFormat;
import org.paneld.drivers.testkit.LifecycleKit;
import org.paneld.drivers.testkit.PixelOracle;
import org.paneld.drivers.testkit.Waits;
import org.paneld.drivers.virtual.VirtualRepaper;

/** The repaper driver against the virtual panel, through the lifecycle kit. */
class RepaperDriverTest {
    @RegisterExtension
    final LifecycleKit kit = new LifecycleKit(new RepaperDriver());

    private static RepaperDisplay display(Device d) {
        return (RepaperDisplay) d.display();
    }

    private static void assertClean(VirtualRepaper v) {
        assertEquals(List.of(), v.violations(), "panel violations");
        assertFalse(v.isPowered(), "panel left powered");
    }

    @ParameterizedTest(name = "{0} rotation {1} {2} {3}")
    @CsvSource({
        "e1144cs021, 0, threshold, XRGB8888",
        "e1144cs021, 90, floyd-steinberg, XRGB8888",
        "e1144cs021, 180, ordered, RGB565",
        "e1144cs021, 270, floyd-steinberg, RGB565",
        "e1190cs021, 0, floyd-steinberg, XRGB8888",
        "e1190cs021, 90, ordered, XRGB8888",
        "e2200cs021, 180, threshold, XRGB8888",
        "e2271cs021, 270, floyd-steinberg, XRGB8888",
        "e2271cs021, 0, ordered, XRGB8888",
        "e2200cs021, 90, floyd-steinberg, R8",
    })
    void drawsTheDitheredImageExactly(String panel, int rotation, String dither, String format) throws Exception {
        kit.addVirtual("epd", "repaper", "panel", panel, "rotation", rotation, "dither", dither);
        Binding b = kit.bind("epd");
        DisplayInfo info = b.device().info();
        assertEquals("MONO", info.panelFormat());
        assertEquals("slow", info.updateClass());
        Framebuffer fb = TestImages.picture(info.width(), info.height(), PixelFormat.parse(format), 1);
        b.device().flush(fb, fb.bounds());
        display(b.device()).awaitIdle();
        VirtualRepaper v = kit.hardware("epd", VirtualRepaper.class);
        assertNull(TestImages.mono(fb, dither).firstDifference(v.snapshot()));
        assertEquals(1, v.fullUpdates());
        assertClean(v);
        if (RepaperPanel.byName(panel).hasBorderGpio() || RepaperPanel.byName(panel).borderByte() == RepaperPanel.BorderByte.SET) {
            assertTrue(v.borderWhite(), "border driven white");
        }
        b.unbind();
        assertClean(v);
        assertFalse(v.isConnected());
    }

    @Test
    void laterUpdatesUseFourStagesOrAPartialUpdateWithoutGhosting() throws Exception {
        kit.addVirtual("full", "repaper", "panel", "e1144cs021", "partial", false, "dither", "threshold");
        kit.addVirtual("part", "repaper", "panel", "e1144cs021", "dither", "threshold");
        for (String name : List.of("full", "part")) {
            Device d = kit.bind(name).device();
            VirtualRepaper v = kit.hardware(name, VirtualRepaper.class);
            Framebuffer a = TestImages.picture(128, 96, PixelFormat.XRGB8888, 1);
            Framebuffer c = TestImages.picture(128, 96, PixelFormat.XRGB8888, 1);
            for (int x = 20; x < 60; x++) {
                PixelOracle.put(c, x, 50, 0x000000);
                PixelOracle.put(c, x, 51, 0xFFFFFF);
            }
            d.flush(a, a.bounds());
            display(d).awaitIdle();
            d.flush(c, c.bounds());
            display(d).awaitIdle();
            assertNull(TestImages.mono(c, "threshold").firstDifference(v.snapshot()), name);
            assertClean(v);
            if (name.equals("full")) {
                assertEquals(2, v.fullUpdates());
                assertEquals(0, v.partialUpdates());
            } else {
                assertEquals(1, v.fullUpdates());
                assertEquals(1, v.partialUpdates());
            }
        }
    }

    @Test
    void flushesDuringARefreshCoalesceAndTheLatestWins() throws Exception {
        kit.addVirtual("epd", "repaper", "panel", "e1144cs021", "dither", "threshold");
        Device d = kit.bind("epd").device();
        VirtualRepaper v = kit.hardware("epd", VirtualRepaper.class);
        CountDownLatch blocked = new CountDownLatch(1), go = new CountDownLatch(1);
        AtomicBoolean once = new AtomicBoolean();
        v.setLineHook(n -> {
            if (once.compareAndSet(false, true)) {
                blocked.countDown();
                await(go);
            }
        });
        Framebuffer first = TestImages.picture(128, 96, PixelFormat.XRGB8888, 0);
        d.flush(first, first.bounds());
        assertTrue(blocked.await(10, TimeUnit.SECONDS));
        Framebuffer last = null;
        for (int i = 1; i <= 5; i++) {
            last = TestImages.picture(128, 96, PixelFormat.XRGB8888, i);
            d.flush(last, last.bounds()); // returns at once: the refresh is still blocked
        }
        go.countDown();
        display(d).awaitIdle();
        long[] c = display(d).counters();
        assertEquals(2, c[0], "refreshes: the running one and one for the latest content");
        assertEquals(4, c[1], "coalesced flushes");
        assertNull(TestImages.mono(last, "threshold").firstDifference(v.snapshot()));
        assertClean(v);
    }

    @Test
    void unplugMidRefreshAbortsAtAStageBoundaryPowersOffAndRebinds() throws Exception {
        kit.addVirtual("epd", "repaper", "panel", "e1144cs021", "dither", "threshold");
        Binding b = kit.bind("epd");
        VirtualRepaper v = kit.hardware("epd", VirtualRepaper.class);
        CountDownLatch blocked = new CountDownLatch(1), go = new CountDownLatch(1);
        AtomicBoolean once = new AtomicBoolean();
        v.setLineHook(n -> {
            if (n == 150 && once.compareAndSet(false, true)) { // inside the first stage
                blocked.countDown();
                await(go);
            }
        });
        Framebuffer fb = TestImages.picture(128, 96, PixelFormat.XRGB8888, 3);
        b.device().flush(fb, fb.bounds());
        assertTrue(blocked.await(10, TimeUnit.SECONDS));
        CountDownLatch unplugReturned = new CountDownLatch(1);
        b.device().addUnplugListener(d -> unplugReturned.countDown());
        Waits.Task<Void> yank = Waits.task("test-yank", b::yank).start();
        try {
            Waits.assertUnplugWaits(yank.thread(), b.device().guard(), unplugReturned, () -> !v.isPowered(),
                    "surprise removal mid-refresh");
            assertTrue(v.isPowered(), "the refresh in flight still owns the powered panel");
        } finally {
            go.countDown();
        }
        yank.get();
        assertTrue(b.isUnbound());
        assertClean(v);
        assertEquals(1, v.incompleteUpdates());
        assertEquals(1, display(b.device()).counters()[2], "one aborted refresh");
        v.setLineHook(null);
        // rebind: the image is unknown again, so the first update clears
        Binding b2 = kit.bind("epd");
        b2.device().flush(fb, fb.bounds());
        display(b2.device()).awaitIdle();
        assertNull(TestImages.mono(fb, "threshold").firstDifference(v.snapshot()));
        assertEquals(1, v.fullUpdates());
        assertClean(v);
    }

    @Test
    void orderlyUnbindMidRefreshFinishesTheUpdateAndDrawsThePendingContent() throws Exception {
        kit.addVirtual("epd", "repaper", "panel", "e2200cs021", "dither", "ordered");
        Binding b = kit.bind("epd");
        VirtualRepaper v = kit.hardware("epd", VirtualRepaper.class);
        CountDownLatch blocked = new CountDownLatch(1), go = new CountDownLatch(1);
        AtomicBoolean once = new AtomicBoolean();
        v.setLineHook(n -> {
            if (n == 100 && once.compareAndSet(false, true)) {
                blocked.countDown();
                await(go);
            }
        });
        Framebuffer fb = TestImages.picture(200, 96, PixelFormat.XRGB8888, 4);
        b.device().flush(fb, fb.bounds());
        assertTrue(blocked.await(10, TimeUnit.SECONDS));
        Framebuffer last = TestImages.picture(200, 96, PixelFormat.XRGB8888, 9);
        b.device().flush(last, last.bounds()); // pending while the first refresh runs
        Waits.Task<Void> unbind = Waits.task("test-unbind", b::unbind).start();
        try {
            Waits.assertBlockedIn(unbind.thread(), RepaperDisplay.class, "disable", b::isUnbound,
                    "orderly unbind waits in disable for the running and the pending update");
            assertTrue(v.isPowered(), "the running update goes on");
        } finally {
            go.countDown();
        }
        unbind.get();
        assertTrue(b.isUnbound());
        assertClean(v);
        assertEquals(2, v.fullUpdates() + v.partialUpdates(), "the running update ran to its end, then the pending one");
        assertNull(TestImages.mono(last, "ordered").firstDifference(v.snapshot()), "the film keeps the last flushed content");
    }

    @Test
    void powerPropertyHoldsContentUntilOn() throws Exception {
        kit.addVirtual("epd", "repaper", "panel", "e1190cs021", "dither", "threshold");
        Device d = kit.bind("epd").device();
        VirtualRepaper v = kit.hardware("epd", VirtualRepaper.class);
        d.setProperty("power", 0);
        assertEquals(0, d.info().property("power").orElseThrow().value());
        Framebuffer fb = TestImages.picture(144, 128, PixelFormat.XRGB8888, 2);
        // the worker is proven to have woken up for the flush and gone back to its idle wait without drawing
        Thread worker = Waits.thread("repaper-" + d.id());
        org.awaitility.Awaitility.await().atMost(Waits.LONG).until(() -> Waits.isWaitingDirectlyIn(worker, RepaperDisplay.class, "workerLoop"));
        long waits = Waits.waitedCount(worker);
        d.flush(fb, fb.bounds());
        org.awaitility.Awaitility.await("the refresh worker re-checks and waits again").atMost(Waits.LONG).pollInterval(java.time.Duration.ofMillis(2))
                .until(() -> Waits.waitedCount(worker) > waits && Waits.isWaitingDirectlyIn(worker, RepaperDisplay.class, "workerLoop"));
        assertEquals(0, v.linesLatched(), "nothing drawn while off");
        d.setProperty("power", 1);
        display(d).awaitIdle();
        assertNull(TestImages.mono(fb, "threshold").firstDifference(v.snapshot()));
        assertClean(v);
    }

    @Test
    void hotterPanelsGetShorterStages(@TempDir Path dir) throws Exception {
        Path sensor = dir.resolve("temp");
        Files.writeString(sensor, "45000\n");
        kit.addVirtual("hot", "repaper", "panel", "e1144cs021", "temperature_sensor", sensor.toString());
        kit.addVirtual("room", "repaper", "panel", "e1144cs021", "temperature", 25);
        long[] took = new long[2];
        int i = 0;
        for (String name : List.of("hot", "room")) {
            Device d = kit.bind(name).device();
            VirtualRepaper v = kit.hardware(name, VirtualRepaper.class);
            Framebuffer fb = TestImages.picture(128, 96, PixelFormat.XRGB8888, 0);
            long t0 = v.nanos();
            d.flush(fb, fb.bounds());
            display(d).awaitIdle();
            took[i++] = v.nanos() - t0;
            assertClean(v);
        }
        double ratio = (double) took[0] / took[1];
        assertTrue(ratio > 0.6 && ratio < 0.85, "45 °C runs stages at 0.7x the 25 °C time, got ratio " + ratio);
        assertEquals(170, Temperature.factor10x(-10));
        assertEquals(80, Temperature.factor10x(0));
        assertEquals(20, Temperature.factor10x(20));
        assertEquals(7, Temperature.factor10x(41));
    }

    @Test
    void aColdFilmIsUnderDrivenWhenTheDriverIsToldItIsWarm() throws Exception {
        // the film is at 0 °C, but the driver's config says 25 °C: its stages are 8x too short
        org.paneld.drivers.core.BusDevice bd = new org.paneld.drivers.core.BusDevice("epd", "repaper",
                org.paneld.drivers.core.DeviceConfig.of("test", "backend", "virtual", "panel", "e1144cs021", "temperature", 25));
        VirtualRepaper v = new VirtualRepaper(org.paneld.drivers.virtual.RepaperFilm.E1144CS021, true, 0, 8_000_000, () -> 0);
        bd.attach(org.paneld.drivers.core.VirtualHardware.class, v);
        kit.add(bd);
        Device d = kit.bind("epd").device();
        Framebuffer fb = TestImages.picture(128, 96, PixelFormat.XRGB8888, 0);
        d.flush(fb, fb.bounds());
        display(d).awaitIdle();
        assertTrue(v.violations().stream().anyMatch(s -> s.startsWith("under-driven stage")), v.violations().toString());
        assertFalse(v.isPowered());
    }

    @Test
    void aStuckBusyLineFailsTheRefreshAndLeavesThePanelOff() throws Exception {
        kit.addVirtual("epd", "repaper", "panel", "e1144cs021");
        Device d = kit.bind("epd").device();
        VirtualRepaper v = kit.hardware("epd", VirtualRepaper.class);
        v.setBusyStuck(true);
        Framebuffer fb = TestImages.picture(128, 96, PixelFormat.XRGB8888, 0);
        d.flush(fb, fb.bounds());
        display(d).awaitIdle();
        assertEquals(1, display(d).counters()[3], "one failed refresh");
        assertClean(v);
        v.setBusyStuck(false);
        d.flush(fb, fb.bounds());
        display(d).awaitIdle();
        assertEquals(1, v.fullUpdates());
    }

    static void await(CountDownLatch l) {
        try {
            l.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
