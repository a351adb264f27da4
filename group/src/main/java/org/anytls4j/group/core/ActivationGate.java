package org.anytls4j.group.core;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.util.concurrent.Future;

/**
 * Stands in for the application's handler on one member's attempt, and puts the handler in its place only when the
 * member's channel becomes active. An attempt that fails therefore never touches the application's handler (a host
 * handler that closes its inbound channel when the outbound one closes would otherwise end the client connection
 * before the next member is tried), and a handler that is not {@code @Sharable} can be used on the one attempt that
 * succeeds. The application's handler then sees {@code channelRegistered} and {@code channelActive}, in that order,
 * as if it had been there from the start.
 */
final class ActivationGate extends ChannelInboundHandlerAdapter {
    private final ChannelHandler application;
    private final Future<Channel> groupOpen;

    ActivationGate(ChannelHandler application, Future<Channel> groupOpen) {
        this.application = application;
        this.groupOpen = groupOpen;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (groupOpen.isCancelled() || (groupOpen.isDone() && !groupOpen.isSuccess())) {
            ctx.close(); // the group gave up on this attempt (timeout, cancel): nobody wants the channel
            return;
        }
        ChannelPipeline pipeline = ctx.pipeline();
        pipeline.addAfter(ctx.name(), null, application);
        ctx.fireChannelRegistered();
        ctx.fireChannelActive();
        pipeline.remove(this);
    }
}
