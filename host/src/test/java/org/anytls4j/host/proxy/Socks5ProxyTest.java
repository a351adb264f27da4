package org.anytls4j.host.proxy;

import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.anytls4j.host.direct.DirectTransport;
import org.anytls4j.host.testing.NioGroups;
import org.anytls4j.host.testing.RawClient;
import org.anytls4j.host.testing.Socks5;
import org.anytls4j.host.testing.TcpEchoServer;
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
        proxy.start().syncUninterruptibly();
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
    void socks4IsClosedWithoutAnswer() throws Exception {
        try (RawClient client = new RawClient(startProxy(ProxyUsers.none()))) {
            client.write(new byte[] {4, 1, 0, 80, 127, 0, 0, 1, 0});
            assertThat(client.closedByServer()).isTrue();
        }
    }
}
