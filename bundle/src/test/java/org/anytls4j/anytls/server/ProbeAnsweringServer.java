package org.anytls4j.anytls.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import org.anytls4j.testkit.BoundedWait;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A plain-TCP stand-in for a web server behind a fallback: it reads until the blank line that ends an HTTP request
 * head, answers {@code HTTP/1.0 200 OK}, a blank line and {@code GOT:} followed by exactly the bytes it received,
 * and closes. The answer thus proves which bytes arrived, in which order.
 */
final class ProbeAnsweringServer implements AutoCloseable {
    static final byte[] ANSWER_PREFIX = "HTTP/1.0 200 OK\r\n\r\nGOT:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END_OF_HEAD = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final Channel listener;

    ProbeAnsweringServer(EventLoopGroup group) {
        listener = BoundedWait.sync(new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.pipeline().addLast(new Answerer());
                    }
                })
                .bind("127.0.0.1", 0))
                .channel();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    static byte[] expectedAnswer(byte[] request) {
        byte[] answer = new byte[ANSWER_PREFIX.length + request.length];
        System.arraycopy(ANSWER_PREFIX, 0, answer, 0, ANSWER_PREFIX.length);
        System.arraycopy(request, 0, answer, ANSWER_PREFIX.length, request.length);
        return answer;
    }

    @Override
    public void close() {
        BoundedWait.sync(listener.close());
    }

    private static final class Answerer extends ChannelInboundHandlerAdapter {
        private final ByteArrayOutputStream request = new ByteArrayOutputStream();
        private boolean answered;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf data = (ByteBuf) msg;
            try {
                request.writeBytes(ByteBufUtil.getBytes(data));
            } finally {
                data.release();
            }
            byte[] soFar = request.toByteArray();
            if (!answered && endsWith(soFar, END_OF_HEAD)) {
                answered = true;
                ctx.writeAndFlush(ctx.alloc().buffer().writeBytes(expectedAnswer(soFar)))
                        .addListener(ChannelFutureListener.CLOSE);
            }
        }

        private static boolean endsWith(byte[] bytes, byte[] suffix) {
            if (bytes.length < suffix.length) {
                return false;
            }
            for (int i = 0; i < suffix.length; i++) {
                if (bytes[bytes.length - suffix.length + i] != suffix[i]) {
                    return false;
                }
            }
            return true;
        }
    }
}
