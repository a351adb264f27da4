package org.anytls4j.host.proxy;

import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.util.Arrays;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.anytls4j.host.direct.DirectTransport;
import io.netty.channel.Channel;
import java.util.concurrent.TimeUnit;
import org.anytls4j.host.testing.NioGroups;
import org.anytls4j.host.testing.RecordingTransport;
import org.anytls4j.host.testing.RawClient;
import org.anytls4j.host.testing.Socks5;
import org.anytls4j.testkit.BoundedWait;
import org.anytls4j.testkit.TcpEchoServer;
import org.anytls4j.host.testing.UdpEchoServer;
import org.anytls4j.transport.api.netty.NettyOutboundTransport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** SOCKS5 through the direct transport to an echo server, all on 127.0.0.1. */
class Socks5ProxyTest {
    private static EventLoopGroup group;
    private static TcpEchoServer echo;
    private static DirectTransport direct;
    private final AtomicReference<NettyOutboundTransport> outbound = new AtomicReference<>();
    private ProxyServer proxy;

    @BeforeAll
    static void startServers() {
        group = NioGroups.create("socks5-test");
        echo = new TcpEchoServer(group);
        direct = DirectTransport.builder("direct", group).bindAddress(InetAddress.getLoopbackAddress()).build();
    }

    @AfterAll
    static void stopServers() {
        direct.close();
        echo.close();
        NioGroups.shutdown(group);
    }

    @AfterEach
    void stopProxy() {
        if (proxy != null) {
            proxy.close();
        }
    }

    private InetSocketAddress startProxy(ProxyUsers users, Duration handshakeTimeout) {
        outbound.set(direct);
        proxy = ProxyServer.builder("socks-test", outbound::get)
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .users(users)
                .handshakeTimeout(handshakeTimeout)
                .eventLoopGroup(group)
                .build();
        BoundedWait.sync(proxy.start());
        return proxy.localAddress();
    }

    private InetSocketAddress startProxy(ProxyUsers users) {
        return startProxy(users, Duration.ofSeconds(10));
    }

    private static void assertEchoes(RawClient client, String text) throws IOException {
        byte[] payload = text.getBytes();
        assertThat(client.write(payload).read(payload.length)).isEqualTo(payload);
    }

    @Test
    void connectWithoutAuthenticationRelaysBothWays() throws Exception {
        try (RawClient client = new RawClient(startProxy(ProxyUsers.none()))) {
            assertThat(Socks5.greet(client, Socks5.NO_AUTH)).isEqualTo(Socks5.NO_AUTH);
            Socks5.Reply reply = Socks5.command(client, Socks5.CONNECT, echo.address());
            assertThat(reply.code).isZero();
            assertThat(reply.bound.getAddress().isLoopbackAddress()).isTrue();
            assertThat(reply.bound.getPort()).isPositive();
            assertEchoes(client, "hello through socks5");
            assertEchoes(client, "and again");
        }
        assertThat(direct.stats().opensSucceeded()).isPositive();
    }

    @Test
    void connectToADomainIsResolvedByTheTransport() throws Exception {
        try (RawClient client = new RawClient(startProxy(ProxyUsers.none()))) {
            Socks5.greet(client, Socks5.NO_AUTH);
            assertThat(Socks5.command(client, Socks5.CONNECT, "localhost", echo.address().getPort()).code).isZero();
            assertEchoes(client, "by name");
        }
    }

    @Test
    void bytesSentRightAfterTheRequestAreNotLost() throws Exception {
        try (RawClient client = new RawClient(startProxy(ProxyUsers.none()))) {
            Socks5.greet(client, Socks5.NO_AUTH);
            InetSocketAddress target = echo.address();
            byte[] port = {(byte) (target.getPort() >> 8), (byte) target.getPort()};
            // Request and payload in one write: the payload arrives while the open is still in flight.
            client.write(new byte[] {5, 1, 0, 1, 127, 0, 0, 1, port[0], port[1], 'e', 'a', 'r', 'l', 'y'});
            assertThat(client.read(10)[1]).isZero();
            assertThat(new String(client.read(5))).isEqualTo("early");
        }
    }

