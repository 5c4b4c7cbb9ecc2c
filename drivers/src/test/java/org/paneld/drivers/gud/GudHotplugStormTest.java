package org.paneld.drivers.gud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.paneld.drivers.core.Binding;
import org.paneld.drivers.core.BusListener;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.core.DeviceRef;
import org.paneld.drivers.core.Errno;
import org.paneld.drivers.pixel.Framebuffer;
import org.paneld.drivers.pixel.PixelFormat;
import org.paneld.drivers.pixel.Rect;
import org.paneld.drivers.virtual.VirtualGudDevice;
import org.paneld.drivers.virtual.VirtualGudHotplug;

/**
 * Hotplug storm: 200 plug/unplug cycles of virtual GUD devices through the hotplug path the
 * usb4java service uses, some cut off in the middle of a transfer, while client threads keep
 * taking device references and flushing. No exception escapes (every failure a client sees is
 * ENODEV), every device object is released exactly once, every virtual USB handle is closed,
 * and the tracker is empty at the end.
 */
class GudHotplugStormTest {
    private static final int CYCLES = 200;
    private static final int SLOTS = 4;
    private static final int CLIENTS = 4;

    @Test
    void twoHundredPlugUnplugCyclesWhileClientsFlush() throws Exception {
        Queue<Throwable> escaped = new ConcurrentLinkedQueue<>();
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> escaped.add(new AssertionError("uncaught in " + t.getName(), e)));
        GudRig rig = new GudRig(Duration.ofMillis(2));
        Queue<Device> seen = new ConcurrentLinkedQueue<>();
        rig.bus.addListener(new BusListener() {
            @Override
            public void deviceBound(Binding binding) {
                seen.add(binding.device());
            }
        });
        VirtualGudDevice[] devs = new VirtualGudDevice[SLOTS];
        for (int i = 0; i < SLOTS; i++) {
            devs[i] = new VirtualGudDevice(VirtualGudDevice.Config.defaults(40, 30).withConnectorPoll(true)
                    .withLz4(i % 2 == 1).withMaxBufferSize(i == 2 ? 40 * 4 * 7 : 0));
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong flushes = new AtomicLong();
        AtomicLong enodev = new AtomicLong();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int id = c;
            Thread t = new Thread(() -> {
                Random rnd = new Random(id);
                Framebuffer fb = GudRig.pattern(40, 30, id % 2 == 0 ? PixelFormat.XRGB8888 : PixelFormat.RGB565, id);
                while (!stop.get()) {
                    List<Binding> bs = rig.bus.bindings();
                    if (bs.isEmpty()) {
                        Thread.onSpinWait();
                        continue;
                    }
                    Device d = bs.get(rnd.nextInt(bs.size())).device();
                    DeviceRef ref;
                    try {
                        ref = d.acquire("client " + id);
                    } catch (IllegalStateException released) {
                        continue; // the object was released between listing and acquiring: it is gone
                    }
                    try (ref) {
                        for (int i = 0; i < 5; i++) {
                            int x = rnd.nextInt(40), y = rnd.nextInt(30);
                            d.flush(fb, new Rect(x, y, 1 + rnd.nextInt(40 - x), 1 + rnd.nextInt(30 - y)));
                            flushes.incrementAndGet();
                            d.info();
                        }
                    } catch (DeviceException e) {
                        if (e.errno() == Errno.ENODEV) {
                            enodev.incrementAndGet();
                        } else {
                            escaped.add(new AssertionError("client " + id + " got " + e, e));
                        }
                    } catch (Throwable e) {
                        escaped.add(new AssertionError("client " + id + " got " + e, e));
                    }
                }
            }, "storm-client-" + c);
            clients.add(t);
            t.start();
        }
        VirtualGudHotplug hotplug = new VirtualGudHotplug(rig.bus);
        Random rnd = new Random(42);
        try {
            for (int i = 0; i < CYCLES; i++) {
                int slot = i % SLOTS;
                String name = "gud-s" + slot;
                hotplug.unplug(name).get(10, TimeUnit.SECONDS); // no-op unless a fault already pulled it
                hotplug.plug(name, devs[slot]).get(10, TimeUnit.SECONDS);
                if (i % 7 == 3) {
                    devs[slot].injectDisconnectMidBulk(); // a client's next transfer pulls the cable
                }
                if (i % 3 == 0) {
                    Thread.sleep(rnd.nextInt(3));
                }
                if (i % 2 == 0) {
                    hotplug.unplug(name);
                }
            }
        } finally {
            hotplug.close();
            stop.set(true);
            for (Thread t : clients) {
                t.join(TimeUnit.SECONDS.toMillis(30));
            }
            rig.close();
            Thread.setDefaultUncaughtExceptionHandler(previous);
        }
        if (!escaped.isEmpty()) {
            AssertionError e = new AssertionError(escaped.size() + " exception(s) escaped; first: " + escaped.peek(), escaped.peek());
            throw e;
        }
        assertEquals(0, hotplug.hotplug().bindFailures(), "binds that failed");
        assertEquals(CYCLES, seen.size(), "bindings made");
        for (Device d : seen) {
            assertEquals(1, d.releaseCount(), d.id() + " released exactly once");
        }
        for (VirtualGudDevice v : devs) {
            assertEquals(0, v.openTransports(), "virtual USB handles still open");
        }
        rig.tracker.assertNoneLive();
        assertTrue(flushes.get() > 0, "clients flushed");
        System.out.println("storm: bindings=" + seen.size() + " flushes=" + flushes.get() + " enodev=" + enodev.get());
    }
}
