package org.paneld.drivers.usb;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.paneld.drivers.core.Bus;
import org.paneld.drivers.core.BusDevice;
import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.core.Errno;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The add/remove path of hot-pluggable USB devices, shared by the usb4java service and the
 * virtual hotplug source: "arrived" adds the bus device and binds it, "left" removes it from the
 * bus (surprise removal: the binding's unplug guard first, then its hardware scope). Events run
 * one at a time, in order, on one worker thread of its own — never on the libusb event thread,
 * because removal waits for in-flight transfers, which need that thread to complete.
 *
 * <p>Lifetime: the owning service's (started with it, {@link #close()}d with it). Threads: any
 * may post events.
 */
public final class UsbHotplug implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UsbHotplug.class);

    private final Bus bus;
    private final ExecutorService worker;
    private final AtomicLong bindFailures = new AtomicLong();

    public UsbHotplug(Bus bus, String threadName) {
        this.bus = bus;
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    public Bus bus() {
        return bus;
    }

    /** Posts "device arrived": add {@code device} to the bus and bind it (a failed bind is logged, the device stays). */
    public Future<?> arrived(BusDevice device) {
        return worker.submit(org.paneld.drivers.core.Fatal.guarded(() -> addAndBind(device), "usb hotplug"));
    }

    /** "Device arrived", now on the calling thread (the worker itself, or a test): add and bind. */
    public void addAndBind(BusDevice device) {
        try {
            bus.add(device);
        } catch (DeviceException e) {
            LOG.warn("{}: USB device {} arrived but cannot be added: {}", bus.name(), device.name(), e.getMessage());
            return;
        }
        try {
            bus.bind(device.name());
        } catch (DeviceException e) {
            bindFailures.incrementAndGet();
            LOG.warn("{}: USB device {} arrived but binding failed: {}", bus.name(), device.name(), e.getMessage());
        }
    }

    /**
     * Posts "device left": remove the device named {@code name} from the bus (surprise removal),
     * then run {@code afterRemoval} (e.g. drop the libusb device reference), even when the device
     * was not on the bus.
     */
    public Future<?> left(String name, Runnable afterRemoval) {
        return worker.submit(org.paneld.drivers.core.Fatal.guarded(() -> remove(name, afterRemoval), "usb hotplug"));
    }

    /** "Device left", now on the calling thread: surprise removal, then {@code afterRemoval}. */
    public void remove(String name, Runnable afterRemoval) {
        try {
            bus.remove(name);
        } catch (DeviceException e) {
            if (e.errno() != Errno.ENOENT) {
                LOG.warn("{}: removing USB device {} failed: {}", bus.name(), name, e.getMessage());
            }
        } finally {
            if (afterRemoval != null) {
                afterRemoval.run();
            }
        }
    }

    /** Runs {@code task} on the worker, after every event posted before it. */
    public Future<?> post(Runnable task) {
        return worker.submit(org.paneld.drivers.core.Fatal.guarded(task, "usb hotplug"));
    }

    /** Binds that failed since start (for status and tests). */
    public long bindFailures() {
        return bindFailures.get();
    }

    /** Runs the events already posted, then stops the worker. */
    @Override
    public void close() {
        worker.shutdown();
        boolean interrupted = false;
        while (true) {
            try {
                if (worker.awaitTermination(30, TimeUnit.SECONDS)) {
                    break;
                }
                LOG.warn("{}: USB hotplug worker still busy after 30 s", bus.name());
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
