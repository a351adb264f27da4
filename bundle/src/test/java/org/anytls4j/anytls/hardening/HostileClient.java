package org.anytls4j.anytls.hardening;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import org.anytls4j.anytls.wire.AuthBlock;
import org.anytls4j.testkit.BoundedWait;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** A TLS client on 127.0.0.1 that writes whatever bytes the test hands it, well-formed AnyTLS or not. */
final class HostileClient implements AutoCloseable {
    private final Channel channel;

    private HostileClient(Channel channel) {
        this.channel = channel;
    }

    /** Connects and finishes the TLS handshake; {@code read} false never reads what the server sends. */
    static HostileClient connect(EventLoopGroup group, SslContext tls, InetSocketAddress server, boolean read)
            throws Exception {
        Channel channel = BoundedWait.sync(new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(tls.newHandler(ch.alloc(), "localhost", server.getPort()));
                        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                ReferenceCountUtil.release(msg);
                            }

                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                ctx.close();
                            }
                        });
                    }
                })
                .connect(server)).channel();
        Future<Channel> handshake = channel.pipeline().get(SslHandler.class).handshakeFuture();
        if (!handshake.await(20, TimeUnit.SECONDS) || !handshake.isSuccess()) {
            channel.close();
            throw new AssertionError("TLS handshake failed", handshake.cause());
        }
        if (!read) {
            channel.config().setAutoRead(false);
        }
        return new HostileClient(channel);
    }

    /** The authentication block for {@code password}, announcing {@code paddingLength} but carrying none of it. */
    static byte[] authHeader(String password, int paddingLength) {
        return ByteBuffer.allocate(AuthBlock.HEADER_LENGTH).put(AuthBlock.passwordHash(password))
                .putShort((short) paddingLength).array();
    }

    static byte[] frame(int command, int streamId, byte[] body) {
        return ByteBuffer.allocate(7 + body.length).put((byte) command).putInt(streamId)
                .putShort((short) body.length).put(body).array();
    }

    static byte[] settings() {
        return frame(4, 0, "v=2\nclient=hostile\npadding-md5=x".getBytes(StandardCharsets.UTF_8));
    }

    void send(byte[]... parts) {
        channel.writeAndFlush(Unpooled.wrappedBuffer(parts));
    }

    /** Sends one byte of {@code data} every {@code periodMillis}: a slowloris. */
    void dribble(byte[] data, long periodMillis) {
        int[] next = {0};
        Future<?> ticks = channel.eventLoop().scheduleAtFixedRate(() -> {
            if (next[0] < data.length && channel.isActive()) {
                channel.writeAndFlush(Unpooled.wrappedBuffer(data, next[0]++, 1));
            }
        }, 0, periodMillis, TimeUnit.MILLISECONDS);
        channel.closeFuture().addListener(closed -> ticks.cancel(false));
    }

    Channel channel() {
        return channel;
    }

    /** Waits for the server to close the connection; false if it is still open after {@code millis}. */
    boolean awaitClosedBy(long millis) throws InterruptedException {
        return channel.closeFuture().await(millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        BoundedWait.sync(channel.close());
    }
}
