package org.anytls4j.host.direct;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import org.anytls4j.common.stats.TransportCounters;

/** Counts the payload bytes a direct channel reads and writes, next to the socket, into {@link TransportCounters}. */
@ChannelHandler.Sharable
final class TrafficCounter extends ChannelDuplexHandler {
    private final TransportCounters stats;

    TrafficCounter(TransportCounters stats) {
        this.stats = stats;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        stats.bytesIn(size(msg));
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        // Counted when handed to the socket: the promise may be a void one, which takes no listener.
        stats.bytesOut(size(msg));
        ctx.write(msg, promise);
    }

    private static long size(Object msg) {
        if (msg instanceof ByteBuf) {
            return ((ByteBuf) msg).readableBytes();
        }
        return msg instanceof ByteBufHolder ? ((ByteBufHolder) msg).content().readableBytes() : 0;
    }
}
