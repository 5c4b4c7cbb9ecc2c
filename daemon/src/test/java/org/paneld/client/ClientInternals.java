package org.paneld.client;

/** Test access to the client's package-private counters (same package, test scope). */
public final class ClientInternals {
    private ClientInternals() {
    }

    /** Frames {@code c} wrote to its socket on the caller's thread (FrameWriter's direct path). */
    public static long directWrites(PaneldClient c) {
        return c.directWrites();
    }
}
