package org.anytls4j.host.proxy;

import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.anytls4j.host.direct.DirectTransport;
import org.anytls4j.host.testing.NioGroups;
import org.anytls4j.host.testing.RawClient;
import org.anytls4j.testkit.BoundedWait;
import org.anytls4j.testkit.TcpEchoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** HTTP CONNECT on the same port as SOCKS5, through the direct transport. */
class HttpConnectTest {
    private static EventLoopGroup group;
    private static TcpEchoServer echo;
    private static DirectTransport direct;
    private ProxyServer proxy;

    @BeforeAll
    static void startServers() {
        group = NioGroups.create("http-test");
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

    private InetSocketAddress startProxy(ProxyUsers users) {
        proxy = ProxyServer.builder("http-test", () -> direct)
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .users(users)
                .eventLoopGroup(group)
                .build();
        BoundedWait.sync(proxy.start());
        return proxy.localAddress();
    }

    private static String connect(String target, String extraHeaders) {
        return "CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\n" + extraHeaders + "\r\n";
    }

    private static String basic(String user, String password) {
        return "Proxy-Authorization: Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)) + "\r\n";
    }

    private static void assertEchoes(RawClient client, String text) throws IOException {
        assertThat(new String(client.write(text).read(text.length()), StandardCharsets.ISO_8859_1)).isEqualTo(text);
    }

    @Test
    void connectAnswers200AndRelays() throws Exception {
        try (RawClient client = new RawClient(startProxy(ProxyUsers.none()))) {
            String head = client.write(connect("127.0.0.1:" + echo.address().getPort(), "")).readHttpHead();
            assertThat(head).startsWith("HTTP/1.1 200 ");
            assertEchoes(client, "hello through http");
        }
    }

    @Test
    void bytesPipelinedBehindTheRequestReachTheDestination() throws Exception {
        try (RawClient client = new RawClient(startProxy(ProxyUsers.none()))) {
            client.write(connect("localhost:" + echo.address().getPort(), "") + "pipelined");
            assertThat(client.readHttpHead()).startsWith("HTTP/1.1 200 ");
            assertThat(new String(client.read(9), StandardCharsets.ISO_8859_1)).isEqualTo("pipelined");
        }
    }

    @Test
    void missingCredentialsGive407WithAChallenge() throws Exception {
        try (RawClient client = new RawClient(startProxy(ProxyUsers.parse(List.of("bob:pw"), ".users")))) {
            String head = client.write(connect("127.0.0.1:" + echo.address().getPort(), "")).readHttpHead();
            assertThat(head).startsWith("HTTP/1.1 407 ").contains("Proxy-Authenticate: Basic realm=\"http-test\"");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void wrongCredentialsGive407() throws Exception {
        try (RawClient client = new RawClient(startProxy(ProxyUsers.parse(List.of("bob:pw"), ".users")))) {
            String head = client.write(connect("127.0.0.1:" + echo.address().getPort(), basic("bob", "nope")))
                    .readHttpHead();
            assertThat(head).startsWith("HTTP/1.1 407 ");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void rightCredentialsAreAccepted() throws Exception {
        try (RawClient client = new RawClient(startProxy(ProxyUsers.parse(List.of("bob:pw"), ".users")))) {
            String head = client.write(connect("127.0.0.1:" + echo.address().getPort(), basic("bob", "pw")))
                    .readHttpHead();
            assertThat(head).startsWith("HTTP/1.1 200 ");
            assertEchoes(client, "authenticated");
        }
    }

    @Test
    void otherMethodsGive405() throws Exception {
        try (RawClient client = new RawClient(startProxy(ProxyUsers.none()))) {
            String head = client.write("GET http://example.com/ HTTP/1.1\r\nHost: example.com\r\n\r\n")
                    .readHttpHead();
            assertThat(head).startsWith("HTTP/1.1 405 ");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void targetWithoutPortGives400() throws Exception {
        try (RawClient client = new RawClient(startProxy(ProxyUsers.none()))) {
            assertThat(client.write(connect("example.com", "")).readHttpHead()).startsWith("HTTP/1.1 400 ");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void oversizedHeadGives431() throws Exception {
        try (RawClient client = new RawClient(startProxy(ProxyUsers.none()))) {
            client.write("CONNECT 127.0.0.1:1 HTTP/1.1\r\nX-Filler: " + "x".repeat(HttpConnectDecoder.MAX_HEAD_BYTES));
            assertThat(client.readHttpHead()).startsWith("HTTP/1.1 431 ");
            assertThat(client.closedByServer()).isTrue();
        }
    }
}
