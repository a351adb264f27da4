package org.anytls4j.anytls.hardening;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.io.ByteArrayOutputStream;
import java.util.concurrent.CompletableFuture;

/**
 * The host's side of one stream in these tests: counts the bytes that come back, and remembers how the stream ended
 * (the first exception the transport reported, or a plain close).
 */
final class StreamProbe extends ChannelInboundHandlerAdapter {
    private final int expected;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final CompletableFuture<byte[]> echoed = new CompletableFuture<>();
    private final CompletableFuture<Throwable> ended = new CompletableFuture<>();

    StreamProbe(int expected) {
        this.expected = expected;
    }

    /** Completes with the bytes once {@code expected} of them came back. */
    CompletableFuture<byte[]> echoed() {
        return echoed;
    }

    /** Completes when the stream closed: with the first failure reported on it, or null for a plain close. */
    CompletableFuture<Throwable> ended() {
        return ended;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf data = (ByteBuf) msg;
        try {
            received.writeBytes(ByteBufUtil.getBytes(data));
        } finally {
            data.release();
        }
        if (received.size() >= expected) {
            echoed.complete(received.toByteArray());
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ended.complete(cause);
        echoed.completeExceptionally(cause);
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        ended.complete(null);
        echoed.completeExceptionally(new IllegalStateException("closed after " + received.size() + " bytes"));
        ctx.fireChannelInactive();
    }
}
