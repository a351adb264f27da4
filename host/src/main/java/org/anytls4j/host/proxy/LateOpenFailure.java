package org.anytls4j.host.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.anytls4j.transport.api.OpenRequest;
import org.anytls4j.transport.api.TransportException;

/**
 * On an early-data stream, reports the failure an unconfirmed open learns about later (the far end could not reach
 * the destination, {@code REMOTE_CONNECT}) to the open-failure log, as a failed confirmed open would have been; the
 * relay behind it then closes both sides, so the client sees its connection end. Steps aside once data arrives: a
 * stream that answered was connected.
 */
final class LateOpenFailure extends ChannelInboundHandlerAdapter {
    private final OpenFailureLog log;
    private final String transport;
    private final OpenRequest request;

    LateOpenFailure(OpenFailureLog log, String transport, OpenRequest request) {
        this.log = log;
        this.transport = transport;
        this.request = request;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ctx.pipeline().remove(this);
        ctx.fireChannelRead(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TransportException
                && ((TransportException) cause).phase() == TransportException.Phase.REMOTE_CONNECT) {
            log.failed(transport, request, cause);
        }
        ctx.fireExceptionCaught(cause);
    }
}
