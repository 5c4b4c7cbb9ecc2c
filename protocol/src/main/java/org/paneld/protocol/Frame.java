package org.paneld.protocol;

/**
 * One frame on the wire: a request id and a message (its type comes from the message).
 * Replies and errors carry the id of the request they answer; events carry 0. Immutable.
 */
public record Frame(int id, Message message) {
    @Override
    public String toString() {
        return "#" + Integer.toUnsignedString(id) + " " + message;
    }
}
