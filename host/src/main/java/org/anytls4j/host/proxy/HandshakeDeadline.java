package org.anytls4j.host.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection whose client has not finished its proxy handshake (method choice, authentication and request)
 * in time, so idle or slow clients cannot hold connections open. The open that follows has its own time limit.
 */
final class HandshakeDeadline extends ChannelInboundHandlerAdapter {
    private static final System.Logger LOG = System.getLogger(HandshakeDeadline.class.getName());
    static final String NAME = "handshake-deadline";

    private final Duration timeout;
    private ScheduledFuture<?> expiry;

    HandshakeDeadline(Duration timeout) {
        this.timeout = timeout;
    }

    /** The client finished its part of the handshake: the deadline no longer applies. */
    static void met(ChannelPipeline pipeline) {
        if (pipeline.get(NAME) != null) {
            pipeline.remove(NAME);
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        expiry = ctx.executor().schedule(() -> {
            LOG.log(System.Logger.Level.DEBUG, () -> "closing " + ctx.channel() + ": no complete proxy request within "
                    + timeout.toMillis() + " ms");
            ctx.close();
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            // The client stopped sending before its request was complete: it never will be.
            ctx.close();
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        expiry.cancel(false);
    }
}
