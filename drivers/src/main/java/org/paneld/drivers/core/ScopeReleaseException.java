package org.paneld.drivers.core;

/** One or more release actions of a {@link ManagedScope} failed; the first is the cause, the rest suppressed. */
public final class ScopeReleaseException extends Exception {
    private static final long serialVersionUID = 1L;

    public ScopeReleaseException(String message, Throwable cause) {
        super(message, cause);
    }
}
