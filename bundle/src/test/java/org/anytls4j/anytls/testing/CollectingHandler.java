package org.anytls4j.anytls.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.io.ByteArrayOutputStream;
import java.util.concurrent.CompletableFuture;

/** Collects what a channel reads until {@code expected} bytes arrived, then completes {@link #done()}. */
public final class CollectingHandler extends ChannelInboundHandlerAdapter {
    private final int expected;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final CompletableFuture<byte[]> done = new CompletableFuture<>();
    private final CompletableFuture<Void> active = new CompletableFuture<>();

    public CollectingHandler(int expected) {
        this.expected = expected;
    }

    public CompletableFuture<byte[]> done() {
        return done;
    }

    public CompletableFuture<Void> active() {
        return active;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        active.complete(null);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf data = (ByteBuf) msg;
        try {
            byte[] bytes = ByteBufUtil.getBytes(data);
            received.write(bytes, 0, bytes.length);
        } finally {
            data.release();
        }
        if (received.size() >= expected) {
            done.complete(received.toByteArray());
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        done.completeExceptionally(new IllegalStateException(
                "closed after " + received.size() + " of " + expected + " bytes"));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        done.completeExceptionally(cause);
        ctx.close();
    }
}
