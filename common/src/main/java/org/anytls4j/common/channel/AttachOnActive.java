package org.anytls4j.common.channel;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;

import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * Stands in for the application's handler on one attempt of an open, and puts the handler in its place only when
 * the attempt's channel becomes active (the open is confirmed). An attempt that fails, and is retried on a fresh
 * session or another group member with the same handler, therefore never touches it: a host handler that closes
 * its client connection when the outbound channel closes would otherwise end the request, and a handler that is
 * not {@code @Sharable} can be added only once. The application's handler then sees {@code channelRegistered} and
 * {@code channelActive}, in that order, as if it had been there from the start.
 */
public final class AttachOnActive extends ChannelInboundHandlerAdapter {
    private final ChannelHandler application;
    private final BooleanSupplier stillWanted;

    /** Attaches {@code application} whenever the channel becomes active. */
    public AttachOnActive(ChannelHandler application) {
        this(application, () -> true);
    }

    /**
     * Attaches {@code application} when the channel becomes active if {@code stillWanted} says so then; otherwise
     * (the opener gave up on this attempt: timeout, cancel) closes the channel, which nobody wants any more.
     */
    public AttachOnActive(ChannelHandler application, BooleanSupplier stillWanted) {
        this.application = Objects.requireNonNull(application, "application");
        this.stillWanted = Objects.requireNonNull(stillWanted, "stillWanted");
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (!stillWanted.getAsBoolean()) {
            ctx.close();
            return;
        }
        ChannelPipeline pipeline = ctx.pipeline();
        pipeline.addAfter(ctx.name(), null, application);
        ctx.fireChannelRegistered();
        ctx.fireChannelActive();
        pipeline.remove(this);
    }
}
