package org.paneld.client;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.paneld.protocol.Message;
import org.paneld.protocol.Message.*;

/**
 * Where the server's events (frames with id 0) go: the client's open {@link Session}s, by id
 * (an event names its session), and the {@link EventListener}s.
 *
 * <p>Lifetime: the connection's; {@link #closed()} (the channel went inactive) tells the listeners
 * and ends the event thread. Threads: {@link #dispatch} and {@link #closed} run on the I/O thread,
 * which updates the session (flip done, unplugged, owner) before reading on; listeners run on one
 * event thread per client ({@code paneld-client-events}), in arrival order. The rest: any thread.
 */
final class EventDispatch {
    private final List<EventListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<Integer, Session> sessions = new ConcurrentHashMap<>();
    private final ExecutorService events = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "paneld-client-events");
        t.setDaemon(true);
        return t;
    });

    void addListener(EventListener l) {
        listeners.add(l);
    }

    void removeListener(EventListener l) {
        listeners.remove(l);
    }

    /** {@code s} was opened: its events reach it from now on. */
    void opened(Session s) {
        sessions.put(s.id(), s);
    }

    /** {@code s} was closed: its events (if any still come) are only handed to the listeners. */
    void forget(Session s) {
        sessions.remove(s.id());
    }

    /** Hands event {@code m} to its session (at once) and to the listeners (on the event thread). I/O thread. */
    void dispatch(Message m) {
        if (m instanceof FlipComplete) {
            FlipComplete fc = (FlipComplete) m;
            Session s = sessions.get(fc.session());
            if (s != null) {
                s.flipDone(fc);
            }
        } else if (m instanceof Unplugged) {
            Session s = sessions.get(((Unplugged) m).session());
            if (s != null) {
                s.markUnplugged();
            }
        } else if (m instanceof Ownership) {
            Session s = sessions.get(((Ownership) m).session());
            if (s != null) {
                s.markOwner(((Ownership) m).owner());
            }
        }
        try {
            events.execute(() -> {
                for (EventListener l : listeners) {
                    deliver(l, m);
                }
            });
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    /** Calls {@link EventListener#event} and the one typed callback that fits {@code m}. Event thread. */
    private void deliver(EventListener l, Message m) {
        l.event(m);
        if (m instanceof DeviceAdded) {
            l.deviceAdded(((DeviceAdded) m).device());
        } else if (m instanceof DeviceRemoved) {
            l.deviceRemoved(((DeviceRemoved) m).device());
        } else if (m instanceof Unplugged) {
            Session s = sessions.get(((Unplugged) m).session());
            if (s != null) {
                l.unplugged(s);
            }
        } else if (m instanceof FlipComplete) {
            Session s = sessions.get(((FlipComplete) m).session());
            if (s != null) {
                l.flipComplete(s, ((FlipComplete) m).buffer(), ((FlipComplete) m).error());
            }
        } else if (m instanceof Ownership) {
            Session s = sessions.get(((Ownership) m).session());
            if (s != null) {
                l.ownership(s, ((Ownership) m).owner());
            }
        } else if (m instanceof Shutdown) {
            l.shutdown(((Shutdown) m).reason());
        } else if (m instanceof Touch) {
            Session s = sessions.get(((Touch) m).session());
            if (s != null) {
                l.touch(s, (Touch) m);
            }
        }
    }

    /** The connection ended: each listener's {@link EventListener#closed()}, then the event thread ends. I/O thread. */
    void closed() {
        for (EventListener l : listeners) {
            events.execute(l::closed);
        }
        events.shutdown();
    }

    /** Ends the event thread once the queued events ran (close() of the client). */
    void shutdown() {
        events.shutdown();
    }
}
