package org.anytls4j.anytls.udp;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.Future;
import org.anytls4j.anytls.client.AnyTlsClientTransport;
import org.anytls4j.anytls.client.pool.PoolOptions;
import org.anytls4j.anytls.io.IoRuntime;
import org.anytls4j.anytls.server.AnyTlsServer;
import org.anytls4j.anytls.session.ServerUsers;
import org.anytls4j.anytls.testing.CollectingHandler;
import org.anytls4j.anytls.tls.ClientTlsOptions;
import org.anytls4j.anytls.tls.TlsProvider;
import org.anytls4j.testkit.BoundedWait;
import org.anytls4j.testkit.TcpEchoServer;
import org.anytls4j.testkit.TestCertificates;
import org.anytls4j.transport.api.Destination;
import org.anytls4j.transport.api.OpenRequest;
import org.anytls4j.transport.api.TransportException;
import org.anytls4j.transport.api.UdpMode;
import org.anytls4j.transport.api.netty.TransportDatagram;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client transport with {@code fingerprint = chrome} as a host uses it, against this project's server on
 * loopback: TCP and UDP streams, and a refused server reported exactly as with the JDK engine.
 */
class ChromeFingerprintTransportTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static IoRuntime io;
    private static TcpEchoServer tcpEcho;
    private static UdpEchoServer udpEcho;
    private static AnyTlsServer server;
    private static int serverPort;
    private static Path trustedCertificate;
    private final List<AnyTlsClientTransport> transports = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        io = IoRuntime.create(IoRuntime.Kind.NIO, 2, "chrome-transport-test");
        tcpEcho = new TcpEchoServer(io.group());
        udpEcho = new UdpEchoServer(io.group(), "127.0.0.1");
        SslContext serverTls = TestCertificates.serverContext();
        server = AnyTlsServer.builder("chrome-loopback", io, () -> serverTls, ServerUsers.single("u", "pw"))
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .build();
        serverPort = ((InetSocketAddress) BoundedWait.sync(server.start()).channel().localAddress()).getPort();
        trustedCertificate = Files.createTempFile("anytls-chrome-test-ca", ".pem");
        Files.writeString(trustedCertificate, "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(TestCertificates.localhost().getCertificate().getEncoded())
                + "\n-----END CERTIFICATE-----\n");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        tcpEcho.close();
        udpEcho.close();
        io.close();
        Files.deleteIfExists(trustedCertificate);
    }

    @AfterEach
    void closeTransports() {
        transports.forEach(AnyTlsClientTransport::close);
    }

    private AnyTlsClientTransport transport(ClientTlsOptions tls) {
        AnyTlsClientTransport transport = AnyTlsClientTransport.builder("chrome-transport", io)
                .server("localhost", serverPort)
                .password("pw")
                .tls(tls)
                .pool(PoolOptions.defaults())
                .build();
        transports.add(transport);
        return transport;
    }

    private static ClientTlsOptions.Builder chrome() {
        return ClientTlsOptions.builder().fingerprint("chrome");
    }

    private static Future<Channel> open(AnyTlsClientTransport transport, OpenRequest request,
                                        io.netty.channel.ChannelHandler handler) throws InterruptedException {
        Future<Channel> open = transport.open(request, handler, null);
        assertThat(open.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).as("open completed").isTrue();
        return open;
    }

    @Test
    void tcpAndUdpStreamsCrossTheChromeEngine() throws Exception {
        AnyTlsClientTransport transport = transport(chrome().trustedCertificatesPem(trustedCertificate).build());
        byte[] bulk = new byte[300_000];
        new Random(22).nextBytes(bulk);
        CollectingHandler tcp = new CollectingHandler(bulk.length);
        Future<Channel> tcpOpen = open(transport, OpenRequest.tcp(Destination.of(tcpEcho.address())).build(), tcp);
        assertThat(tcpOpen.isSuccess()).as("TCP open: %s", tcpOpen.cause()).isTrue();
        tcpOpen.getNow().writeAndFlush(Unpooled.wrappedBuffer(bulk));
        assertThat(tcp.done().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(bulk);

        Destination udpTarget = Destination.of(udpEcho.address());
        DatagramCollector udp = new DatagramCollector();
        Future<Channel> udpOpen = open(transport, OpenRequest.udp(udpTarget, UdpMode.CONNECTED).build(), udp);
        assertThat(udpOpen.isSuccess()).as("UDP open: %s", udpOpen.cause()).isTrue();
        for (String text : new String[] {"ping", "pong"}) {
            byte[] payload = text.getBytes(StandardCharsets.UTF_8);
            BoundedWait.sync(udpOpen.getNow().writeAndFlush(
                    new TransportDatagram(Unpooled.wrappedBuffer(payload), udpTarget)));
            assertThat(udp.next(TIMEOUT).payload()).isEqualTo(payload);
        }

        assertThat(transport.sessions()).isNotEmpty().allSatisfy(session ->
                assertThat(session.peerVersion()).isEqualTo(2));
        tcpOpen.getNow().close().await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        udpOpen.getNow().close().await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Test
    void anUntrustedServerFailsTheOpenAsWithTheJdkEngine() throws Exception {
        // No trusted certificate: testkit's self-signed localhost certificate is not in the JDK's trust store.
        TransportException overChrome = openFailure(transport(chrome().build()));
        TransportException overJdk = openFailure(transport(ClientTlsOptions.builder()
                .provider(TlsProvider.JDK).build()));

        assertThat(overChrome.reason()).isEqualTo(TransportException.Reason.UPSTREAM_TLS)
                .isEqualTo(overJdk.reason());
        assertThat(overChrome.phase()).isEqualTo(overJdk.phase());
        assertThat(overChrome.getMessage()).isEqualTo(overJdk.getMessage()).contains("PKIX path building failed");
    }

    private static TransportException openFailure(AnyTlsClientTransport transport) throws InterruptedException {
        Future<Channel> open = open(transport, OpenRequest.tcp(Destination.of(tcpEcho.address())).build(),
                new CollectingHandler(1));
        assertThat(open.cause()).isInstanceOf(TransportException.class);
        return (TransportException) open.cause();
    }
}
