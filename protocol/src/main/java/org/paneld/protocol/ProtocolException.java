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
    private final int requestType;

    public ProtocolException(ErrorCode code, int requestId, String message, boolean fatal) {
        this(code, requestId, 0, message, fatal);
    }

    /** With the type of the request the error answers (0 when unknown). */
    public ProtocolException(ErrorCode code, int requestId, int requestType, String message, boolean fatal) {
        super(message);
        this.code = code;
        this.requestId = requestId;
        this.requestType = requestType;
        this.fatal = fatal;
    }

    /** The type of the offending request, 0 when unknown. */
    public int requestType() {
        return requestType;
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
