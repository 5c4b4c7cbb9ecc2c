package org.paneld.daemon.server;

/**
 * A snapshot of the server's counters. Immutable; any thread.
 *
 * @param connections   connections open now
 * @param sessions      sessions open now
 * @param buffers       buffers alive now
 * @param bytesIn       bytes read from clients since start
 * @param bytesOut      bytes written to clients since start
 * @param requests      requests handled since start
 * @param flushes       flushes (and flips) completed since start
 */
public record ServerStats(int connections, int sessions, int buffers, long bytesIn, long bytesOut, long requests, long flushes) {

    /** One line for status listings. */
    public String line() {
        return "server connections=" + connections + " sessions=" + sessions + " buffers=" + buffers
                + " bytes_in=" + bytesIn + " bytes_out=" + bytesOut + " requests=" + requests + " flushes=" + flushes;
    }
}
