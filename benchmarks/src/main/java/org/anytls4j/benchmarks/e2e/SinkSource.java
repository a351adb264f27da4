package org.anytls4j.benchmarks.e2e;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import org.anytls4j.anytls.io.IoRuntime;

import java.net.InetSocketAddress;

/**
 * The far end of every measured path: a TCP server on 127.0.0.1 that, after a 9-byte request ({@link Request}),
 * either sends the requested number of bytes (download) or swallows them and answers one byte (upload). A
 * connection that sends nothing just stays open (the stream-open and heap probes use that).
 */
final class SinkSource implements AutoCloseable {
    private final Channel listener;

    SinkSource(IoRuntime io) {
        listener = new ServerBootstrap()
                .group(io.group())
                .channel(io.serverSocketChannel())
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.pipeline().addLast(new Connection());
                    }
                })
                .bind("127.0.0.1", 0)
                .syncUninterruptibly()
                .channel();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
    }

    /** One accepted connection: reads the request, then plays source or sink. */
    private static final class Connection extends ChannelInboundHandlerAdapter {
        private final byte[] header = new byte[Request.LENGTH];
        private int headerRead;
        private Request request;
        private long remaining;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf data = (ByteBuf) msg;
            try {
                if (request == null) {
                    int take = Math.min(data.readableBytes(), header.length - headerRead);
                    data.readBytes(header, headerRead, take);
                    headerRead += take;
                    if (headerRead < header.length) {
                        return;
                    }
                    request = Request.decode(header);
                    remaining = request.bytes();
                    if (request.download()) {
                        pump(ctx);
                        return;
                    }
                }
                if (!request.download()) {
                    remaining -= data.readableBytes();
                    if (remaining <= 0) {
                        ctx.writeAndFlush(ctx.alloc().buffer(1).writeByte(1));
                    }
                }
            } finally {
                data.release();
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (request != null && request.download() && ctx.channel().isWritable()) {
                pump(ctx);
            }
            ctx.fireChannelWritabilityChanged();
        }

        private void pump(ChannelHandlerContext ctx) {
            boolean wrote = false;
            while (remaining > 0 && ctx.channel().isWritable()) {
                int chunk = (int) Math.min(remaining, Payload.CHUNK_SIZE);
                ctx.write(Payload.chunk(chunk), ctx.voidPromise());
                remaining -= chunk;
                wrote = true;
            }
            if (wrote) {
                ctx.flush();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // The client closing mid-transfer (end of a run) resets the connection: nothing to report.
            ctx.close();
        }
    }
}
