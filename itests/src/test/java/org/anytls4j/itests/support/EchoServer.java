package org.anytls4j.itests.support;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.anytls4j.testkit.BoundedWait;

import java.net.InetSocketAddress;

/** A TCP echo server on 127.0.0.1 and an ephemeral port that knows which connections are open. */
public final class EchoServer implements AutoCloseable {
    private final Channel listener;
    private final ChannelGroup connections = new DefaultChannelGroup("echo", GlobalEventExecutor.INSTANCE);

    public EchoServer(EventLoopGroup group) {
        listener = BoundedWait.sync(new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new Echo())
                .bind("127.0.0.1", 0))
                .channel();
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    /** Connections open now (a closed one leaves the group by itself). */
    public int openConnections() {
        return connections.size();
    }

    @Override
    public void close() {
        BoundedWait.sync(connections.close());
        BoundedWait.sync(listener.close());
    }

    @ChannelHandler.Sharable
    private final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            connections.add(ctx.channel());
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }
    }
}
