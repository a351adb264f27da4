package org.anytls4j.benchmarks.e2e;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;

import java.util.concurrent.CompletableFuture;

/**
 * The application end of one measured transfer, installed on a stream channel (AnyTLS) or after the SslHandler of a
 * plain TLS connection: on activation it sends the {@link Request}, then either counts the bytes that come back
 * (download) or writes its bytes as fast as the channel's writability allows and waits for the sink's one-byte
 * answer (upload). {@link #done()} completes with the nanoTime at which the last byte arrived.
 */
final class Transfer extends ChannelInboundHandlerAdapter {
    private final Request request;
    private final CompletableFuture<Long> done = new CompletableFuture<>();
    private volatile long startedNanos;
    private volatile String cipher = "unknown";
    private long toReceive;
    private long toSend;

    Transfer(Request request) {
        this.request = request;
        this.toReceive = request.download() ? request.bytes() : 1;
        this.toSend = request.download() ? 0 : request.bytes();
    }

    CompletableFuture<Long> done() {
        return done;
    }

    /** Protocol and cipher suite the transfer ran on, known once it started. */
    String cipher() {
        return cipher;
    }

    /** nanoTime when the request left; 0 before. */
    long startedNanos() {
        return startedNanos;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        SslHandler tls = ctx.pipeline().get(SslHandler.class);
        if (tls == null) {
            start(ctx);
        } else {
            // A plain TLS connection is active before its handshake; the AnyTLS stream only after its session's.
            // Starting both clocks after the handshake keeps handshakes out of both throughput figures.
            tls.handshakeFuture().addListener(handshake -> {
                if (handshake.isSuccess()) {
                    start(ctx);
                } else {
                    done.completeExceptionally(handshake.cause());
                }
            });
        }
        ctx.fireChannelActive();
    }

    private void start(ChannelHandlerContext ctx) {
        if (startedNanos != 0) {
            return;
        }
        cipher = Rig.cipherOf(ctx.channel());
        startedNanos = System.nanoTime();
        ctx.write(request.encode(ctx.alloc()), ctx.voidPromise());
        pump(ctx);
        ctx.flush();
    }

    private void pump(ChannelHandlerContext ctx) {
        boolean wrote = false;
        while (toSend > 0 && ctx.channel().isWritable()) {
            int chunk = (int) Math.min(toSend, Payload.CHUNK_SIZE);
            ctx.write(Payload.chunk(chunk), ctx.voidPromise());
            toSend -= chunk;
            wrote = true;
        }
        if (wrote) {
            ctx.flush();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            pump(ctx);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf data = (ByteBuf) msg;
        toReceive -= data.readableBytes();
        data.release();
        if (toReceive <= 0 && !done.isDone()) {
            done.complete(System.nanoTime());
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        done.completeExceptionally(new IllegalStateException(
                "the connection closed with " + toReceive + " bytes still to receive"));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        done.completeExceptionally(cause);
        ctx.close();
    }
}
