package org.paneld.client;

import org.paneld.protocol.ErrorCode;
import org.paneld.protocol.Message;

/**
 * Hears the server's events. Called on the client's event thread (one per client, in arrival
 * order, never on the I/O thread): it may call the blocking API. Default methods do nothing.
 */
public interface EventListener {
    /** A device was bound and can be opened (needs {@code subscribe(SUB_DEVICE_ADDED)}). */
    default void deviceAdded(String device) {
    }

    /** A device was unbound or removed (needs {@code subscribe(SUB_DEVICE_REMOVED)}). */
    default void deviceRemoved(String device) {
    }

    /** The session's device is gone: every request but close now fails with ENODEV. */
    default void unplugged(Session session) {
    }

    /** A FLIP of the session finished ({@code error} null on success). */
    default void flipComplete(Session session, int buffer, ErrorCode error) {
    }

    /** The session became the display's owner. */
    default void ownership(Session session, boolean owner) {
    }

    /**
     * A touch on the session's display (needs {@code subscribe(SUB_TOUCH)} for owned displays or
     * {@code SUB_TOUCH_OBSERVE} for every display with a session): {@code t.kind()} is
     * Message.TOUCH_DOWN/MOVE/UP, {@code t.x()}, {@code t.y()} display pixels. Never an UP after
     * {@link #unplugged}.
     */
    default void touch(Session session, Message.Touch t) {
    }

    /** The daemon is stopping. */
    default void shutdown(String reason) {
    }

    /** The connection is closed (by either side). */
    default void closed() {
    }

    /** Every event, before the typed method. */
    default void event(Message event) {
    }
}
