package org.anytls4j.host.proxy;

import io.netty.handler.ssl.SslContext;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import org.anytls4j.anytls.client.AnyTlsClientTransport;
import org.anytls4j.anytls.io.IoRuntime;
import org.anytls4j.anytls.server.AnyTlsServer;
import org.anytls4j.anytls.session.ServerUsers;
import org.anytls4j.anytls.tls.ClientTlsOptions;
import org.anytls4j.anytls.tls.TlsProvider;
import org.anytls4j.host.testing.RawClient;
import org.anytls4j.host.testing.Socks5;
import org.anytls4j.testkit.BoundedWait;
import org.anytls4j.testkit.TcpEchoServer;
import org.anytls4j.host.testing.UdpEchoServer;
import org.anytls4j.testkit.TestCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The host through the real AnyTLS transport: SOCKS5 and HTTP CONNECT, and SOCKS5 UDP ASSOCIATE over UDP-over-TCP,
 * against an AnyTLS server with real TLS, everything on 127.0.0.1.
 */
class AnyTlsRoutingTest {
    private static IoRuntime io;
    private static TcpEchoServer tcpEcho;
    private static UdpEchoServer udpEcho;
    private static AnyTlsServer server;
    private static Path trustedCertificate;
    private static AnyTlsClientTransport transport;
    private static ProxyServer proxy;

    @BeforeAll
    static void start() throws Exception {
        io = IoRuntime.create(IoRuntime.Kind.NIO, 2, "host-anytls-test");
        tcpEcho = new TcpEchoServer(io.group());
        udpEcho = new UdpEchoServer(io.group());
        SslContext serverTls = TestCertificates.serverContext();
        server = AnyTlsServer.builder("loopback", io, () -> serverTls, ServerUsers.single("u", "pw"))
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .build();
        BoundedWait.sync(server.start());
        trustedCertificate = Files.createTempFile("anytls-host-test-ca", ".pem");
        Files.writeString(trustedCertificate, "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(TestCertificates.localhost().getCertificate().getEncoded())
                + "\n-----END CERTIFICATE-----\n");
        transport = AnyTlsClientTransport.builder("anytls-test", io)
                .server("localhost", server.localAddress().getPort())
                .password("pw")
                .tls(ClientTlsOptions.builder().trustedCertificatesPem(trustedCertificate)
                        .provider(TlsProvider.JDK).build())
                .build();
        proxy = ProxyServer.builder("via-anytls", () -> transport)
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .build();
        BoundedWait.sync(proxy.start());
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
        transport.close();
        server.close();
        udpEcho.close();
        tcpEcho.close();
        io.close();
        Files.deleteIfExists(trustedCertificate);
    }

    @Test
    void socks5ConnectThroughAnyTls() throws Exception {
        try (RawClient client = new RawClient(proxy.localAddress())) {
            Socks5.greet(client, Socks5.NO_AUTH);
            assertThat(Socks5.command(client, Socks5.CONNECT, tcpEcho.address()).code).isZero();
            byte[] payload = "over anytls".getBytes(StandardCharsets.US_ASCII);
            assertThat(client.write(payload).read(payload.length)).isEqualTo(payload);
        }
        assertThat(transport.stats().opensSucceeded()).isPositive();
    }

    @Test
    void httpConnectThroughAnyTls() throws Exception {
        try (RawClient client = new RawClient(proxy.localAddress())) {
            String target = "127.0.0.1:" + tcpEcho.address().getPort();
            assertThat(client.write("CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\n\r\n")
                    .readHttpHead()).startsWith("HTTP/1.1 200 ");
            assertThat(new String(client.write("http over anytls").read(16), StandardCharsets.US_ASCII))
                    .isEqualTo("http over anytls");
        }
    }

    @Test
    void socks5UdpAssociateThroughAnyTlsRepliesWithThePeer() throws Exception {
        try (RawClient control = new RawClient(proxy.localAddress());
             DatagramSocket udp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            udp.setSoTimeout(RawClient.TIMEOUT_MILLIS);
            Socks5.greet(control, Socks5.NO_AUTH);
            Socks5.Reply reply = Socks5.command(control, Socks5.UDP_ASSOCIATE,
                    (InetSocketAddress) udp.getLocalSocketAddress());
            assertThat(reply.code).isZero();
            assertThat(reply.bound.getAddress().isLoopbackAddress()).isTrue();

            for (int i = 0; i < 3; i++) {
                byte[] payload = ("datagram " + i).getBytes(StandardCharsets.US_ASCII);
                byte[] request = Socks5.udpDatagram(udpEcho.address(), payload);
                udp.send(new DatagramPacket(request, request.length, reply.bound));
                byte[] buffer = new byte[2048];
                DatagramPacket answer = new DatagramPacket(buffer, buffer.length);
                udp.receive(answer);
                byte[] received = Arrays.copyOf(buffer, answer.getLength());
                // The same header as sent: the reply names the echo server as its peer.
                assertThat(received).isEqualTo(request);
                assertThat(answer.getSocketAddress()).isEqualTo(reply.bound);
            }
        }
    }
}
