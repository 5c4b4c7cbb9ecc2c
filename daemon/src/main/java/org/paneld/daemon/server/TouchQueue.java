package org.paneld.daemon.server;

import io.netty.channel.Channel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.paneld.protocol.Frame;
import org.paneld.protocol.Message;
import org.paneld.protocol.Message.Touch;

/**
 * One connection's TOUCH events on their way out, bounded (PROTOCOL.md section 15): at most
 * {@link #IN_FLIGHT} handed to the channel and not yet taken by the socket, at most
 * {@link #CAPACITY} waiting here. A full queue drops the oldest waiting MOVE (the next event of
 * that contact gets TOUCH_DROPPED), else the oldest whole contact waiting (DOWN…UP together; the
 * next event of that slot gets TOUCH_DROPPED); a DOWN or UP is never dropped alone and nothing
 * is reordered. What cannot be dropped (a lone DOWN or UP per session and slot) may exceed the
 * capacity, which the connection's session limit bounds. Before any other frame is written the
 * connection writes every waiting TOUCH ({@link #writeAll}), so a TOUCH never follows a frame
 * written after it. Lifetime: the connection's; dropped with it. Threads: {@link #offer} any
 * thread; the rest on the channel's event loop.
 */
final class TouchQueue {
    /** TOUCH events waiting per connection before the oldest MOVE is dropped. */
    static final int CAPACITY = 64;
    /** TOUCH frames written to the channel and not yet taken by the socket before the rest wait here. */
    static final int IN_FLIGHT = 4;

    private final List<Touch> waiting = new ArrayList<>(); // guarded by this
    /** Contacts (session << 16 | slot) whose next event gets TOUCH_DROPPED. Guarded by this. */
    private final Set<Long> droppedBefore = new HashSet<>();
    private boolean drainScheduled; // guarded by this
    private long dropped; // guarded by this
    private int inFlight; // event loop
    private boolean writing; // event loop: inside write(), whose loop picks up what the listeners free
    /** True while nothing may be written (an fd exchange holds the output, or the connection is closing). */
    private final java.util.function.BooleanSupplier held;

    TouchQueue(java.util.function.BooleanSupplier held) {
        this.held = held;
    }

    /** Queues {@code t}; true when the caller must schedule {@link #drain} (none is scheduled yet). Any thread. */
    synchronized boolean offer(Touch t) {
        if (droppedBefore.remove(key(t))) {
            t = t.withFlags(Message.TOUCH_DROPPED);
        }
        if (waiting.size() >= CAPACITY) {
            makeRoom();
        }
        waiting.add(t);
        if (drainScheduled) {
            return false;
        }
        drainScheduled = true;
        return true;
    }

    private static long key(Touch t) {
        return (long) t.session() << 16 | t.slot();
    }

    private void makeRoom() {
        for (int i = 0; i < waiting.size(); i++) {
            if (waiting.get(i).kind() == Message.TOUCH_MOVE) {
                Touch gone = waiting.remove(i);
                markNext(i, key(gone));
                dropped++;
                return;
            }
        }
        // no MOVE waiting: drop the oldest contact whose DOWN and UP both wait (the client never saw it)
        for (int i = 0; i < waiting.size(); i++) {
            Touch down = waiting.get(i);
            if (down.kind() != Message.TOUCH_DOWN) {
                continue;
            }
            for (int j = i + 1; j < waiting.size(); j++) {
                Touch up = waiting.get(j);
                if (key(up) == key(down) && up.kind() == Message.TOUCH_UP) {
                    waiting.remove(j);
                    waiting.remove(i);
                    markNext(j - 1, key(down));
                    dropped += 2;
                    return;
                }
            }
        }
    }

    /** Flags the first waiting event of contact {@code key} from index {@code from}, or the next one offered. */
    private void markNext(int from, long key) {
        for (int k = from; k < waiting.size(); k++) {
            if (key(waiting.get(k)) == key) {
                waiting.set(k, waiting.get(k).withFlags(Message.TOUCH_DROPPED));
                return;
            }
        }
        droppedBefore.add(key);
    }

    /** Writes waiting events while fewer than {@link #IN_FLIGHT} are in the channel. Event loop. */
    void drain(Channel channel) {
        synchronized (this) {
            drainScheduled = false;
        }
        write(channel, false);
    }

    /** Writes every waiting event (before another frame goes out). Event loop. */
    void writeAll(Channel channel) {
        write(channel, true);
    }

    private void write(Channel channel, boolean all) {
        if (held.getAsBoolean() || writing) {
            return;
        }
        writing = true;
        try {
            while (all || inFlight < IN_FLIGHT) {
                Touch t;
                synchronized (this) {
                    if (waiting.isEmpty()) {
                        return;
                    }
                    t = waiting.remove(0);
                }
                inFlight++;
                channel.writeAndFlush(new Frame(0, t)).addListener(f -> {
                    inFlight--; // the socket took it (or the channel closed)
                    if (!writing && channel.isActive() && waiting() > 0) {
                        channel.eventLoop().execute(() -> write(channel, false));
                    }
                });
            }
        } finally {
            writing = false;
        }
    }

    /** Events waiting (for tests and status). */
    synchronized int waiting() {
        return waiting.size();
    }

    /** Events dropped so far on this connection. */
    synchronized long dropped() {
        return dropped;
    }

    /** The channel is gone: forget what waits. */
    synchronized void closed() {
        waiting.clear();
        droppedBefore.clear();
    }
}
