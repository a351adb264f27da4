package org.anytls4j.anytls.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * Copies what one channel reads into another, with backpressure: when the target cannot take more, the source stops
 * reading until it can. Closing either side closes the other after pending writes are flushed.
 *
 * <p>Install one on each side, each pointing at the other.
 */
public final class RelayHandler extends ChannelInboundHandlerAdapter {
    private final Channel target;

    public RelayHandler(Channel target) {
        this.target = target;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!target.isActive()) {
            ReferenceCountUtil.release(msg);
            return;
        }
        target.write(msg, target.voidPromise());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        target.flush();
        if (!target.isWritable()) {
            ctx.channel().config().setAutoRead(false);
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // Our channel drained: let the other side read again.
        if (ctx.channel().isWritable()) {
            target.config().setAutoRead(true);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closeAfterFlush(target);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
        closeAfterFlush(target);
    }

    static void closeAfterFlush(Channel channel) {
        if (channel.isActive()) {
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } else {
            channel.close();
        }
    }
}
