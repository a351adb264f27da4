package org.anytls4j.anytls.udp;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.Future;
import org.anytls4j.anytls.client.AnyTlsClientTransport;
import org.anytls4j.anytls.client.pool.PoolOptions;
import org.anytls4j.anytls.io.IoRuntime;
import org.anytls4j.anytls.server.AnyTlsServer;
import org.anytls4j.anytls.session.ServerUsers;
import org.anytls4j.anytls.tls.ClientTlsOptions;
import org.anytls4j.anytls.tls.TlsProvider;
import org.anytls4j.testkit.BoundedWait;
import org.anytls4j.testkit.TestCertificates;
import org.anytls4j.transport.api.Destination;
import org.anytls4j.transport.api.OpenRequest;
import org.anytls4j.transport.api.UdpMode;
import org.anytls4j.transport.api.netty.TransportAttributes;
import org.anytls4j.transport.api.netty.TransportDatagram;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * UDP flows as a host uses them: the client transport against the server engine over real TLS on loopback,
 * relaying to UDP echo servers.
 */
class UdpLoopbackTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static IoRuntime io;
    private static UdpEchoServer echo;
    private static UdpEchoServer otherEcho;
    private static AnyTlsServer server;
    private static int serverPort;
    private static Path trustedCertificate;
    private AnyTlsClientTransport transport;
    private AnyTlsServer extraServer;

    @BeforeAll
    static void start() throws Exception {
        io = IoRuntime.create(IoRuntime.Kind.NIO, 2, "udp-test");
        echo = new UdpEchoServer(io.group(), "127.0.0.1");
        otherEcho = new UdpEchoServer(io.group(), "127.0.0.1");
        server = newServer(Duration.ofSeconds(60));
        serverPort = startOnFreePort(server);
        trustedCertificate = Files.createTempFile("anytls-udp-test-ca", ".pem");
        Files.writeString(trustedCertificate, "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(TestCertificates.localhost().getCertificate().getEncoded())
                + "\n-----END CERTIFICATE-----\n");
    }

    private static AnyTlsServer newServer(Duration udpIdleTimeout) throws Exception {
        SslContext serverTls = TestCertificates.serverContext();
        AnyTlsServer started = AnyTlsServer.builder("udp-loopback", io, () -> serverTls, ServerUsers.single("u", "pw"))
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .udpIdleTimeout(udpIdleTimeout)
                .build();
        return started;
    }

    /** Starts {@code started} and returns its port. */
    private static int startOnFreePort(AnyTlsServer started) {
        // The bound address from the bind itself: localAddress() is set by a listener that may run after the bind
        // future wakes this thread.
        return ((InetSocketAddress) BoundedWait.sync(started.start()).channel().localAddress()).getPort();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        echo.close();
        otherEcho.close();
        io.close();
        Files.deleteIfExists(trustedCertificate);
    }

    @AfterEach
    void closeTransport() {
        if (transport != null) {
            transport.close();
        }
        if (extraServer != null) {
            extraServer.close();
        }
    }

    private AnyTlsClientTransport transport(int port, Duration synackTimeout) {
        transport = AnyTlsClientTransport.builder("udp-transport", io)
                .server("localhost", port)
                .password("pw")
                .tls(ClientTlsOptions.builder().trustedCertificatesPem(trustedCertificate)
                        .provider(TlsProvider.JDK).build())
                .pool(PoolOptions.defaults())
                .synackTimeout(synackTimeout)
                .build();
        return transport;
    }

    private AnyTlsClientTransport transport() {
        return transport(serverPort, Duration.ofSeconds(3));
    }

    private Channel open(OpenRequest request, DatagramCollector collector) throws Exception {
        Future<Channel> open = transport.open(request, collector, null);
        assertThat(open.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).as("open completed").isTrue();
        if (!open.isSuccess()) {
            throw new AssertionError("open failed", open.cause());
        }
        return open.getNow();
    }

    private static void send(Channel flow, Destination peer, byte[] payload) throws Exception {
        ChannelFuture written = flow.writeAndFlush(new TransportDatagram(Unpooled.wrappedBuffer(payload), peer));
        assertThat(written.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        if (!written.isSuccess()) {
            throw new AssertionError("write failed", written.cause());
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static Destination any() throws Exception {
        return Destination.ofAnyPort(InetAddress.getByName("0.0.0.0"), 0);
    }

    @Test
    void connectModeEchoesAndTagsRepliesWithTheDestination() throws Exception {
        transport();
        Destination target = Destination.of(echo.address());
        DatagramCollector collector = new DatagramCollector();
        Channel flow = open(OpenRequest.udp(target, UdpMode.CONNECTED).build(), collector);
        assertThat(flow.attr(TransportAttributes.CONFIRMED).get()).isTrue();
        assertThat(transport.stats().datagramFlowsActive()).isEqualTo(1);

        send(flow, target, bytes("ping"));
        send(flow, target, bytes("pong"));
        DatagramCollector.Received first = collector.next(TIMEOUT);
        assertThat(first.peer()).isEqualTo(target);
        assertThat(first.payload()).isEqualTo(bytes("ping"));
        assertThat(collector.next(TIMEOUT).payload()).isEqualTo(bytes("pong"));

        flow.close().await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        awaitIdle(1);
        assertThat(transport.stats().datagramFlowsActive()).isZero();
    }

    @Test
    void associationModeReachesTwoServersThroughOneFlowAndTagsEachReply() throws Exception {
        transport();
        Destination first = Destination.of(echo.address());
        Destination second = Destination.of(otherEcho.address());
        int firstBefore = echo.echoed();
        int secondBefore = otherEcho.echoed();
        DatagramCollector collector = new DatagramCollector();
        Channel flow = open(OpenRequest.udp(any(), UdpMode.ASSOCIATION).build(), collector);

        send(flow, first, bytes("to first"));
        DatagramCollector.Received reply = collector.next(TIMEOUT);
        assertThat(reply.peer()).isEqualTo(first);
        assertThat(reply.payload()).isEqualTo(bytes("to first"));
        send(flow, second, bytes("to second"));
        reply = collector.next(TIMEOUT);
        assertThat(reply.peer()).isEqualTo(second);
        assertThat(reply.payload()).isEqualTo(bytes("to second"));
        send(flow, first, bytes("first again"));
        reply = collector.next(TIMEOUT);
        assertThat(reply.peer()).isEqualTo(first);
        assertThat(reply.payload()).isEqualTo(bytes("first again"));

        assertThat(echo.echoed() - firstBefore).isEqualTo(2);
        assertThat(otherEcho.echoed() - secondBefore).isEqualTo(1);
        flow.close();
    }

    @Test
    void onlyTheDestinationIsHeardInConnectModeWhileAnAssociationHearsEveryone() throws Exception {
        transport();
        Destination target = Destination.of(echo.address());
        DatagramCollector connected = new DatagramCollector();
        Channel connectFlow = open(OpenRequest.udp(target, UdpMode.CONNECTED).build(), connected);
        send(connectFlow, target, bytes("hello"));
        assertThat(connected.next(TIMEOUT).payload()).isEqualTo(bytes("hello"));
        InetSocketAddress connectSocket = echo.lastSender();

        DatagramCollector associated = new DatagramCollector();
        Channel associationFlow = open(OpenRequest.udp(any(), UdpMode.ASSOCIATION).build(), associated);
        send(associationFlow, target, bytes("hello"));
        assertThat(associated.next(TIMEOUT).payload()).isEqualTo(bytes("hello"));
        InetSocketAddress associationSocket = echo.lastSender();

        Channel stranger = BoundedWait.sync(new Bootstrap().group(io.group()).channel(NioDatagramChannel.class)
                .handler(new io.netty.channel.ChannelInboundHandlerAdapter())
                .bind(new InetSocketAddress("127.0.0.1", 0))).channel();
        try {
            for (InetSocketAddress socket : new InetSocketAddress[] {connectSocket, associationSocket}) {
                BoundedWait.sync(stranger.writeAndFlush(new io.netty.channel.socket.DatagramPacket(
                        Unpooled.wrappedBuffer(bytes("stranger")),
                        new InetSocketAddress("127.0.0.1", socket.getPort()))));
            }
            // Full cone: the association reports the stranger under its own address.
            DatagramCollector.Received heard = associated.next(TIMEOUT);
            assertThat(heard.peer()).isEqualTo(Destination.of((InetSocketAddress) stranger.localAddress()));
            assertThat(heard.payload()).isEqualTo(bytes("stranger"));
            // The connected flow would have to attribute it to its destination, so it is dropped: the next datagram
            // the host sees is the real echo sent after the stranger's datagram arrived at the server.
            send(connectFlow, target, bytes("genuine"));
            assertThat(connected.next(TIMEOUT).payload()).isEqualTo(bytes("genuine"));
        } finally {
            BoundedWait.sync(stranger.close());
        }
        connectFlow.close();
        associationFlow.close();
    }

    @Test
    void ipv6LoopbackInBothModes() throws Exception {
        assumeTrue(ipv6LoopbackWorks(), "this machine has no IPv6 loopback");
        try (UdpEchoServer echo6 = new UdpEchoServer(io.group(), "::1")) {
            transport();
            Destination target = Destination.of(echo6.address());
            assertThat(target.kind()).isEqualTo(Destination.Kind.IPV6);

            DatagramCollector connected = new DatagramCollector();
            Channel connectFlow = open(OpenRequest.udp(target, UdpMode.CONNECTED).build(), connected);
            send(connectFlow, target, bytes("v6 connected"));
            DatagramCollector.Received reply = connected.next(TIMEOUT);
            assertThat(reply.peer()).isEqualTo(target);
            assertThat(reply.payload()).isEqualTo(bytes("v6 connected"));

            DatagramCollector associated = new DatagramCollector();
            Channel associationFlow = open(OpenRequest.udp(any(), UdpMode.ASSOCIATION).build(), associated);
            send(associationFlow, target, bytes("v6 association"));
            reply = associated.next(TIMEOUT);
            assertThat(reply.peer()).isEqualTo(target);
            assertThat(reply.payload()).isEqualTo(bytes("v6 association"));
            // The same flow mixes families: IPv4 peers still work next to the IPv6 one.
            Destination v4 = Destination.of(echo.address());
            send(associationFlow, v4, bytes("v4 too"));
            reply = associated.next(TIMEOUT);
            assertThat(reply.peer()).isEqualTo(v4);
            assertThat(reply.payload()).isEqualTo(bytes("v4 too"));
            connectFlow.close();
            associationFlow.close();
        }
    }

    private static boolean ipv6LoopbackWorks() {
        try {
            Channel probe = BoundedWait.sync(new Bootstrap().group(io.group()).channel(NioDatagramChannel.class)
                    .handler(new io.netty.channel.ChannelInboundHandlerAdapter())
                    .bind(new InetSocketAddress("::1", 0))).channel();
            BoundedWait.sync(probe.close());
            return true;
        } catch (Exception noIpv6) {
            return false;
        }
    }

    @Test
    void aDomainDestinationStaysADomainInConnectMode() throws Exception {
        transport();
        Destination named = Destination.ofHost("localhost", echo.address().getPort());
        DatagramCollector collector = new DatagramCollector();
        Channel flow = open(OpenRequest.udp(named, UdpMode.CONNECTED).build(), collector);
        send(flow, named, bytes("by name"));
        DatagramCollector.Received reply = collector.next(TIMEOUT);
        assertThat(reply.peer()).isEqualTo(named);
        assertThat(reply.peer().isDomain()).isTrue();
        assertThat(reply.payload()).isEqualTo(bytes("by name"));
        flow.close();
    }

    @Test
    void aDomainPeerStaysADomainInAssociationMode() throws Exception {
        transport();
        Destination named = Destination.ofHost("localhost", echo.address().getPort());
        Destination literal = Destination.of(otherEcho.address());
        DatagramCollector collector = new DatagramCollector();
        Channel flow = open(OpenRequest.udp(any(), UdpMode.ASSOCIATION).build(), collector);
        send(flow, named, bytes("by name"));
        DatagramCollector.Received reply = collector.next(TIMEOUT);
        assertThat(reply.peer()).isEqualTo(named);
        assertThat(reply.payload()).isEqualTo(bytes("by name"));
        // A peer sent to by address is reported by address.
        send(flow, literal, bytes("by address"));
        reply = collector.next(TIMEOUT);
        assertThat(reply.peer()).isEqualTo(literal);
        assertThat(reply.payload()).isEqualTo(bytes("by address"));
        flow.close();
    }

    @Test
    void aThousandDatagramsEachWayArriveIntactInConnectMode() throws Exception {
        aThousandDatagramsEachWay(UdpMode.CONNECTED);
    }

    @Test
    void aThousandDatagramsEachWayArriveIntactInAssociationMode() throws Exception {
        aThousandDatagramsEachWay(UdpMode.ASSOCIATION);
    }

    private void aThousandDatagramsEachWay(UdpMode mode) throws Exception {
        transport();
        Destination target = Destination.of(echo.address());
        DatagramCollector collector = new DatagramCollector();
        Channel flow = open(OpenRequest.udp(mode == UdpMode.CONNECTED ? target : any(), mode).build(), collector);
        Random random = new Random(1000 + mode.ordinal());
        Map<Integer, byte[]> sent = new HashMap<>();
        int window = 25;
        for (int start = 0; start < 1000; start += window) {
            // Sent in windows, each echoed before the next, so loopback socket buffers never overflow.
            for (int i = start; i < start + window; i++) {
                // Sizes up to 4000 bytes: beyond Netty's 2048-byte default datagram buffer.
                byte[] payload = new byte[4 + random.nextInt(4000)];
                random.nextBytes(payload);
                payload[0] = (byte) (i >>> 24);
                payload[1] = (byte) (i >>> 16);
                payload[2] = (byte) (i >>> 8);
                payload[3] = (byte) i;
                sent.put(i, payload);
                flow.write(new TransportDatagram(Unpooled.wrappedBuffer(payload), target));
            }
            flow.flush();
            for (int i = start; i < start + window; i++) {
                DatagramCollector.Received reply = collector.next(TIMEOUT);
                assertThat(reply.peer()).isEqualTo(target);
                byte[] payload = reply.payload();
                int index = (payload[0] & 0xFF) << 24 | (payload[1] & 0xFF) << 16 | (payload[2] & 0xFF) << 8
                        | payload[3] & 0xFF;
                byte[] original = sent.remove(index);
                assertThat(original).as("datagram %d sent once and echoed once", index).isNotNull();
                assertThat(payload).as("datagram %d length", index).hasSameSizeAs(original);
                assertThat(payload).as("datagram %d", index).isEqualTo(original);
            }
        }
        assertThat(sent).as("datagrams never echoed").isEmpty();
        assertThat(collector.poll()).as("no extra datagram").isNull();
        flow.close();
    }

    @Test
    void largeDatagramsRoundTripAndAnOversizedOneFailsAloneLeavingTheFlowUsable() throws Exception {
        transport();
        Destination target = Destination.of(echo.address());
        DatagramCollector collector = new DatagramCollector();
        Channel flow = open(OpenRequest.udp(target, UdpMode.CONNECTED).build(), collector);

        byte[] large = new byte[60_000];
        new Random(60_000).nextBytes(large);
        send(flow, target, large);
        byte[] echoed = collector.next(TIMEOUT).payload();
        assertThat(echoed).hasSameSizeAs(large);
        assertThat(echoed).isEqualTo(large);

        TransportDatagram oversized = new TransportDatagram(Unpooled.wrappedBuffer(new byte[65_536]), target);
        ChannelFuture refused = flow.writeAndFlush(oversized);
        assertThat(refused.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(refused.cause()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("65536 bytes")
                .hasMessageContaining("65535");
        assertThat(oversized.refCnt()).as("the refused datagram was released").isZero();

        assertThat(flow.isActive()).isTrue();
        send(flow, target, bytes("still here"));
        assertThat(collector.next(TIMEOUT).payload()).isEqualTo(bytes("still here"));
        assertThat(collector.poll()).isNull();
        flow.close();
    }

    @Test
    void aDatagramToPortZeroFailsAloneInAssociationMode() throws Exception {
        transport();
        DatagramCollector collector = new DatagramCollector();
        Channel flow = open(OpenRequest.udp(any(), UdpMode.ASSOCIATION).build(), collector);
        ChannelFuture refused = flow.writeAndFlush(new TransportDatagram(Unpooled.wrappedBuffer(bytes("x")),
                Destination.ofHostAnyPort("localhost", 0)));
        assertThat(refused.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(refused.cause()).hasMessageContaining("localhost:0").hasMessageContaining("port 0");
        Destination target = Destination.of(echo.address());
        send(flow, target, bytes("fine"));
        assertThat(collector.next(TIMEOUT).payload()).isEqualTo(bytes("fine"));
        flow.close();
    }

    @Test
    void aQuietFlowOnAReusedSessionIsConfirmedAndTheSessionOutlivesTheSynackTimeout() throws Exception {
        Duration synackTimeout = Duration.ofMillis(300);
        transport(serverPort, synackTimeout);
        Destination target = Destination.of(echo.address());
        Channel warmUp = open(OpenRequest.udp(target, UdpMode.CONNECTED).build(), new DatagramCollector());
        String sessionId = warmUp.attr(TransportAttributes.SESSION_ID).get();
        warmUp.close().await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        awaitIdle(1);

        DatagramCollector collector = new DatagramCollector();
        Channel quiet = open(OpenRequest.udp(target, UdpMode.CONNECTED).build(), collector);
        assertThat(transport.poolStats().leasesReused()).isEqualTo(1);
        assertThat(quiet.attr(TransportAttributes.SESSION_ID).get()).isEqualTo(sessionId);
        assertThat(quiet.attr(TransportAttributes.CONFIRMED).get()).as("SYNACK came").isTrue();

        // Nothing is sent; wait on the session's own event loop past the point where a SYNACK watchdog would fire.
        Future<?> pastTheWatchdog = quiet.eventLoop().schedule(() -> { },
                synackTimeout.toMillis() + 300, TimeUnit.MILLISECONDS);
        assertThat(pastTheWatchdog.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

        assertThat(quiet.isActive()).isTrue();
        assertThat(transport.stats().sessionsClosed()).isZero();
        assertThat(transport.sessions()).hasSize(1);
        send(quiet, target, bytes("late but fine"));
        assertThat(collector.next(TIMEOUT).payload()).isEqualTo(bytes("late but fine"));
        quiet.close().await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        awaitIdle(1);

        Channel again = open(OpenRequest.udp(target, UdpMode.CONNECTED).build(), new DatagramCollector());
        assertThat(again.attr(TransportAttributes.SESSION_ID).get()).isEqualTo(sessionId);
        assertThat(transport.stats().sessionsOpened()).isEqualTo(1);
        again.close();
    }

    @Test
    void theServerClosesAnIdleFlowAndTheSessionLivesOn() throws Exception {
        Duration idle = Duration.ofMillis(400);
        extraServer = newServer(idle);
        transport(startOnFreePort(extraServer), Duration.ofSeconds(3));
        Destination target = Destination.of(echo.address());
        DatagramCollector collector = new DatagramCollector();
        Channel flow = open(OpenRequest.udp(target, UdpMode.CONNECTED).build(), collector);
        send(flow, target, bytes("once"));
        assertThat(collector.next(TIMEOUT).payload()).isEqualTo(bytes("once"));
        long quietSince = System.nanoTime();

        assertThat(flow.closeFuture().await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).as("flow closed").isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - quietSince)).isGreaterThanOrEqualTo(idle.minusMillis(50));
        assertThat(collector.failure()).isNotDone();

        // Only the flow ended: its session goes back to the pool and carries the next flow.
        awaitIdle(1);
        DatagramCollector next = new DatagramCollector();
        Channel nextFlow = open(OpenRequest.udp(target, UdpMode.CONNECTED).build(), next);
        send(nextFlow, target, bytes("next"));
        assertThat(next.next(TIMEOUT).payload()).isEqualTo(bytes("next"));
        assertThat(transport.stats().sessionsOpened()).isEqualTo(1);
        nextFlow.close();
    }

    private void awaitIdle(int expected) throws InterruptedException {
        // The hand-back runs on the session's event loop right after the close: a bounded wait for that event.
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (transport.poolStats().idleSessions() != expected) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("pool never reached " + expected + " idle sessions: "
                        + transport.poolStats());
            }
            io.group().next().submit(() -> { }).await(1, TimeUnit.SECONDS);
        }
    }
}
