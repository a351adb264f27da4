package org.anytls4j.anytls.client;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;

/**
 * Holds the application's handler back until the stream is confirmed (becomes active), then puts it in its own
 * place. An open attempt on a reused session that turns out dead is retried on a fresh session with the same
 * handler: the dead attempt must not have touched it (a host handler that closes its client connection when the
 * outbound channel closes would end the request), and a handler that is not {@code @Sharable} can be added only
 * once. The application's handler then sees {@code channelRegistered} and {@code channelActive}, in that order, as
 * if it had been there from the start.
 */
final class AttachOnActive extends ChannelInboundHandlerAdapter {
    private final ChannelHandler application;

    AttachOnActive(ChannelHandler application) {
        this.application = application;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ChannelPipeline pipeline = ctx.pipeline();
        pipeline.addAfter(ctx.name(), null, application);
        ctx.fireChannelRegistered();
        ctx.fireChannelActive();
        pipeline.remove(this);
    }
}
