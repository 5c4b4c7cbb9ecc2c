package org.paneld.daemon.session;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that runs a device object's blocking operations, in submission order (lighter
 * than a ThreadPoolExecutor: a lock-free queue and park/unpark). Optionally it polls for a while
 * after a task before parking ({@code -Dpaneld.worker.spinMicros}, default 0: on a Pi's few
 * cores spinning costs more than the wake-up it saves, measured in BENCHMARKS.md, flush-rtt). Lifetime: the device's {@link DeviceSessions}. Threads: {@link #execute} from any.
 */
final class DeviceWorker implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceWorker.class);
    /** How long an idle worker polls before parking. */
    static final long SPIN_NANOS = Long.getLong("paneld.worker.spinMicros", 0) * 1000;

    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private final CountDownLatch terminated = new CountDownLatch(1);
    private volatile boolean waiting;
    private volatile boolean shutdown;
    private volatile boolean stopNow;

    DeviceWorker(String name) {
        thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void execute(Runnable task) {
        if (shutdown) {
            throw new RejectedExecutionException("worker " + thread.getName() + " is shut down");
        }
        queue.add(task);
        if (waiting) {
            LockSupport.unpark(thread);
        }
    }

    /** The task that runs next, or null when none is queued. */
    Runnable next() {
        return queue.peek();
    }

    private void loop() {
        try {
            while (!stopNow) {
                Runnable r = queue.poll();
                if (r != null) {
                    try {
                        r.run();
                    } catch (RuntimeException | Error e) {
                        org.paneld.drivers.core.Fatal.exitIfFatal(e, "a task of " + thread.getName());
                        LOG.warn("{}: task failed: {}", thread.getName(), e.toString());
                    }
                    continue;
                }
                if (shutdown) {
                    return;
                }
                if (SPIN_NANOS > 0) {
                    long until = System.nanoTime() + SPIN_NANOS;
                    while (queue.isEmpty() && !shutdown && System.nanoTime() < until) {
                        Thread.onSpinWait();
                    }
                }
                if (queue.isEmpty() && !shutdown) {
                    waiting = true;
                    if (queue.isEmpty() && !shutdown) {
                        LockSupport.park(this);
                    }
                    waiting = false;
                }
            }
        } finally {
            terminated.countDown();
        }
    }

    /** No new tasks; the queued ones still run, then the thread ends. */
    void shutdown() {
        shutdown = true;
        LockSupport.unpark(thread);
    }

    /** Stops after the running task; returns the tasks that never ran. */
    List<Runnable> shutdownNow() {
        shutdown = true;
        stopNow = true;
        LockSupport.unpark(thread);
        thread.interrupt();
        List<Runnable> left = new java.util.ArrayList<>(queue);
        queue.clear();
        return left;
    }

    boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return terminated.await(timeout, unit);
    }

    boolean isCurrent() {
        return Thread.currentThread() == thread;
    }
}
