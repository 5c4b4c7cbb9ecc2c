package org.paneld.drivers.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class UnplugGuardTest {

    @Test
    void enterAfterUnplugFailsWithEnodev() throws Exception {
        UnplugGuard g = new UnplugGuard("lcd0");
        g.run(() -> { });
        g.unplug();
        NoDeviceException e = assertThrows(NoDeviceException.class, g::enter);
        assertEquals(Errno.ENODEV, e.errno());
        assertTrue(e.getMessage().contains("lcd0"), e.getMessage());
        assertThrows(NoDeviceException.class, g::enterAsync);
        assertEquals(0, g.activeSections());
    }

    @Test
    void sectionsNest() throws Exception {
        UnplugGuard g = new UnplugGuard("lcd0");
        g.enter();
        g.enter();
        assertEquals(2, g.activeSections());
        g.exit();
        assertTrue(g.isHeldByCurrentThread());
        g.exit();
        assertFalse(g.isHeldByCurrentThread());
        assertThrows(IllegalStateException.class, g::exit, "exit without enter is a bug, said loudly");
    }

    @Test
    void unplugFromInsideASectionFailsLoudlyInsteadOfDeadlocking() {
        UnplugGuard g = new UnplugGuard("lcd0");
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            g.enter();
            try {
                IllegalStateException e = assertThrows(IllegalStateException.class, g::unplug);
                assertTrue(e.getMessage().contains("inside"), e.getMessage());
            } finally {
                g.exit();
            }
            g.unplug(); // outside the section it works
        });
    }

    @Test
    void unplugWaitsForSectionsInFlight() throws Exception {
        UnplugGuard g = new UnplugGuard("lcd0");
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService ex = Executors.newFixedThreadPool(2);
        try {
            Future<?> worker = ex.submit(() -> {
                g.enter();
                try {
                    entered.countDown();
                    release.await();
                } finally {
                    g.exit();
                }
                return null;
            });
            entered.await();
            CountDownLatch returned = new CountDownLatch(1);
            org.paneld.drivers.testkit.Waits.Task<Void> unplug = org.paneld.drivers.testkit.Waits.task("unplugger", () -> {
                g.unplug();
                returned.countDown();
            }).start();
            org.paneld.drivers.testkit.Waits.assertUnplugWaits(unplug.thread(), g, returned, g::isDrained,
                    "unplug with a section running");
            assertTrue(g.isUnplugged());
            assertThrows(NoDeviceException.class, g::enter, "no new section may start once unplug began");
            release.countDown();
            unplug.get();
            worker.get(5, TimeUnit.SECONDS);
            assertTrue(g.isDrained());
        } finally {
            ex.shutdownNow();
        }
    }

    @Test
    void asyncSectionEndsOnAnotherThreadAndUnplugWaitsForIt() throws Exception {
        UnplugGuard g = new UnplugGuard("usb0");
        UnplugGuard.Section s = g.enterAsync();
        CountDownLatch returned = new CountDownLatch(1);
        org.paneld.drivers.testkit.Waits.Task<Void> unplugger = org.paneld.drivers.testkit.Waits.task("unplugger", () -> {
            g.unplug();
            returned.countDown();
        }).start();
        org.paneld.drivers.testkit.Waits.assertUnplugWaits(unplugger.thread(), g, returned, g::isDrained,
                "unplug must wait for the asynchronous section");
        org.paneld.drivers.testkit.Waits.task("completer", s::exit).start().get();
        unplugger.get();
        assertTrue(g.isDrained());
        s.exit(); // a second exit is ignored
        assertEquals(0, g.activeSections());
    }

    @Test
    void unplugIsIdempotent() {
        UnplugGuard g = new UnplugGuard("lcd0");
        g.unplug();
        g.unplug();
        assertTrue(g.isDrained());
    }

    /**
     * Many threads enter and exit while another unplugs: no section may start after unplug()
     * returned, unplug waits for the sections in flight, and nothing hangs.
     */
    @Test
    void noSectionStartsAfterUnplugReturns() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int round = 0; round < 20; round++) {
                UnplugGuard g = new UnplugGuard("stress" + round);
                AtomicBoolean unplugReturned = new AtomicBoolean();
                AtomicLong violations = new AtomicLong();
                AtomicLong inside = new AtomicLong();
                AtomicLong sections = new AtomicLong();
                int threads = 8;
                CountDownLatch go = new CountDownLatch(1);
                List<Thread> workers = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    boolean async = t % 2 == 1;
                    Thread th = new Thread(() -> {
                        try {
                            go.await();
                            while (true) {
                                UnplugGuard.Section s = null;
                                if (async) {
                                    s = g.enterAsync();
                                } else {
                                    g.enter();
                                }
                                try {
                                    if (unplugReturned.get()) {
                                        violations.incrementAndGet();
                                    }
                                    inside.incrementAndGet();
                                    Thread.onSpinWait();
                                    inside.decrementAndGet();
                                    sections.incrementAndGet();
                                } finally {
                                    if (async) {
                                        s.exit();
                                    } else {
                                        g.exit();
                                    }
                                }
                            }
                        } catch (NoDeviceException expected) {
                            // the device is gone: stop
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    });
                    th.start();
                    workers.add(th);
                }
                go.countDown();
                while (sections.get() < 2_000) {
                    Thread.onSpinWait();
                }
                g.unplug();
                unplugReturned.set(true);
                assertEquals(0, inside.get(), "a section was still running when unplug returned");
                for (Thread th : workers) {
                    th.join(10_000);
                    assertFalse(th.isAlive(), "a worker kept entering after unplug");
                }
                assertEquals(0, violations.get(), "sections started after unplug returned");
            }
        });
    }
}
