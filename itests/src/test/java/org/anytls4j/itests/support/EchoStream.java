package org.anytls4j.itests.support;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.Future;
import org.anytls4j.transport.api.Destination;
import org.anytls4j.transport.api.OpenRequest;
import org.anytls4j.transport.api.netty.NettyOutboundTransport;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One stream to an echo server through a transport, as a host would use it: the handler the transport installs,
 * round trips that complete when the echo is back, and how the stream ended.
 */
public final class EchoStream extends ChannelInboundHandlerAdapter {
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final CompletableFuture<Throwable> failure = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private CompletableFuture<byte[]> pending;
    private int expected;
    private volatile Channel channel;

    /** Starts opening a stream; the future fails if the open fails. */
    public static CompletableFuture<EchoStream> open(NettyOutboundTransport transport, InetSocketAddress echo) {
        EchoStream stream = new EchoStream();
        CompletableFuture<EchoStream> opened = new CompletableFuture<>();
        Future<Channel> open = transport.open(OpenRequest.tcp(Destination.of(echo)).build(), stream, null);
        open.addListener(done -> {
            if (done.isSuccess()) {
                stream.channel = open.getNow();
                opened.complete(stream);
            } else {
                opened.completeExceptionally(done.cause());
            }
        });
        return opened;
    }

    /** Opens a stream and waits for it. */
    public static EchoStream openNow(NettyOutboundTransport transport, InetSocketAddress echo, Duration timeout)
            throws Exception {
        return open(transport, echo).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public Channel channel() {
        return channel;
    }

    /** Sends {@code payload}; completes with what came back once as many bytes returned. */
    public CompletableFuture<byte[]> roundTrip(byte[] payload) {
        CompletableFuture<byte[]> echoed = new CompletableFuture<>();
        synchronized (this) {
            if (pending != null && !pending.isDone()) {
                throw new IllegalStateException("a round trip is already under way");
            }
            received.reset();
            expected = payload.length;
            pending = echoed;
        }
        channel.writeAndFlush(Unpooled.wrappedBuffer(payload)).addListener(write -> {
            if (!write.isSuccess()) {
                echoed.completeExceptionally(write.cause());
            }
        });
        return echoed;
    }

    /** Round trip of {@code payload}, waiting; throws if what came back differs. */
    public void echo(byte[] payload, Duration timeout) throws Exception {
        byte[] back = roundTrip(payload).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!Arrays.equals(back, payload)) {
            throw new AssertionError("echo returned other bytes than sent");
        }
    }

    /** Completes with the exception the stream's pipeline saw, or null if it closed without one. */
    public CompletableFuture<Throwable> failure() {
        return failure;
    }

    /** Completes when the stream channel closed. */
    public CompletableFuture<Void> closed() {
        return closed;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf data = (ByteBuf) msg;
        try {
            CompletableFuture<byte[]> done = null;
            byte[] bytes = null;
            synchronized (this) {
                data.readBytes(received, data.readableBytes());
                if (pending != null && received.size() >= expected) {
                    done = pending;
                    bytes = received.toByteArray();
                    pending = null;
                }
            }
            if (done != null) {
                done.complete(bytes);
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } finally {
            data.release();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        failure.complete(cause);
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        failure.complete(null);
        closed.complete(null);
        CompletableFuture<byte[]> orphan;
        synchronized (this) {
            orphan = pending;
            pending = null;
        }
        if (orphan != null) {
            orphan.completeExceptionally(new IllegalStateException("the stream closed before the echo came back"));
        }
        ctx.fireChannelInactive();
    }
}
