package org.anytls4j.anytls.testing;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.io.ByteArrayOutputStream;
import java.util.concurrent.CompletableFuture;

/** Collects inbound bytes; completes the pending expectation once enough arrived, or fails it on an exception. */
public final class ExpectingCollector extends ChannelInboundHandlerAdapter {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private CompletableFuture<byte[]> pending;
    private int expected;

    /** Forgets what arrived so far and waits for {@code count} bytes. */
    public synchronized CompletableFuture<byte[]> expect(int count) {
        bytes.reset();
        expected = count;
        pending = new CompletableFuture<>();
        return pending;
    }

    @Override
    public synchronized void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        try {
            byte[] chunk = new byte[buf.readableBytes()];
            buf.readBytes(chunk);
            bytes.writeBytes(chunk);
        } finally {
            buf.release();
        }
        if (pending != null && bytes.size() >= expected) {
            pending.complete(bytes.toByteArray());
            pending = null;
        }
    }

    @Override
    public synchronized void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (pending != null) {
            pending.completeExceptionally(cause);
        }
        ctx.close();
    }
}
