package org.anytls4j.host.io;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.anytls4j.host.direct.DirectTransport;
import org.anytls4j.host.testing.NioGroups;
import org.anytls4j.testkit.TcpEchoServer;
import org.anytls4j.transport.api.Destination;
import org.anytls4j.transport.api.OpenRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class HostLoopsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private EventLoopGroup hostGroup;
    private EventLoopGroup nioGroup;

    @AfterEach
    void shutdown() {
        if (hostGroup != null) {
            NioGroups.shutdown(hostGroup);
        }
        if (nioGroup != null) {
            NioGroups.shutdown(nioGroup);
        }
    }

    @Test
    void theHostRunsEpollWhereTheNativeTransportLoadsAndItsSocketTypesFollow() throws Exception {
        assumeTrue(Epoll.isAvailable(), "epoll does not load here");
        hostGroup = HostLoops.newGroup(1, new DefaultThreadFactory("host-loops-test", true));
        EventLoop loop = hostGroup.next();

        assertThat(((IoEventLoop) loop).isCompatible(EpollIoHandle.class)).isTrue();
        assertThat(HostLoops.runsEpoll(loop)).isTrue();
        assertThat(HostLoops.serverSocketChannel(hostGroup)).isEqualTo(EpollServerSocketChannel.class);
        assertThat(HostLoops.datagramChannel(loop)).isEqualTo(EpollDatagramChannel.class);
        // The types chosen actually register there: a listener and a UDP socket on 127.0.0.1.
        Channel listener = new ServerBootstrap().group(hostGroup).channel(HostLoops.serverSocketChannel(hostGroup))
                .childHandler(new ChannelInboundHandlerAdapter()).bind("127.0.0.1", 0).sync().channel();
        Channel udp = new Bootstrap().group(loop).channel(HostLoops.datagramChannel(loop))
                .handler(new ChannelInboundHandlerAdapter()).bind("127.0.0.1", 0).sync().channel();
        assertThat(((InetSocketAddress) listener.localAddress()).getPort()).isPositive();
        assertThat(((InetSocketAddress) udp.localAddress()).getPort()).isPositive();
        listener.close().sync();
        udp.close().sync();
    }

    @Test
    void aNioLoopGetsNioSocketTypes() {
        nioGroup = NioGroups.create("host-loops-nio");
        EventLoop loop = nioGroup.next();

        assertThat(HostLoops.runsEpoll(loop)).isFalse();
        assertThat(HostLoops.serverSocketChannel(nioGroup)).isEqualTo(NioServerSocketChannel.class);
        assertThat(HostLoops.datagramChannel(loop)).isEqualTo(NioDatagramChannel.class);
    }

    @Test
    void theDirectTransportOpensOnItsOwnLoopWhenTheHostsLoopRunsEpoll() throws Exception {
        assumeTrue(Epoll.isAvailable(), "epoll does not load here");
        hostGroup = HostLoops.newGroup(1, new DefaultThreadFactory("host-loops-epoll", true));
        nioGroup = NioGroups.create("host-loops-direct");
        try (TcpEchoServer echo = new TcpEchoServer(nioGroup);
             DirectTransport direct = DirectTransport.builder("direct", nioGroup).build()) {
            Future<Channel> open = direct.open(OpenRequest.tcp(Destination.of(echo.address())).build(),
                    new ChannelInboundHandlerAdapter(), hostGroup.next());

            assertThat(open.await(WAIT.toMillis())).isTrue();
            assertThat(open.isSuccess()).as("%s", open.cause()).isTrue();
            assertThat(HostLoops.runsEpoll(open.getNow().eventLoop())).isFalse();
            open.getNow().close().sync();
        }
    }
}
