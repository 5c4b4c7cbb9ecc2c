package org.paneld.client;

import java.io.IOException;
import org.paneld.protocol.ErrorCode;

/**
 * A request failed: the server's error code and message (or EIO when the connection broke).
 * Thrown by the blocking API; the asynchronous API completes its futures with it.
 */
public class PaneldException extends IOException {
    private static final long serialVersionUID = 1L;
    private final ErrorCode code;

    public PaneldException(ErrorCode code, String message) {
        super(code + ": " + message);
        this.code = code;
    }

    public PaneldException(ErrorCode code, String message, Throwable cause) {
        super(code + ": " + message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
