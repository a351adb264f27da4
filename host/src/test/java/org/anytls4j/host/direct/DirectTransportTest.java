package org.anytls4j.host.direct;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.resolver.AddressResolver;
import io.netty.util.concurrent.Future;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.anytls4j.host.testing.NioGroups;
import org.anytls4j.testkit.BoundedWait;
import org.anytls4j.testkit.ScriptedResolvers;
import org.anytls4j.testkit.TcpEchoServer;
import org.anytls4j.host.testing.UdpEchoServer;
import org.anytls4j.transport.api.Destination;
import org.anytls4j.transport.api.OpenRequest;
import org.anytls4j.transport.api.TransportException;
import org.anytls4j.transport.api.TransportException.Reason;
import org.anytls4j.transport.api.TransportHealth;
import org.anytls4j.transport.api.UdpMode;
import org.anytls4j.transport.api.netty.TransportAttributes;
import org.anytls4j.transport.api.netty.TransportDatagram;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The direct transport against loopback servers and scripted resolvers. */
class DirectTransportTest {
    private static final long WAIT_SECONDS = 10;
    private static EventLoopGroup group;
    private static TcpEchoServer tcpEcho;
    private static UdpEchoServer udpEcho;
    private DirectTransport transport;

    @BeforeAll
    static void start() {
        group = NioGroups.create("direct-test");
        tcpEcho = new TcpEchoServer(group);
        udpEcho = new UdpEchoServer(group);
    }

    @AfterAll
    static void stop() {
        udpEcho.close();
        tcpEcho.close();
        NioGroups.shutdown(group);
    }

    @AfterEach
    void closeTransport() {
        if (transport != null) {
            transport.close();
        }
    }

    private DirectTransport transport(DirectTransport.Builder builder) {
        transport = builder.bindAddress(InetAddress.getLoopbackAddress()).build();
        return transport;
    }

    private DirectTransport transport() {
        return transport(DirectTransport.builder("direct-test", group));
    }

