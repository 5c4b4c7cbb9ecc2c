package org.paneld.daemon.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import org.paneld.drivers.core.Fatal;

/**
 * Counts every encoded frame against the daemon-wide {@link MemoryBudget} from the moment it is
 * written until the socket took it (or the channel dropped it): output that a client does not
 * read is memory the daemon holds. The per-connection share is enforced by the connection
 * (from Netty's own count of its pending bytes); this handler makes the sum over all connections
 * visible to everything else that reserves from the budget. A write that fails with a fatal
 * error (OutOfMemoryError) ends the process ({@link Fatal}). Shared by all channels; event loops.
 */
@ChannelHandler.Sharable
final class OutputMeter extends ChannelOutboundHandlerAdapter {
    /** Netty's bookkeeping per queued message (ChannelOutboundBuffer's entry overhead). */
    static final int ENTRY_OVERHEAD = 96;

    private final MemoryBudget budget;

    OutputMeter(MemoryBudget budget) {
        this.budget = budget;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        long n = ENTRY_OVERHEAD + (msg instanceof ByteBuf ? ((ByteBuf) msg).readableBytes()
                : msg instanceof ByteBufHolder ? ((ByteBufHolder) msg).content().readableBytes() : 0);
        budget.forceReserve(n);
        ChannelPromise p = promise.unvoid();
        p.addListener(f -> {
            budget.release(n);
            if (!f.isSuccess()) {
                Fatal.exitIfFatal(f.cause(), "a write on " + ctx.channel());
            }
        });
        ctx.write(msg, p);
    }
}
