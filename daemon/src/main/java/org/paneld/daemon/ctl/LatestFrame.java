package org.paneld.daemon.ctl;

import java.util.ArrayDeque;

/**
 * The hand-over between the reader thread and the pushing thread of {@code panelctl stream}: at
 * most one frame waits. For a live source a newer frame replaces a waiting one (latest wins, the
 * replaced one is counted as dropped, nothing queues); for a non-live one the reader waits until
 * the waiting frame was taken. At most three frames exist (one being read, one waiting, one
 * being shown), recycled. Lifetime: one stream. Threads: one reader, one taker.
 */
final class LatestFrame {
    private final boolean live;
    private final ArrayDeque<Frame> pool = new ArrayDeque<>(3);
    private Frame waiting;
    private boolean ended;
    private boolean stopped;
    private Exception error;
    private long read;
    private long dropped;

    LatestFrame(boolean live) {
        this.live = live;
    }

    /** Reader: a frame to fill; null once stopped. Blocks (non-live) while a frame waits. */
    synchronized Frame free() throws InterruptedException {
        while (!live && waiting != null && !stopped) {
            wait();
        }
        if (stopped) {
            return null;
        }
        Frame f = pool.poll();
        return f != null ? f : new Frame();
    }

    /** Reader: {@code f} is the newest frame. */
    synchronized void publish(Frame f) {
        read++;
        if (waiting != null) {
            dropped++;
            pool.push(waiting);
        }
        waiting = f;
        notifyAll();
    }

    /** Reader: the input ended, cleanly ({@code null}) or with {@code e}. */
    synchronized void end(Exception e) {
        ended = true;
        error = e;
        notifyAll();
    }

    /** Either side: stop now (SIGINT); wakes both. */
    synchronized void stop() {
        stopped = true;
        notifyAll();
    }

    /**
     * Taker: gives back {@code done} (may be null) and waits for the next frame; null when the
     * input ended (see {@link #error()}) or the stream was stopped.
     */
    synchronized Frame take(Frame done) throws InterruptedException {
        if (done != null) {
            pool.push(done);
        }
        while (waiting == null && !ended && !stopped) {
            wait();
        }
        if (stopped || waiting == null) {
            if (waiting != null) {
                dropped++; // read, never shown
                pool.push(waiting);
                waiting = null;
            }
            return null;
        }
        Frame f = waiting;
        waiting = null;
        notifyAll();
        return f;
    }

    synchronized Exception error() {
        return error;
    }

    synchronized long read() {
        return read;
    }

    synchronized long dropped() {
        return dropped;
    }

    synchronized boolean stopped() {
        return stopped;
    }
}
