package org.paneld.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Netty decoder: splits the byte stream into frames and decodes them with {@link Codec}. Emits
 * {@link Frame}s, and {@link ProtocolException}s as messages (in stream order) for frames that
 * could not be decoded: after a fatal one (short frame, oversize length, malformed payload) it
 * discards every further byte, so the handler can send the error frame and close. One per
 * channel; runs on the channel's event loop.
 */
public final class FrameDecoder extends ByteToMessageDecoder {
    private volatile DecodeLimits limits;
    private long offset;
    private boolean failed;
    private final boolean requests;
    private final LargeFrames large;

    public FrameDecoder(DecodeLimits limits) {
        this(limits, false);
    }

    /** {@code requests}: the server's decoder, which takes only requests ({@link Codec#decodeRequest}). */
    public FrameDecoder(DecodeLimits limits, boolean requests) {
        this.limits = limits;
        this.requests = requests;
        this.large = null;
    }

    /**
     * A decoder that never holds a frame over 4 KiB without {@code budget}'s consent: WRITE
     * requests are streamed as {@link WritePart}s instead of whole {@link Frame}s, other large
     * frames are held whole only when the budget grants twice their length (else skipped and
     * answered with a non-fatal ENOMEM {@link ProtocolException}). See {@code LargeFrames}. The
     * server's decoder: it takes only requests, like {@code FrameDecoder(limits, true)}.
     */
    public FrameDecoder(DecodeLimits limits, InputBudget budget) {
        this.limits = limits;
        this.requests = true;
        this.large = new LargeFrames(budget);
    }

    public void limits(DecodeLimits l) {
        this.limits = l;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (large == null) {
            decodeFrames(in, out);
            return;
        }
        try {
            if (!failed && large.active() && !large.feed(in, out)) {
                return;
            }
            decodeFrames(in, out);
        } finally {
            large.releaseBefore(offset);
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        if (large != null) {
            large.releaseAll();
        }
    }

    private void decodeFrames(ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        while (in.readableBytes() >= 4) {
            long length = in.getUnsignedIntLE(in.readerIndex());
            if (length < Codec.HEADER) {
                fail(out, in, new ProtocolException(ErrorCode.EPROTO, 0, "frame at byte " + offset + ": length " + length
                        + " is shorter than the 8-byte header", true));
                return;
            }
            if (length > limits.maxFrame()) {
                if (in.readableBytes() < Codec.PREFIX) {
                    return; // the rest of the header (type, id) is 8 bytes away: the error names them
                }
                int type = in.getUnsignedShortLE(in.readerIndex() + 4);
                int id = in.getIntLE(in.readerIndex() + 8);
                fail(out, in, new ProtocolException(ErrorCode.EMSGSIZE, id, type, "frame at byte " + offset + ": length " + length
                        + " exceeds the maximum frame size of " + limits.maxFrame() + " bytes", true));
                return;
            }
            if (large != null) {
                long began;
                try {
                    began = large.begin(in, length, offset, out);
                } catch (ProtocolException e) {
                    fail(out, in, e);
                    return;
                }
                if (began < 0) {
                    return;
                }
                if (began > 0) {
                    offset += 4 + length;
                    if (!large.feed(in, out)) {
                        return;
                    }
                    continue;
                }
            }
            if (in.readableBytes() < 4 + length) {
                return;
            }
            in.skipBytes(4);
            ByteBuf body = in.readSlice((int) length);
            long at = offset;
            offset += 4 + length;
            try {
                out.add(requests ? Codec.decodeRequest(body, limits, at) : Codec.decode(body, limits, at));
            } catch (ProtocolException e) {
                if (e.fatal()) {
                    fail(out, in, e);
                    return;
                }
                out.add(e);
            } catch (RuntimeException e) {
                fail(out, in, new ProtocolException(ErrorCode.EPROTO, 0, "frame at byte " + at + ": " + e, true));
                return;
            }
        }
    }

    private void fail(List<Object> out, ByteBuf in, ProtocolException e) {
        failed = true;
        in.skipBytes(in.readableBytes());
        out.add(e);
    }
}
