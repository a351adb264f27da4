package org.anytls4j.anytls.udp;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import org.anytls4j.testkit.BoundedWait;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A UDP echo server on a loopback address and a free port: every datagram goes back to its sender unchanged.
 * Counts what it echoed so tests can tell which server a reply really came from.
 */
final class UdpEchoServer implements AutoCloseable {
    private final Channel socket;
    private final AtomicInteger echoed = new AtomicInteger();
    private volatile InetSocketAddress lastSender;

    /** @param loopback {@code 127.0.0.1} or {@code ::1} */
    UdpEchoServer(EventLoopGroup group, String loopback) {
        socket = BoundedWait.sync(new Bootstrap()
                .group(group)
                .channel(NioDatagramChannel.class)
                // Netty's datagram default of 2048 bytes would truncate the large datagrams some tests send.
                .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(64 * 1024))
                .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
                        echoed.incrementAndGet();
                        lastSender = packet.sender();
                        ctx.writeAndFlush(new DatagramPacket(packet.content().retain(), packet.sender()));
                    }
                })
                .bind(new InetSocketAddress(loopback, 0)))
                .channel();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) socket.localAddress();
    }

    /** Where the last datagram came from: the AnyTLS server's UDP socket of the flow that sent it. */
    InetSocketAddress lastSender() {
        return lastSender;
    }

    int echoed() {
        return echoed.get();
    }

    @Override
    public void close() {
        BoundedWait.sync(socket.close());
    }
}
