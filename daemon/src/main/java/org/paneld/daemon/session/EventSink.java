package org.paneld.daemon.session;

import org.paneld.protocol.Message;

/**
 * Where a session's events go: its connection. {@link #event} may be called from any thread
 * (device workers, the unplugging thread); the connection hops to its event loop. Lifetime: the
 * connection's.
 */
public interface EventSink {
    void event(Message event);

    /** "conn 7 (uid 1000)", for holder names and logs. */
    String describe();

    /** The connection's touch subscription: its SUBSCRIBE mask's SUB_TOUCH and SUB_TOUCH_OBSERVE bits. Any thread. */
    default int touchSubscription() {
        return 0;
    }

    /** A TOUCH event for one of the connection's sessions. Any thread (a touch sampling thread); must not block. */
    default void touch(Message.Touch event) {
        event(event);
    }
}
