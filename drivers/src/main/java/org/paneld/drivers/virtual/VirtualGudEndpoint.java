package org.paneld.drivers.virtual;

import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * The emulated GUD device's bulk OUT endpoint, as gud-pico's driver.c runs it: armed for exactly
 * the announced length (SET_BUFFER's length, or compressed_length when compressed; the whole
 * frame on FULL_UPDATE devices, re-armed after every completed frame), fed in 64-byte packets (a
 * short packet ends the transfer early, and a failed transfer leaves the endpoint idle), and
 * decompressing when the armed length differs from the pixel length. A completed transfer is
 * handed to {@link Sink}. Wrong streams are recorded in the device's violations.
 * Guarded by the device's lock.
 */
final class VirtualGudEndpoint {

    /** Where a completed transfer's pixels go (gud_write_buffer). */
    interface Sink {
        void write(byte[] pixels);
    }

    /** What the host sees of one bulk OUT transfer. */
    enum Outcome {
        /** Every byte was accepted by the device (whether it used them or not). */
        SENT,
        /** The device NAKed (endpoint not armed): the host's transfer times out. */
        NAKED
    }

    private final int packet;
    private final boolean fullUpdate;
    private final VirtualGudViolations violations;
    private final Sink sink;
    private final LZ4SafeDecompressor lz4 = LZ4Factory.fastestInstance().safeDecompressor();

    private boolean armed;
    private int xferLen;
    private int len;
    private int received;
    private byte[] buf = new byte[0];
    private byte[] pixels = new byte[0];
    private long frames;
    private long bytes;

    VirtualGudEndpoint(int packet, boolean fullUpdate, VirtualGudViolations violations, Sink sink) {
        this.packet = packet;
        this.fullUpdate = fullUpdate;
        this.violations = violations;
        this.sink = sink;
    }

    boolean busy() {
        return armed;
    }

    /** Bytes received so far into the armed transfer. */
    int received() {
        return received;
    }

    int armedLength() {
        return xferLen;
    }

    /** Arms for {@code xferLen} bytes on the wire that hold {@code len} bytes of pixels. */
    void arm(int xferLen, int len) {
        this.xferLen = xferLen;
        this.len = len;
        this.received = 0;
        this.armed = true;
        if (buf.length < xferLen) {
            buf = new byte[xferLen];
        }
    }

    /** The transfer ended in failure (gud-pico's xfer callback returned false): not re-armed. */
    void disarm() {
        armed = false;
        received = 0;
    }

    long frames() {
        return frames;
    }

    long bytes() {
        return bytes;
    }

    /** One host bulk OUT transfer of {@code n} bytes, cut into packets as the bus does. */
    Outcome receive(byte[] data, int off, int n) {
        bytes += n;
        int pos = 0;
        do {
            if (!armed) {
                violations.add("bulk OUT: " + (n - pos) + " of " + n + " bytes arrived while the endpoint was not"
                        + " armed (no SET_BUFFER since the last transfer ended); the device NAKs them");
                return Outcome.NAKED;
            }
            int room = xferLen - received;
            int whole = Math.min(n - pos, room) / packet * packet; // full packets that fit: taken at once
            if (whole > 0) {
                System.arraycopy(data, off + pos, buf, received, whole);
                received += whole;
                pos += whole;
                if (received == xferLen) {
                    complete();
                }
                continue;
            }
            int pkt = Math.min(packet, n - pos); // a short packet, or one that does not fit
            if (pkt > room) {
                violations.add("bulk OUT: a packet of " + pkt + " bytes overruns the armed transfer by "
                        + (pkt - room) + " bytes (armed for " + xferLen + ", " + received + " received)");
                disarm();
                return Outcome.SENT;
            }
            System.arraycopy(data, off + pos, buf, received, pkt);
            received += pkt;
            pos += pkt;
            if (received == xferLen) {
                complete();
            } else {
                violations.add("bulk OUT: a short packet (" + pkt + " bytes) ended the device's transfer after "
                        + received + " of " + xferLen + " bytes; the data is dropped (pieces must be whole "
                        + packet + "-byte packets)");
                disarm();
                return Outcome.SENT;
            }
        } while (pos < n);
        return Outcome.SENT;
    }

    private void complete() {
        byte[] px = buf;
        if (xferLen != len) {
            if (pixels.length < len) {
                pixels = new byte[len];
            }
            int got;
            try {
                got = lz4.decompress(buf, 0, xferLen, pixels, 0, len);
            } catch (LZ4Exception e) {
                violations.add("bulk OUT: " + xferLen + " bytes of LZ4 data do not decompress to " + len + " bytes ("
                        + e.getMessage() + ")");
                disarm();
                return;
            }
            if (got != len) {
                violations.add("bulk OUT: LZ4 data decompressed to " + got + " bytes, SET_BUFFER announced " + len);
                disarm();
                return;
            }
            px = pixels;
        }
        sink.write(px);
        frames++;
        if (fullUpdate) {
            received = 0; // gud-pico re-arms for the next whole frame at once
        } else {
            disarm();
        }
    }
}
