package org.paneld.protocol;

import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * What a {@link FrameDecoder} does with a frame longer than {@link #SMALL} bytes, so that no
 * frame is ever held whole without the memory budget's consent: a WRITE request is streamed (its
 * 28-byte header is read, then every byte that arrives is handed on at once as a
 * {@link WritePart}, so the decoder never keeps more than one socket read); any other frame is
 * held whole only after {@link InputBudget#tryReserve} granted twice its length (the
 * accumulation buffer grows by copying), otherwise its bytes are skipped as they arrive and it is
 * answered with a non-fatal ENOMEM. One per decoder; event loop.
 */
final class LargeFrames {
    /** Frames up to this length (the length field's value) are read whole without asking the budget. */
    static final int SMALL = 4096;
    /** The WRITE request's fixed fields: session, buffer, x, y, width, height, length. */
    private static final int WRITE_FIELDS = 28;

    private final InputBudget budget;
    // a streamed WRITE or a skipped frame in progress
    private boolean streaming;
    private boolean skipping;
    private int id, type, session, buffer, x, y, w, h;
    private long total, done;
    private long at;
    private long skipLength;
    // a large frame held whole with the budget's consent
    private long reservedAt = -1;
    private long reserved;

    LargeFrames(InputBudget budget) {
        this.budget = budget;
    }

    boolean active() {
        return streaming || skipping;
    }

    /**
     * At the start of a frame of {@code length} (within max_frame) at stream offset {@code offset}:
     * -1 when more bytes are needed first, 0 when the frame is to be read whole as usual, or the
     * number of bytes of the stream it consumed (the prefix, and the WRITE header) when it is now
     * streaming or skipping.
     */
    long begin(ByteBuf in, long length, long offset, List<Object> out) {
        releaseBefore(offset);
        if (length <= SMALL || reservedAt == offset) {
            return 0;
        }
        if (in.readableBytes() < Codec.PREFIX) {
            return -1;
        }
        int ri = in.readerIndex();
        int t = in.getUnsignedShortLE(ri + 4);
        int fid = in.getIntLE(ri + 8);
        if (t == Message.WRITE) {
            if (in.readableBytes() < Codec.PREFIX + WRITE_FIELDS) {
                return -1;
            }
            int p = ri + Codec.PREFIX;
            long n = in.getUnsignedIntLE(p + 24);
            long room = length - Codec.HEADER - WRITE_FIELDS;
            if (n != room) {
                throw new ProtocolException(ErrorCode.EPROTO, fid, t, "WRITE frame at byte " + offset + ": length " + n
                        + " does not match the " + room + " data bytes in the frame", true);
            }
            id = fid;
            type = t;
            session = in.getIntLE(p);
            buffer = in.getIntLE(p + 4);
            x = in.getIntLE(p + 8);
            y = in.getIntLE(p + 12);
            w = in.getIntLE(p + 16);
            h = in.getIntLE(p + 20);
            total = n;
            done = 0;
            at = offset;
            streaming = true;
            in.skipBytes(Codec.PREFIX + WRITE_FIELDS);
            return Codec.PREFIX + WRITE_FIELDS;
        }
        if (budget.tryReserve(2 * length)) {
            reservedAt = offset;
            reserved = 2 * length;
            return 0;
        }
        id = fid;
        type = t;
        at = offset;
        skipLength = length;
        total = length - Codec.HEADER;
        done = 0;
        skipping = true;
        in.skipBytes(Codec.PREFIX);
        return Codec.PREFIX;
    }

    /**
     * Hands on (or skips) the bytes of the current frame that have arrived; true when the frame
     * is complete, false when more bytes are needed.
     */
    boolean feed(ByteBuf in, List<Object> out) {
        long left = total - done;
        int n = (int) Math.min(left, in.readableBytes());
        if (skipping) {
            in.skipBytes(n);
            done += n;
            if (done < total) {
                return false;
            }
            skipping = false;
            out.add(new ProtocolException(ErrorCode.ENOMEM, id, type, Codec.typeName(type) + " frame at byte " + at + ": its "
                    + skipLength + " bytes do not fit the daemon's memory budget now (" + budget.describe()
                    + "); the frame was skipped", false));
            return true;
        }
        if (n == 0 && left > 0) {
            return false;
        }
        byte[] data = new byte[n];
        in.readBytes(data);
        long off = done;
        done += n;
        boolean last = done == total;
        if (last) {
            streaming = false;
        }
        out.add(new WritePart(id, session, buffer, x, y, w, h, total, off, data, last));
        return last;
    }

    /** Gives back the reservation of a frame that has been decoded (any frame before {@code offset}). */
    void releaseBefore(long offset) {
        if (reservedAt >= 0 && reservedAt < offset) {
            budget.release(reserved);
            reservedAt = -1;
            reserved = 0;
        }
    }

    /** The decoder is going away: nothing stays reserved. */
    void releaseAll() {
        if (reservedAt >= 0) {
            budget.release(reserved);
            reservedAt = -1;
            reserved = 0;
        }
    }
}