    @Test
    void usernameAndPasswordAccepted() throws Exception {
        ProxyUsers users = ProxyUsers.parse(List.of("alice:s3cret:with:colons"), ".users");
        try (RawClient client = new RawClient(startProxy(users))) {
            assertThat(Socks5.greet(client, Socks5.NO_AUTH, Socks5.PASSWORD)).isEqualTo(Socks5.PASSWORD);
            assertThat(Socks5.login(client, "alice", "s3cret:with:colons")).isZero();
            assertThat(Socks5.command(client, Socks5.CONNECT, echo.address()).code).isZero();
            assertEchoes(client, "authenticated");
        }
    }

    @Test
    void wrongPasswordIsRefusedWithStatusOneThenClosed() throws Exception {
        ProxyUsers users = ProxyUsers.parse(List.of("alice:s3cret"), ".users");
        try (RawClient client = new RawClient(startProxy(users))) {
            assertThat(Socks5.greet(client, Socks5.PASSWORD)).isEqualTo(Socks5.PASSWORD);
            assertThat(Socks5.login(client, "alice", "wrong")).isEqualTo((byte) 0x01);
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void unknownUserIsRefused() throws Exception {
        ProxyUsers users = ProxyUsers.parse(List.of("alice:s3cret"), ".users");
        try (RawClient client = new RawClient(startProxy(users))) {
            Socks5.greet(client, Socks5.PASSWORD);
            assertThat(Socks5.login(client, "mallory", "s3cret")).isEqualTo((byte) 0x01);
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void clientWithoutPasswordMethodGetsNoAcceptableMethods() throws Exception {
        ProxyUsers users = ProxyUsers.parse(List.of("alice:s3cret"), ".users");
        try (RawClient client = new RawClient(startProxy(users))) {
            assertThat(Socks5.greet(client, Socks5.NO_AUTH)).isEqualTo((byte) 0xFF);
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void bindIsNotSupported() throws Exception {
        try (RawClient client = new RawClient(startProxy(ProxyUsers.none()))) {
            Socks5.greet(client, Socks5.NO_AUTH);
            assertThat(Socks5.command(client, Socks5.BIND, echo.address()).code).isEqualTo((byte) 0x07);
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void refusedDestinationGivesConnectionRefused() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        try (RawClient client = new RawClient(startProxy(ProxyUsers.none()))) {
            Socks5.greet(client, Socks5.NO_AUTH);
            Socks5.Reply reply = Socks5.command(client, Socks5.CONNECT,
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), closedPort));
            assertThat(reply.code).isEqualTo((byte) 0x05);
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void withoutATransportRequestsGetGeneralFailure() throws Exception {
        InetSocketAddress address = startProxy(ProxyUsers.none());
        outbound.set(null);
        try (RawClient client = new RawClient(address)) {
            Socks5.greet(client, Socks5.NO_AUTH);
            assertThat(Socks5.command(client, Socks5.CONNECT, echo.address()).code).isEqualTo((byte) 0x01);
        }
    }

    @Test
    void aSilentClientIsClosedAfterTheHandshakeTimeout() throws Exception {
        try (RawClient client = new RawClient(startProxy(ProxyUsers.none(), Duration.ofMillis(200)))) {
            client.write((byte) 5); // half a greeting, then nothing
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void udpAssociateThroughDirectRepliesWithTheDomainTheClientUsed() throws Exception {
        try (UdpEchoServer udpEcho = new UdpEchoServer(group);
             RawClient control = new RawClient(startProxy(ProxyUsers.none()));
             DatagramSocket udp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            udp.setSoTimeout(RawClient.TIMEOUT_MILLIS);
            Socks5.greet(control, Socks5.NO_AUTH);
            // The client announces the address it will send from, as RFC 1928 intends.
            Socks5.Reply reply = Socks5.command(control, Socks5.UDP_ASSOCIATE,
                    (InetSocketAddress) udp.getLocalSocketAddress());
            assertThat(reply.code).isZero();
            byte[] request = Socks5.udpDatagram("localhost", udpEcho.address().getPort(), "by name".getBytes());
            udp.send(new DatagramPacket(request, request.length, reply.bound));
            byte[] buffer = new byte[2048];
            DatagramPacket answer = new DatagramPacket(buffer, buffer.length);
            udp.receive(answer);
            assertThat(Arrays.copyOf(buffer, answer.getLength())).isEqualTo(request);
        }
    }

    @Test
    void datagramsOfEverySizeASocks5RequestCanCarryComeBackIntact() throws Exception {
        try (UdpEchoServer udpEcho = new UdpEchoServer(group);
             RawClient control = new RawClient(startProxy(ProxyUsers.none()));
             DatagramSocket udp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            udp.setSoTimeout(RawClient.TIMEOUT_MILLIS);
            udp.setReceiveBufferSize(1 << 20);
            Socks5.greet(control, Socks5.NO_AUTH);
            Socks5.Reply reply = Socks5.command(control, Socks5.UDP_ASSOCIATE,
                    (InetSocketAddress) udp.getLocalSocketAddress());
            assertThat(reply.code).isZero();
            java.util.Random random = new java.util.Random(5);
            for (int size : new int[] {1, 1400, 2048, 2049, 8000, 65_497}) {
                byte[] payload = new byte[size];
                random.nextBytes(payload);
                byte[] request = Socks5.udpDatagram(udpEcho.address(), payload);
                udp.send(new DatagramPacket(request, request.length, reply.bound));
                byte[] buffer = new byte[65_536];
                DatagramPacket answer = new DatagramPacket(buffer, buffer.length);
                udp.receive(answer);
                assertThat(answer.getLength()).as("size %d", size).isEqualTo(request.length);
                assertThat(Arrays.copyOf(buffer, answer.getLength())).as("size %d", size).isEqualTo(request);
            }
        }
    }

    @Test
    void closingTheControlConnectionEndsTheUdpFlow() throws Exception {
        InetSocketAddress address = startProxy(ProxyUsers.none());
        RecordingTransport recording = new RecordingTransport(direct);
        outbound.set(recording);
        Channel flow;
        try (RawClient control = new RawClient(address)) {
            Socks5.greet(control, Socks5.NO_AUTH);
            assertThat(Socks5.command(control, Socks5.UDP_ASSOCIATE, new InetSocketAddress("0.0.0.0", 0)).code)
                    .isZero();
            flow = recording.nextOpened();
            assertThat(flow.isOpen()).isTrue();
        }
        assertThat(flow.closeFuture().await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aClosedUdpFlowEndsTheControlConnection() throws Exception {
        InetSocketAddress address = startProxy(ProxyUsers.none());
        RecordingTransport recording = new RecordingTransport(direct);
        outbound.set(recording);
        try (RawClient control = new RawClient(address)) {
            Socks5.greet(control, Socks5.NO_AUTH);
            assertThat(Socks5.command(control, Socks5.UDP_ASSOCIATE, new InetSocketAddress("0.0.0.0", 0)).code)
                    .isZero();
            recording.nextOpened().close();
            assertThat(control.closedByServer()).isTrue();
        }
    }

    @Test
    void tcpRelayClosesTheClientWhenTheDestinationCloses() throws Exception {
        InetSocketAddress address = startProxy(ProxyUsers.none());
        RecordingTransport recording = new RecordingTransport(direct);
        outbound.set(recording);
        try (RawClient client = new RawClient(address)) {
            Socks5.greet(client, Socks5.NO_AUTH);
            assertThat(Socks5.command(client, Socks5.CONNECT, echo.address()).code).isZero();
            recording.nextOpened().close();
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void socks4IsClosedWithoutAnswer() throws Exception {
        try (RawClient client = new RawClient(startProxy(ProxyUsers.none()))) {
            client.write(new byte[] {4, 1, 0, 80, 127, 0, 0, 1, 0});
            assertThat(client.closedByServer()).isTrue();
        }
    }
}
