package org.paneld.drivers.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The opt-in atomic section: nested enters keep working until it ends; unplug waits for it. */
class UnplugGuardAtomicTest {

    @Test
    void nestedEnterInsideAtomicSectionSurvivesUnplugAndUnplugWaits() throws Exception {
        UnplugGuard guard = new UnplugGuard("epd");
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch unplugStarted = new CountDownLatch(1);
        AtomicBoolean nestedWorked = new AtomicBoolean();
        AtomicBoolean plainFailedAfter = new AtomicBoolean();
        Thread worker = new Thread(() -> {
            try {
                guard.enterAtomic();
                try {
                    inside.countDown();
                    unplugStarted.await(5, TimeUnit.SECONDS);
                    while (!guard.isUnplugged()) {
                        Thread.onSpinWait();
                    }
                    guard.run(() -> nestedWorked.set(true)); // a "power off" after unplug began
                } finally {
                    guard.exitAtomic();
                }
                try {
                    guard.enter();
                    guard.exit();
                } catch (NoDeviceException e) {
                    plainFailedAfter.set(true);
                }
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        worker.start();
        assertTrue(inside.await(5, TimeUnit.SECONDS));
        Thread unplugger = new Thread(guard::unplug);
        unplugger.start();
        unplugStarted.countDown();
        unplugger.join(5000);
        assertFalse(unplugger.isAlive(), "unplug returned");
        assertTrue(nestedWorked.get(), "the nested section inside the atomic one ran after unplug began");
        worker.join(5000);
        assertTrue(plainFailedAfter.get(), "after the atomic section, enter fails with ENODEV");
        assertThrows(NoDeviceException.class, guard::enterAtomic);
    }

    @Test
    void exitAtomicWithoutEnterIsRefused() {
        assertThrows(IllegalStateException.class, () -> new UnplugGuard("x").exitAtomic());
    }
}
