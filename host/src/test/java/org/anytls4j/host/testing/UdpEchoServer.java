package org.anytls4j.host.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import org.anytls4j.testkit.BoundedWait;
import java.net.InetSocketAddress;

/** A UDP echo server on 127.0.0.1 and a free port: answers every datagram with its payload. */
public final class UdpEchoServer implements AutoCloseable {
    private final Channel socket;

    public UdpEchoServer(EventLoopGroup group) {
        socket = BoundedWait.sync(new Bootstrap()
                .group(group)
                .channel(NioDatagramChannel.class)
                .option(io.netty.channel.ChannelOption.RCVBUF_ALLOCATOR,
                        new io.netty.channel.FixedRecvByteBufAllocator(65536))
                .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
                        ctx.writeAndFlush(new DatagramPacket(packet.content().retain(), packet.sender()));
                    }
                })
                .bind("127.0.0.1", 0))
                .channel();
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) socket.localAddress();
    }

    @Override
    public void close() {
        BoundedWait.sync(socket.close());
    }
}
