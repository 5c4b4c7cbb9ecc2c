package org.paneld.drivers.mipidbi;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.core.Errno;
import org.paneld.drivers.core.NoDeviceException;
import org.paneld.drivers.core.UnplugGuard;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A device's transfer thread with a small pool of buffers (double buffering): the flushing
 * thread converts chunk N+1 into a free buffer while the transfer thread has chunk N on the wire.
 * Backpressure comes from the pool: {@link #acquire()} blocks while every buffer is queued or on
 * the wire. The first failure of a chunk is kept and the remaining queued chunks are dropped;
 * the producer learns it at its next {@link #acquire()} or at {@link #finish()}, which waits until
 * nothing is in flight, so when a flush returns (normally or with an error) the transfer thread
 * is idle and no transfer of that flush can start later.
 *
 * <p>Each queued chunk holds an asynchronous section of the device's unplug guard from submit
 * until the transfer thread is done with it, and the transfer thread calls the {@link Sink} (the
 * DBI bus), whose SPI port enters the guard around each transfer: after unplug nothing more is
 * queued and every queued chunk fails with ENODEV without reaching the hardware. Lifetime: the hardware binding (started at probe,
 * {@link #close()} is a hardware-scope release action). Threads: one producer at a time (the
 * device's serialised flush); the transfer thread is internal.
 */
final class TransferPipeline implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TransferPipeline.class);

    /** Where the chunks go (runs on the transfer thread). */
    @FunctionalInterface
    interface Sink {
        void write(byte[] buf, int off, int len) throws IOException;
    }

    private static final class Job {
        final byte[] buf;
        final int len;
        final UnplugGuard.Section section;

        Job(byte[] buf, int len, UnplugGuard.Section section) {
            this.buf = buf;
            this.len = len;
            this.section = section;
        }
    }

    private final Object lock = new Object();
    private final ArrayDeque<byte[]> free = new ArrayDeque<>();
    private final ArrayDeque<Job> todo = new ArrayDeque<>();
    private final Sink sink;
    private final UnplugGuard guard;
    private final Thread thread;
    private final int bufferSize;
    private int outstanding;
    private IOException error;
    private boolean closed;
    /** Threads blocked on the lock (the producer in acquire/finish/abort, the transfer thread when idle). */
    private int producerWaiting;
    private boolean workerWaiting;

    TransferPipeline(String name, UnplugGuard guard, Sink sink, int bufferSize, int buffers) {
        this.sink = sink;
        this.guard = guard;
        this.bufferSize = bufferSize;
        for (int i = 0; i < buffers; i++) {
            free.add(new byte[bufferSize]);
        }
        this.thread = new Thread(this::run, "dbi-tx-" + name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    int bufferSize() {
        return bufferSize;
    }

    /** A free buffer to fill; blocks while all are busy. Throws the pending failure of an earlier chunk. */
    byte[] acquire() throws IOException {
        synchronized (lock) {
            while (true) {
                if (error != null) {
                    throw takeErrorLocked();
                }
                if (closed) {
                    throw new DeviceException(Errno.ENODEV, "transfer thread " + thread.getName() + " is stopped");
                }
                byte[] b = free.poll();
                if (b != null) {
                    return b;
                }
                waitLocked();
            }
        }
    }

    /**
     * Queues {@code len} bytes of {@code buf} (from {@link #acquire()}) for the wire, holding an
     * asynchronous section of the device's guard until the transfer thread is done with it (so
     * unplug waits for queued work, and after unplug nothing more is queued).
     *
     * @throws NoDeviceException when the device is unplugged (the buffer is given back)
     */
    void submit(byte[] buf, int len) throws NoDeviceException {
        UnplugGuard.Section section;
        try {
            section = guard.enterAsync();
        } catch (NoDeviceException e) {
            giveBack(buf);
            throw e;
        }
        synchronized (lock) {
            todo.add(new Job(buf, len, section));
            outstanding++;
            if (workerWaiting) {
                lock.notifyAll();
            }
        }
    }

    /** Gives back a buffer from {@link #acquire()} that will not be submitted. */
    void giveBack(byte[] buf) {
        synchronized (lock) {
            free.add(buf);
            lock.notifyAll();
        }
    }

    /** Waits until every submitted chunk is done; throws the first failure among them. */
    void finish() throws IOException {
        synchronized (lock) {
            boolean interrupted = awaitIdleLocked();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (error != null) {
                throw takeErrorLocked();
            }
            if (interrupted) {
                throw new InterruptedIOException("interrupted during a flush");
            }
        }
    }

    /** After the producer failed: drop what is queued, wait for the chunk on the wire, forget errors. */
    void abort() {
        synchronized (lock) {
            if (error == null) {
                error = new DeviceException(Errno.EIO, "flush aborted");
            }
            boolean interrupted = awaitIdleLocked();
            error = null;
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Takes the pending failure, leaving it set while draining so the transfer thread drops the rest. */
    private IOException takeErrorLocked() {
        IOException e = error;
        boolean interrupted = awaitIdleLocked();
        error = null;
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return e;
    }

    /**
     * Waits, with the lock held, until no chunk is queued or on the wire; an interrupt does not
     * end the wait (the chunks in flight must drain first). Returns whether one arrived.
     */
    private boolean awaitIdleLocked() {
        boolean interrupted = false;
        while (outstanding > 0) {
            producerWaiting++;
            try {
                lock.wait();
            } catch (InterruptedException e) {
                interrupted = true;
            } finally {
                producerWaiting--;
            }
        }
        return interrupted;
    }

    private void waitLocked() throws InterruptedIOException {
        producerWaiting++;
        try {
            lock.wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a transfer buffer");
        } finally {
            producerWaiting--;
        }
    }

    private void run() {
        while (true) {
            Job job;
            boolean skip;
            synchronized (lock) {
                while (todo.isEmpty() && !closed) {
                    workerWaiting = true;
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        // only close() ends the thread
                    } finally {
                        workerWaiting = false;
                    }
                }
                if (todo.isEmpty()) {
                    return; // closed and drained
                }
                job = todo.poll();
                skip = error != null;
            }
            IOException failure = null;
            try {
                if (!skip) {
                    sink.write(job.buf, 0, job.len);
                }
            } catch (IOException e) {
                failure = e;
            } catch (RuntimeException | Error e) {
                org.paneld.drivers.core.Fatal.exitIfFatal(e, "transfer thread " + Thread.currentThread().getName());
                failure = new DeviceException(Errno.EIO, "transfer failed: " + e, e);
            } finally {
                job.section.exit();
            }
            synchronized (lock) {
                if (failure != null && error == null) {
                    error = failure;
                }
                free.add(job.buf);
                outstanding--;
                if (producerWaiting > 0) {
                    lock.notifyAll();
                }
            }
        }
    }

    /** Stops the transfer thread (after the chunks still queued, which fail once the device is unplugged). */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("transfer thread {} did not stop within 10 s", thread.getName());
        }
    }

    boolean isAlive() {
        return thread.isAlive();
    }
}