    private static Future<Channel> await(Future<Channel> open) throws InterruptedException {
        assertThat(open.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("open completes").isTrue();
        return open;
    }

    private static TransportException failure(Future<Channel> open) throws InterruptedException {
        await(open);
        assertThat(open.cause()).isInstanceOf(TransportException.class);
        return (TransportException) open.cause();
    }

    /** Collects what a stream channel reads and whether channelActive came before the open completed. */
    private static final class Collector extends ChannelInboundHandlerAdapter {
        final CompletableFuture<String> text = new CompletableFuture<>();
        final CompletableFuture<Boolean> active = new CompletableFuture<>();
        private final StringBuilder received = new StringBuilder();
        private final int expected;

        Collector(int expected) {
            this.expected = expected;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            active.complete(true);
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            received.append(buf.toString(StandardCharsets.US_ASCII));
            buf.release();
            if (received.length() >= expected) {
                text.complete(received.toString());
            }
        }
    }

    @Test
    void tcpStreamToAnIpEchoesAndCarriesTheAttributes() throws Exception {
        Collector collector = new Collector(5);
        OpenRequest request = OpenRequest.tcp(Destination.of(tcpEcho.address())).build();
        Future<Channel> open = await(transport().open(request, collector, group.next()));
        assertThat(open.isSuccess()).isTrue();
        Channel stream = open.getNow();
        assertThat(stream.attr(TransportAttributes.REQUEST).get()).isEqualTo(request);
        assertThat(stream.attr(TransportAttributes.CHAIN).get()).isEqualTo(List.of("direct-test"));
        assertThat(stream.attr(TransportAttributes.CONFIRMED).get()).isTrue();
        assertThat(stream.attr(TransportAttributes.UPSTREAM).get()).isEqualTo(tcpEcho.address());
        stream.writeAndFlush(Unpooled.copiedBuffer("hello", StandardCharsets.US_ASCII));
        assertThat(collector.text.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("hello");
        assertThat(collector.active.getNow(false)).isTrue();
        stream.close().await(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(transport.stats().opensSucceeded()).isEqualTo(1);
        assertThat(transport.stats().bytesOut()).isEqualTo(5);
        assertThat(transport.stats().bytesIn()).isEqualTo(5);
        assertThat(transport.health().state()).isEqualTo(TransportHealth.State.UP);
    }

    @Test
    void localhostIsResolvedWithoutBlockingAndStaysADomain() throws Exception {
        Collector collector = new Collector(2);
        Destination byName = Destination.ofHost("localhost", tcpEcho.address().getPort());
        Future<Channel> open = await(transport().open(OpenRequest.tcp(byName).build(), collector, null));
        assertThat(open.isSuccess()).as("open of localhost: %s", open.cause()).isTrue();
        Channel stream = open.getNow();
        assertThat(((InetSocketAddress) stream.remoteAddress()).isUnresolved()).isTrue();
        assertThat(((InetSocketAddress) stream.remoteAddress()).getHostString()).isEqualTo("localhost");
        assertThat(stream.attr(TransportAttributes.UPSTREAM).get().getAddress().isLoopbackAddress()).isTrue();
        stream.writeAndFlush(Unpooled.copiedBuffer("ok", StandardCharsets.US_ASCII));
        assertThat(collector.text.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("ok");
        stream.close();
    }

    @Test
    void aClosedPortIsDestinationRefused() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        Collector collector = new Collector(1);
        TransportException failure = failure(transport().open(OpenRequest.tcp(
                Destination.of(InetAddress.getLoopbackAddress(), closedPort)).build(), collector, null));
        assertThat(failure.reason()).isEqualTo(Reason.DESTINATION_REFUSED);
        assertThat(failure.retryable()).isTrue();
        assertThat(failure.getMessage()).contains("127.0.0.1:" + closedPort);
        assertThat(collector.active).isNotDone();
        assertThat(transport.stats().failures(Reason.DESTINATION_REFUSED)).isEqualTo(1);
        assertThat(transport.health().state()).isEqualTo(TransportHealth.State.DEGRADED);
    }

    @Test
    void anUnknownNameIsDestinationDns() throws Exception {
        transport(DirectTransport.builder("direct-test", group)
                .resolver(new ScriptedResolvers(promise -> promise.setFailure(new UnknownHostException("no.such")))));
        TransportException failure = failure(transport.open(
                OpenRequest.tcp(Destination.ofHost("no.such", 80)).build(), new Collector(1), null));
        assertThat(failure.reason()).isEqualTo(Reason.DESTINATION_DNS);
        assertThat(failure.getMessage()).contains("no.such:80");
    }

    @Test
    void theRequestsOpenTimeoutEndsAHangingOpenAsTimeout() throws Exception {
        transport(DirectTransport.builder("direct-test", group).connectTimeout(Duration.ofSeconds(30))
                .resolver(new ScriptedResolvers(promise -> { }))); // never answers
        OpenRequest request = OpenRequest.tcp(Destination.ofHost("slow.example", 80))
                .openTimeout(Duration.ofMillis(100)).build();
        TransportException failure = failure(transport.open(request, new Collector(1), null));
        assertThat(failure.reason()).isEqualTo(Reason.TIMEOUT);
        assertThat(failure.getMessage()).contains("within 100 ms");
    }

    @Test
    void aCancelledOpenIsCountedAsCancelled() throws Exception {
        transport(DirectTransport.builder("direct-test", group).resolver(new ScriptedResolvers(promise -> { })));
        Future<Channel> open = transport.open(OpenRequest.tcp(Destination.ofHost("slow.example", 80)).build(),
                new Collector(1), null);
        assertThat(open.cancel(false)).isTrue();
        assertThat(open.isCancelled()).isTrue();
        assertThat(transport.stats().failures(Reason.CANCELLED)).isEqualTo(1);
        assertThat(transport.health().state()).isEqualTo(TransportHealth.State.UNKNOWN);
    }

    @Test
    void aClosedTransportRefusesWithShutdown() throws Exception {
        transport().close();
        TransportException failure = failure(transport.open(OpenRequest.tcp(Destination.of(tcpEcho.address()))
                .build(), new Collector(1), null));
        assertThat(failure.reason()).isEqualTo(Reason.SHUTDOWN);
    }

    private static final class DatagramCollector extends SimpleChannelInboundHandler<TransportDatagram> {
        final CompletableFuture<String> received = new CompletableFuture<>();

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, TransportDatagram datagram) {
            received.complete(datagram.peer() + " " + datagram.content().toString(StandardCharsets.US_ASCII));
        }
    }

    @Test
    void connectedUdpFlowTagsRepliesWithTheDestination() throws Exception {
        DatagramCollector collector = new DatagramCollector();
        Destination echo = Destination.ofHost("localhost", udpEcho.address().getPort());
        Future<Channel> open = await(transport().open(OpenRequest.udp(echo, UdpMode.CONNECTED).build(),
                collector, null));
        assertThat(open.isSuccess()).as("open: %s", open.cause()).isTrue();
        Destination ignored = Destination.ofHost("ignored.example", 1);
        open.getNow().writeAndFlush(new TransportDatagram(Unpooled.copiedBuffer("ping", StandardCharsets.US_ASCII),
                ignored));
        assertThat(collector.received.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(echo + " ping");
        assertThat(transport.stats().datagramFlowsActive()).isEqualTo(1);
        open.getNow().close().await(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void associationResolvesEachPeerAndReportsRepliesUnderTheDomain() throws Exception {
        DatagramCollector collector = new DatagramCollector();
        Future<Channel> open = await(transport().open(OpenRequest.udp(Destination.ofHostAnyPort("0.0.0.0", 0),
                UdpMode.ASSOCIATION).build(), collector, null));
        assertThat(open.isSuccess()).as("open: %s", open.cause()).isTrue();
        Destination peer = Destination.ofHost("localhost", udpEcho.address().getPort());
        open.getNow().writeAndFlush(new TransportDatagram(Unpooled.copiedBuffer("pong", StandardCharsets.US_ASCII),
                peer));
        assertThat(collector.received.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(peer + " pong");
        open.getNow().close();
    }

    @Test
    void associationRejectsPortZeroAndForeignMessages() throws Exception {
        Future<Channel> open = await(transport().open(OpenRequest.udp(Destination.ofHostAnyPort("0.0.0.0", 0),
                UdpMode.ASSOCIATION).build(), new DatagramCollector(), null));
        Channel flow = open.getNow();
        ByteBuf payload = Unpooled.copiedBuffer("x", StandardCharsets.US_ASCII);
        Future<Void> portZero = BoundedWait.done(flow.writeAndFlush(new TransportDatagram(payload,
                Destination.ofHostAnyPort("127.0.0.1", 0))));
        assertThat(portZero.cause()).hasMessageContaining("port 0");
        assertThat(payload.refCnt()).isZero();
        ByteBuf foreign = Unpooled.copiedBuffer("y", StandardCharsets.US_ASCII);
        assertThat(BoundedWait.done(flow.writeAndFlush(foreign)).cause()).hasMessageContaining("TransportDatagram");
        assertThat(foreign.refCnt()).isZero();
        flow.close();
    }
}
