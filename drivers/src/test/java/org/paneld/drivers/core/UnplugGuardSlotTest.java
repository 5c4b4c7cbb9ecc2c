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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Issue 10 item 2: a long-lived guard keeps no slot per thread that ever entered it. */
class UnplugGuardSlotTest {

    /** 4,000 short-lived threads, at most 8 alive at once: the guard keeps at most 8 slots. */
    @Test
    void shortLivedThreadsLeaveTheSlotCountBounded() throws Exception {
        UnplugGuard g = new UnplugGuard("lcd0");
        int batch = 8;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int round = 0; round < 500; round++) {
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < batch; i++) {
                int kind = (round + i) % 4;
                Thread t = new Thread(() -> {
                    try {
                        switch (kind) {
                            case 0 -> g.run(() -> { });
                            case 1 -> { // nested
                                g.enter();
                                g.run(() -> { });
                                g.exit();
                            }
                            case 2 -> { // atomic with a nested plain section
                                g.enterAtomic();
                                g.run(() -> { });
                                g.exitAtomic();
                            }
                            default -> g.enterAsync().exit();
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }, "short-" + round + "-" + i);
                t.start();
                threads.add(t);
            }
            for (Thread t : threads) {
                t.join();
            }
        }
        assertEquals(null, failure.get());
        assertTrue(g.slotCount() <= batch, "slots grew per thread: " + g.slotCount());
        assertEquals(0, g.activeSections());
        g.unplug();
        assertTrue(g.isDrained());
    }

    /** Asking (isHeldByCurrentThread, unplug from a long-lived admin thread) takes no slot. */
    @Test
    void threadsThatOnlyAskOrUnplugTakeNoSlot() throws Exception {
        UnplugGuard g = new UnplugGuard("lcd0");
        assertFalse(g.isHeldByCurrentThread());
        Thread t = new Thread(() -> assertFalse(g.isHeldByCurrentThread()));
        t.start();
        t.join();
        assertThrows(IllegalStateException.class, g::exit);
        assertThrows(IllegalStateException.class, g::exitAtomic);
        g.unplug();
        assertEquals(0, g.slotCount());
    }

    /** A thread that ended inside a section keeps its slot (unplug must keep waiting for it). */
    @Test
    void aSlotLeftInsideASectionIsNeverTakenOver() throws Exception {
        UnplugGuard g = new UnplugGuard("lcd0");
        Thread leaky = new Thread(() -> {
            try {
                g.enter(); // never exits: a bug, but it must not be forgotten
            } catch (NoDeviceException e) {
                throw new IllegalStateException(e);
            }
        });
        leaky.start();
        leaky.join();
        for (int i = 0; i < 20; i++) {
            Thread t = new Thread(() -> {
                try {
                    g.run(() -> { });
                } catch (NoDeviceException e) {
                    throw new IllegalStateException(e);
                }
            });
            t.start();
            t.join();
        }
        assertEquals(2, g.slotCount());
        assertEquals(1, g.activeSections(), "the ended thread's section is still counted");
        CountDownLatch returned = new CountDownLatch(1);
        org.paneld.drivers.testkit.Waits.Task<Void> unplugger = org.paneld.drivers.testkit.Waits.task("unplugger", () -> {
            g.unplug();
            returned.countDown();
        }).start(); // a daemon thread: it waits for ever, as it should
        org.paneld.drivers.testkit.Waits.assertUnplugWaits(unplugger.thread(), g, returned, g::isDrained,
                "unplug waits for the section that never exited");
    }

    /**
     * Threads come and go (taking over ended threads' slots) while a section is held: unplug waits
     * for it and for the churners' sections in flight; after unplug returns nothing is inside and
     * nothing can enter; the slot count stays bounded by the threads alive at once.
     */
    @Test
    void unplugWaitsForSectionsInFlightWhileThreadsChurn() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int round = 0; round < 10; round++) {
                UnplugGuard g = new UnplugGuard("churn" + round);
                AtomicLong inside = new AtomicLong();
                AtomicLong violations = new AtomicLong();
                AtomicLong sections = new AtomicLong();
                AtomicBoolean unplugReturned = new AtomicBoolean();
                AtomicBoolean stop = new AtomicBoolean();
                AtomicReference<Throwable> failure = new AtomicReference<>();
                int spawners = 4;
                List<Thread> spawnerThreads = new ArrayList<>();
                for (int s = 0; s < spawners; s++) {
                    int sp = s;
                    Thread spawner = new Thread(() -> {
                        int n = 0;
                        while (!stop.get()) {
                            int kind = n++ % 3;
                            Thread t = new Thread(() -> {
                                try {
                                    if (kind == 2) {
                                        g.enterAtomic();
                                    } else {
                                        g.enter();
                                    }
                                    try {
                                        if (kind == 1) {
                                            g.enter(); // nested
                                        }
                                        if (unplugReturned.get()) {
                                            violations.incrementAndGet();
                                        }
                                        inside.incrementAndGet();
                                        Thread.onSpinWait();
                                        inside.decrementAndGet();
                                        sections.incrementAndGet();
                                        if (kind == 1) {
                                            g.exit();
                                        }
                                    } finally {
                                        if (kind == 2) {
                                            g.exitAtomic();
                                        } else {
                                            g.exit();
                                        }
                                    }
                                } catch (NoDeviceException gone) {
                                    stop.set(true);
                                } catch (Throwable e) {
                                    failure.compareAndSet(null, e);
                                }
                            }, "churn-" + sp + "-" + n);
                            t.start();
                            try {
                                t.join();
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    });
                    spawner.start();
                    spawnerThreads.add(spawner);
                }
                // a section held by a thread that itself took over an ended thread's slot
                while (sections.get() < 200) {
                    Thread.onSpinWait();
                }
                CountDownLatch held = new CountDownLatch(1);
                CountDownLatch release = new CountDownLatch(1);
                Thread holder = new Thread(() -> {
                    try {
                        g.enter();
                        try {
                            held.countDown();
                            release.await();
                            inside.incrementAndGet();
                            inside.decrementAndGet();
                        } finally {
                            g.exit();
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }, "holder");
                holder.start();
                assertTrue(held.await(10, TimeUnit.SECONDS));
                Thread unplugger = new Thread(() -> {
                    g.unplug();
                    unplugReturned.set(true);
                    if (inside.get() != 0) {
                        violations.incrementAndGet();
                    }
                }, "unplugger");
                unplugger.start();
                org.paneld.drivers.testkit.Waits.assertUnplugWaits(unplugger, g, new CountDownLatch(1), unplugReturned::get,
                        "unplug returned while a section was held");
                assertFalse(g.isDrained());
                release.countDown();
                unplugger.join(10_000);
                assertFalse(unplugger.isAlive(), "unplug never returned");
                assertTrue(g.isDrained());
                assertThrows(NoDeviceException.class, g::enter);
                stop.set(true);
                for (Thread t : spawnerThreads) {
                    t.join(10_000);
                    assertFalse(t.isAlive());
                }
                holder.join(10_000);
                assertEquals(null, failure.get());
                assertEquals(0, violations.get(), "a section ran after unplug returned");
                assertEquals(0, inside.get());
                // at most: spawners' children + holder + unplugger + this thread, alive at once
                assertTrue(g.slotCount() <= spawners + 3, "slots: " + g.slotCount());
            }
        });
    }
}
