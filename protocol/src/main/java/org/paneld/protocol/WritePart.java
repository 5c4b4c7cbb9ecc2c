package org.paneld.protocol;

/**
 * One piece of a streamed WRITE request, emitted by a {@link FrameDecoder} that streams WRITE
 * frames (see {@link FrameDecoder#FrameDecoder(DecodeLimits, InputBudget)}): the request's header
 * fields, where {@code data} starts within the request's {@code length} pixel bytes, and whether
 * it is the last piece. The pieces of one request arrive in order with nothing in between; the
 * first has {@code offset} 0, the last ends at {@code length}. A zero-length WRITE is one piece
 * with no data. Immutable (the array is the decoder's copy, handed over); event loop.
 */
public record WritePart(int id, int session, int buffer, int x, int y, int w, int h, long length, long offset,
                        byte[] data, boolean last) {
    /** True for the first piece of its request. */
    public boolean first() {
        return offset == 0;
    }

    @Override
    public String toString() {
        return "#" + Integer.toUnsignedString(id) + " WRITE part " + offset + "+" + data.length + " of " + length
                + (last ? " (last)" : "");
    }
}
