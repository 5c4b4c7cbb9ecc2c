package org.paneld.protocol;

/**
 * A protocol error: an error frame to send (or received). {@code fatal} ones (malformed frame,
 * bad handshake) close the connection after the error frame. Thrown by the codec on any thread.
 */
public class ProtocolException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final ErrorCode code;
    private final int requestId;
    private final boolean fatal;

    public ProtocolException(ErrorCode code, int requestId, String message, boolean fatal) {
        super(message);
        this.code = code;
        this.requestId = requestId;
        this.fatal = fatal;
    }

    public ErrorCode code() {
        return code;
    }

    public int requestId() {
        return requestId;
    }

    public boolean fatal() {
        return fatal;
    }

    @Override
    public String toString() {
        return code + ": " + getMessage();
    }
}
