package org.paneld.drivers.core;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.paneld.drivers.pixel.Framebuffer;
import org.paneld.drivers.pixel.PixelFormat;
import org.paneld.drivers.pixel.Rect;
import org.paneld.drivers.pixel.RgbImage;
import org.paneld.drivers.testkit.LifecycleKit;
import org.paneld.drivers.testkit.Waits;
import org.paneld.drivers.virtual.VirtualFb;
import org.paneld.drivers.virtual.VirtualFbDriver;

class DeviceLifecycleTest {
    private final RecordingDriver recording = new RecordingDriver();

    @RegisterExtension
    final LifecycleKit kit = new LifecycleKit(new VirtualFbDriver(), recording);

    private static Framebuffer frame(int w, int h, int rgb) {
        Framebuffer fb = Framebuffer.allocate(w, h, PixelFormat.XRGB8888);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                fb.setRgb(x, y, rgb);
            }
        }
        return fb;
    }

    private BusDevice addRecording(String name) throws DeviceException {
        return kit.add(new BusDevice(name, "recording", DeviceConfig.of("test")));
    }

    @Test
    void bindFlushUnbindShowsOnTheVirtualPanel() throws Exception {
        kit.addVirtual("fb0", "virtual-fb", "width", 16, "height", 8);
        Binding b = kit.bind("fb0");
        Device d = b.device();
        d.flush(frame(16, 8, 0x336699), new Rect(2, 1, 3, 4));
        VirtualFb hw = kit.hardware("fb0", VirtualFb.class);
        RgbImage shown = hw.snapshot();
        assertEquals(0x336699, shown.get(2, 1));
        assertEquals(0x336699, shown.get(4, 4));
        assertEquals(0, shown.get(5, 1));
        assertEquals(16, d.info().width());
        b.unbind();
        assertFalse(hw.isOn(), "orderly unbind switches the display off");
        assertFalse(hw.isConnected());
        assertTrue(d.isReleased(), "no session held it, so release ran at unbind");
    }

    @Test
    void orderlyUnbindDisablesBeforeReleasingHardwareAndReleaseComesLast() throws Exception {
        addRecording("r0");
        Device d = kit.bind("r0").device();
        String id = d.id();
        kit.bus().unbind("r0");
        assertEquals(List.of("probe " + id, "enable " + id, "disable " + id, "release gpio " + id,
                "release spi " + id, "driver release " + id, "release modes " + id), recording.log);
    }

    @Test
    void surpriseRemovalDoesNotTouchTheDisplayAndStillReleasesEverything() throws Exception {
        addRecording("r0");
        Device d = kit.bind("r0").device();
        String id = d.id();
        kit.bus().remove("r0");
        assertEquals(List.of("probe " + id, "enable " + id, "release gpio " + id, "release spi " + id,
                "driver release " + id, "release modes " + id), recording.log);
        assertTrue(kit.bus().device("r0").isEmpty());
    }

    /** Seed 002's split: a session-like holder keeps the object alive, but the hardware goes at unbind. */
    @Test
    void holdersOutliveUnbindHardwareGoesAtUnbindObjectsAtTheLastPut() throws Exception {
        addRecording("r0");
        Device d = kit.bind("r0").device();
        DeviceRef session1 = d.acquire("session 1");
        DeviceRef session2 = d.acquire("session 2");
        kit.bus().unbind("r0");
        assertTrue(d.hardware().isReleased());
        assertFalse(d.isReleased());
        assertFalse(d.objects().isReleased());
        assertTrue(d.describeRefs().contains("session 1"), d.describeRefs());
        NoDeviceException e = assertThrows(NoDeviceException.class, () -> d.flush(frame(8, 8, 0), Rect.of(8, 8)));
        assertEquals(Errno.ENODEV, e.errno());
        assertEquals(8, d.info().width(), "info still answers after unplug: it lives in the object");
        session1.close();
        session1.close(); // a second close drops nothing
        assertFalse(d.isReleased());
        session2.close();
        assertTrue(d.isReleased());
        assertEquals(1, d.releaseCount());
        assertTrue(d.objects().isReleased());
        assertThrows(IllegalStateException.class, d::get, "no resurrection");
    }

    /**
     * Seed 001's loop: a client-visible object (in the object scope) holds a reference to its
     * device. It must not keep the hardware alive: unbind releases the hardware scope anyway;
     * the device object goes when that holder lets go.
     */
    @Test
    void anObjectHoldingItsDeviceDoesNotKeepTheHardwareAlive() throws Exception {
        addRecording("r0");
        Device d = kit.bind("r0").device();
        DeviceRef framebufferRef = d.acquire("framebuffer 1");
        d.objects().add("framebuffer 1", framebufferRef::close); // the loop: object scope -> ref -> device
        kit.bus().unbind("r0");
        assertTrue(d.hardware().isReleased(), "the loop must not pin the hardware scope");
        assertTrue(recording.log.contains("release spi " + d.id()));
        assertFalse(d.isReleased());
        framebufferRef.close(); // the owner of the framebuffer closes it
        assertTrue(d.isReleased());
    }

    @Test
    void exactlyOnceReleaseUnderConcurrentPuts() throws Exception {
        for (int round = 0; round < 50; round++) {
            addRecording("r" + round);
            Device d = kit.bind("r" + round).device();
            int threads = 8;
            int perThread = 200;
            List<DeviceRef> refs = new ArrayList<>();
            for (int i = 0; i < threads * perThread; i++) {
                refs.add(d.acquire("holder " + (i % 17)));
            }
            kit.bus().remove("r" + round); // the binding's reference goes first
            CyclicBarrier start = new CyclicBarrier(threads);
            ExecutorService ex = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> fs = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    List<DeviceRef> mine = refs.subList(t * perThread, (t + 1) * perThread);
                    fs.add(ex.submit(() -> {
                        start.await();
                        for (int i = 0; i < mine.size(); i++) {
                            mine.get(i).close();
                            try {
                                d.get();
                            } catch (IllegalStateException e) {
                                // only a get() racing the final put sees a released device: this thread's
                                // last close, when every other reference was gone too
                                assertEquals(mine.size() - 1, i, "get() failed while this thread still held references: " + e);
                                assertTrue(e.getMessage().startsWith("get() on released device " + d.id()), e.getMessage());
                                return null;
                            }
                            d.put();
                        }
                        return null;
                    }));
                }
                List<Throwable> failures = new ArrayList<>();
                for (Future<?> f : fs) {
                    try {
                        f.get(30, TimeUnit.SECONDS);
                    } catch (java.util.concurrent.ExecutionException e) {
                        failures.add(e.getCause());
                    }
                }
                if (!failures.isEmpty()) {
                    AssertionError all = new AssertionError("round " + round + ": " + failures.size() + " of " + threads
                            + " threads failed, first: " + failures.get(0));
                    failures.forEach(all::addSuppressed);
                    throw all;
                }
            } finally {
                ex.shutdownNow();
            }
            await().atMost(Duration.ofSeconds(5)).until(d::isReleased);
            assertEquals(1, d.releaseCount());
            assertEquals(1, recording.log.stream().filter(s -> s.equals("driver release " + d.id())).count());
        }
    }

    @Test
    void unplugWaitsForAFlushInFlightAndLaterFlushesGetEnodev() throws Exception {
        addRecording("r0");
        Device d = kit.bind("r0").device();
        recording.flushEntered = new CountDownLatch(1);
        recording.flushRelease = new CountDownLatch(1);
        CountDownLatch unplugReturned = new CountDownLatch(1);
        d.addUnplugListener(x -> unplugReturned.countDown());
        Waits.Task<Void> flush = Waits.task("test-flush", () -> d.flush(frame(8, 8, 1), Rect.of(8, 8))).start();
        Waits.awaitLatch(recording.flushEntered, "the flush to enter the driver");
        Waits.Task<Void> removal = Waits.task("test-remove", () -> kit.bus().remove("r0")).start();
        try {
            Waits.assertUnplugWaits(removal.thread(), d.guard(), unplugReturned, () -> d.hardware().isReleased(),
                    "surprise removal during a flush");
            assertFalse(d.hardware().isReleased(), "hardware released under a running flush");
        } finally {
            recording.flushRelease.countDown();
        }
        flush.get(); // the flush in flight completes normally
        removal.get();
        assertTrue(d.hardware().isReleased());
        recording.flushEntered = null;
        assertThrows(NoDeviceException.class, () -> d.flush(frame(8, 8, 1), Rect.of(8, 8)));
    }

    @Test
    void aDriverThatLearnsTheDeviceIsGoneTriggersSurpriseRemoval() throws Exception {
        addRecording("r0");
        Device d = kit.bind("r0").device();
        recording.flushReportsGone = true;
        assertThrows(NoDeviceException.class, () -> d.flush(frame(8, 8, 1), Rect.of(8, 8)));
        await().atMost(Duration.ofSeconds(5)).until(() -> d.hardware().isReleased());
        assertTrue(kit.bus().binding("r0").isEmpty());
        assertTrue(kit.bus().device("r0").isPresent(), "the device stays on the bus; it can be bound again");
    }

    @Test
    void aFailedProbeReleasesEverythingAndNamesTheDevice() throws Exception {
        addRecording("r0");
        recording.failProbe = true;
        DeviceException e = assertThrows(DeviceException.class, () -> kit.bind("r0"));
        assertEquals(Errno.EIO, e.errno());
        assertTrue(e.getMessage().contains("r0") && e.getMessage().contains("controller did not answer"), e.getMessage());
        assertEquals(0, kit.tracker().liveCount(), kit.tracker().listing().toString());
        assertTrue(recording.log.stream().anyMatch(s -> s.startsWith("release spi")));
        recording.failProbe = false;
        kit.bind("r0"); // and binding again works
    }

    @Test
    void bindingTwiceIsRefusedAndUnknownDevicesAreNamed() throws Exception {
        addRecording("r0");
        kit.bind("r0");
        DeviceException busy = assertThrows(DeviceException.class, () -> kit.bind("r0"));
        assertEquals(Errno.EBUSY, busy.errno());
        DeviceException missing = assertThrows(DeviceException.class, () -> kit.bind("nope"));
        assertEquals(Errno.ENOENT, missing.errno());
        assertTrue(missing.getMessage().contains("nope"));
        kit.add(new BusDevice("orphan", "no-such-driver", DeviceConfig.of("test")));
        DeviceException noDriver = assertThrows(DeviceException.class, () -> kit.bind("orphan"));
        assertTrue(noDriver.getMessage().contains("no-such-driver"), noDriver.getMessage());
    }

    /** Rebind after unbind, 1,000 times: fresh device objects, no leftovers, no growth. */
    @Test
    void rebindAThousandTimesLeavesNothingBehind() throws Exception {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            kit.addVirtual("fb0", "virtual-fb", "width", 4, "height", 4);
            Framebuffer fb = frame(4, 4, 0xFF0000);
            String previous = null;
            int baseline = kit.tracker().liveCount();
            for (int i = 0; i < 1000; i++) {
                Binding b = kit.bind("fb0");
                assertNotEquals(previous, b.device().id());
                previous = b.device().id();
                DeviceRef session = b.device().acquire("session");
                b.device().flush(fb, Rect.of(4, 4));
                b.unbind();
                session.close();
                assertEquals(baseline, kit.tracker().liveCount(), "tracked objects grew at iteration " + i);
            }
            kit.assertNoFailures();
            assertEquals(1000, kit.bindCount());
            assertEquals(0xFF0000, kit.hardware("fb0", VirtualFb.class).content().get(3, 3));
        });
    }

    @Test
    void theTrackerListsWhoHoldsADevice() throws Exception {
        addRecording("r0");
        Device d = kit.bind("r0").device();
        try (DeviceRef ref = d.acquire("session 7 of conn 3")) {
            String listing = String.join("\n", kit.tracker().listing());
            assertTrue(listing.contains("device " + d.id()), listing);
            assertTrue(listing.contains("session 7 of conn 3"), listing);
            assertTrue(listing.contains("binding"), listing);
            assertEquals(2, ref.device().refCount());
        }
    }
}
