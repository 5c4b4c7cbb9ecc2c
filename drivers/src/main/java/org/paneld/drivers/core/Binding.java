package org.paneld.drivers.core;

import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hardware binding of a driver to a bus device: from probe to unbind or unplug. It holds the
 * device's first reference through the hardware scope (the reference is dropped by the scope's
 * first-registered, so last-run, action), so releasing the hardware scope ends the binding's
 * hold on the device, while sessions keep the device object alive.
 *
 * <p>Two ways to end it, each at most once (a second call waits for the first to finish):
 * {@link #unbind()} — orderly: disable the display while the hardware is there, unplug (wait for
 * in-flight work), release the hardware scope; {@link #yank()} — surprise removal: unplug first,
 * then release the hardware scope. Threads: any, but never from inside the device's guarded
 * section (use {@link Device#reportGone}).
 */
public final class Binding {
    private static final Logger LOG = LoggerFactory.getLogger(Binding.class);

    private final Bus bus;
    private final Device device;
    private final LifecycleTracker.Tracked tracked;
    private final Object teardownLock = new Object();
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile boolean ending;
    private volatile boolean surprise;

    Binding(Bus bus, Device device, LifecycleTracker tracker) {
        this.bus = bus;
        this.device = device;
        this.tracked = tracker.track("binding", device.id(), () -> device.driver().name() + " on " + bus.name());
    }

    public Device device() {
        return device;
    }

    public Driver driver() {
        return device.driver();
    }

    public BusDevice busDevice() {
        return device.busDevice();
    }

    public Bus bus() {
        return bus;
    }

    /** True once unbind or yank has started. */
    public boolean isEnding() {
        return ending;
    }

    /** True once the hardware scope has been released. */
    public boolean isUnbound() {
        return done.getCount() == 0;
    }

    /** Orderly removal: display off while the hardware is there, then unplug and release the hardware. */
    public void unbind() {
        teardown(false);
    }

    /** Surprise removal: the hardware is gone; unplug first, then release the hardware scope. */
    public void yank() {
        teardown(true);
    }

    boolean wasSurprise() {
        return surprise;
    }

    private void teardown(boolean isSurprise) {
        synchronized (teardownLock) {
            if (ending) {
                awaitDone();
                return;
            }
            ending = true;
            surprise = isSurprise;
        }
        try {
            if (!isSurprise) {
                try {
                    device.disable();
                } catch (NoDeviceException e) {
                    LOG.debug("{}: disable at unbind: device already gone", device.id());
                } catch (Exception e) {
                    LOG.warn("{}: disable at unbind failed: {}", device.id(), e.toString());
                }
            }
            device.guard().unplug();
            LOG.info("{}: {}", device.id(), isSurprise ? "unplugged (surprise removal)" : "unplugged (unbind)");
            device.fireUnplugged();
            device.hardware().releaseQuietly();
        } finally {
            tracked.close();
            try {
                bus.bindingEnded(this);
            } finally {
                // only now: a concurrent unbind/yank (e.g. Bus.remove racing reportGone) must not
                // return while the bus still lists this binding, or a re-add + bind sees EBUSY
                done.countDown();
            }
        }
    }

    private void awaitDone() {
        boolean interrupted = false;
        while (true) {
            try {
                done.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "Binding[" + device.id() + " " + device.driver().name() + (isUnbound() ? ", unbound" : "") + "]";
    }
}
