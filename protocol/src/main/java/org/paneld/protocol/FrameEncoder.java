package org.paneld.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/** Netty encoder of {@link Frame}s (see {@link Codec}). Stateless and shareable; event loop. */
@ChannelHandler.Sharable
public final class FrameEncoder extends MessageToByteEncoder<Frame> {
    public static final FrameEncoder INSTANCE = new FrameEncoder();

    public FrameEncoder() {
        super(Frame.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Frame msg, ByteBuf out) {
        Codec.encode(msg, out);
    }

    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, Frame msg, boolean preferDirect) {
        int hint = 64;
        if (msg.message() instanceof Message.Write) {
            hint += ((Message.Write) msg.message()).data().length;
        } else if (msg.message() instanceof Message.Snapshot) {
            hint += ((Message.Snapshot) msg.message()).rgb().length * 4;
        }
        return preferDirect ? ctx.alloc().ioBuffer(hint) : ctx.alloc().heapBuffer(hint);
    }
}
