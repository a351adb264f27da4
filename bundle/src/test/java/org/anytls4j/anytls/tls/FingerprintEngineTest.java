package org.anytls4j.anytls.tls;

import org.anytls4j.testkit.BoundedWait;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import org.anytls4j.anytls.testing.ExpectingCollector;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.OpenSslCertificateCompressionAlgorithm;
import io.netty.handler.ssl.OpenSslCertificateCompressionConfig;
import io.netty.handler.ssl.OpenSslContextOption;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.LazyX509Certificate;
import io.netty.pkitesting.X509Bundle;
import org.anytls4j.anytls.tls.fingerprint.FingerprintTls;
import org.anytls4j.anytls.tls.fingerprint.FingerprintTlsHandler;
import org.anytls4j.anytls.tls.fingerprint.HelloProfiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.net.ssl.SSLHandshakeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.anytls4j.anytls.tls.TlsLoopback.LOOPBACK;
import static org.anytls4j.anytls.tls.TlsLoopback.WAIT_SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fingerprint engine against Netty's JDK SslHandler server: handshakes and data both ways over TLS 1.3 and 1.2,
 * and the same verification outcomes (and error texts) as the JDK engine of {@link ClientSslContexts}.
 */
class FingerprintEngineTest {
    private static EventLoopGroup group;
    private static X509Bundle serverCertificate;

    private final List<AutoCloseable> resources = new ArrayList<>();
    @TempDir
    Path tempDir;

    @BeforeAll
    static void startGroup() throws Exception {
        group = TlsLoopback.newGroup();
        serverCertificate = TestPki.selfSigned("localhost", "localhost", "proxy.test");
    }

    @AfterAll
    static void stopGroup() throws InterruptedException {
        TlsLoopback.shutdown(group);
    }

    @AfterEach
    void closeResources() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private <T extends AutoCloseable> T track(T resource) {
        resources.add(resource);
        return resource;
    }

    private static SslContext jdkServer(String... protocols) throws Exception {
        return SslContextBuilder.forServer(serverCertificate.getKeyPair().getPrivate(), serverCertificate.getCertificate())
                .sslProvider(SslProvider.JDK)
                .protocols(protocols)
                .applicationProtocolConfig(new ApplicationProtocolConfig(
                        ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        "h2", "http/1.1"))
                .build();
    }

    private TlsLoopback.EchoServer server(String... protocols) throws Exception {
        return track(TlsLoopback.EchoServer.start(group, jdkServer(protocols)));
    }

    private ClientTlsOptions.Builder trusting() throws Exception {
        return ClientTlsOptions.builder().trustedCertificatesPem(
                TestPki.writeCertificates(tempDir.resolve("trusted.pem"), serverCertificate.getCertificate()));
    }

    private Client connect(int port, ClientTlsOptions options, String peerHost) throws Exception {
        return track(Client.connect(group, port, FingerprintTls.create(options, HelloProfiles.CHROME), peerHost));
    }

    /** What the JDK engine reports for the same server and options. */
    private String jdkEngineFailure(int port, ClientTlsOptions options, String peerHost) throws Exception {
        ClientTlsOptions jdk = options.toBuilder().provider(TlsProvider.JDK).build();
        Throwable failure = track(TlsLoopback.Client.connect(group, port, ClientSslContexts.create(jdk), jdk,
                peerHost)).handshakeFailure();
        assertThat(failure).isInstanceOf(SSLHandshakeException.class);
        return failure.getMessage();
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void handshakeAndDataBothWays(String protocol) throws Exception {
        TlsLoopback.EchoServer server = server(protocol);

        Client client = connect(server.port(), trusting().serverName("localhost").build(), LOOPBACK).handshake();

        assertThat(client.tls.protocolVersion()).contains(protocol);
        assertThat(client.tls.applicationProtocol()).contains("h2");
        assertThat(server.requestedServerNames.poll(WAIT_SECONDS, TimeUnit.SECONDS)).containsExactly("localhost");
        for (int size : new int[] {1, 16_384, 16_385, 300_000}) {
            byte[] payload = randomBytes(size);
            assertThat(client.echo(payload)).isEqualTo(payload);
        }
    }

    @Test
    void unknownSelfSignedCertificateIsRefusedAsByTheJdkEngine() throws Exception {
        TlsLoopback.EchoServer server = server("TLSv1.3");
        ClientTlsOptions options = ClientTlsOptions.builder().build();

        Throwable failure = connect(server.port(), options, "localhost").handshakeFailure();

        assertThat(failure).isInstanceOf(SSLHandshakeException.class);
        assertThat(failure.getMessage()).isEqualTo(jdkEngineFailure(server.port(), options, "localhost"))
                .contains("PKIX path building failed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"proxy.example.com", "10.1.2.3"})
    void nameMismatchIsRefusedAsByTheJdkEngine(String serverName) throws Exception {
        TlsLoopback.EchoServer server = server("TLSv1.3");
        ClientTlsOptions options = trusting().serverName(serverName).build();

        Throwable failure = connect(server.port(), options, "localhost").handshakeFailure();

        assertThat(failure).isInstanceOf(SSLHandshakeException.class);
        assertThat(failure.getMessage()).isEqualTo(jdkEngineFailure(server.port(), options, "localhost"))
                .containsIgnoringCase("subject alternative");
    }

    @Test
    void peerHostIsVerifiedWithoutAServerName() throws Exception {
        TlsLoopback.EchoServer server = server("TLSv1.3");

        Throwable failure = connect(server.port(), trusting().build(), "proxy.example.com").handshakeFailure();
        connect(server.port(), trusting().build(), "proxy.test").handshake();

        assertThat(failure.getMessage()).contains("proxy.example.com");
    }

    @Test
    void pinMismatchIsRefusedAsByTheJdkEngine() throws Exception {
        TlsLoopback.EchoServer server = server("TLSv1.3");
        String wrong = SpkiPins.spkiSha256Base64(TestPki.selfSigned("other").getCertificate().getEncoded());
        ClientTlsOptions options = trusting().addPinnedPublicKeySha256(wrong).build();

        Throwable failure = connect(server.port(), options, "localhost").handshakeFailure();

        assertThat(failure).isInstanceOf(SSLHandshakeException.class);
        assertThat(failure.getMessage()).isEqualTo(jdkEngineFailure(server.port(), options, "localhost"))
                .contains("matches none of the 1 pinned key(s)");
    }

    @Test
    void insecureModeSkipsNamesButEnforcesPins() throws Exception {
        TlsLoopback.EchoServer server = server("TLSv1.3");
        String right = SpkiPins.spkiSha256Base64(serverCertificate.getCertificate().getEncoded());
        String wrong = SpkiPins.spkiSha256Base64(TestPki.selfSigned("other").getCertificate().getEncoded());

        Client unpinned = connect(server.port(), ClientTlsOptions.builder().insecure(true).build(), "any.example")
                .handshake();
        Client pinned = connect(server.port(), ClientTlsOptions.builder().insecure(true)
                .addPinnedPublicKeySha256(right).build(), "any.example").handshake();
        Throwable failure = connect(server.port(), ClientTlsOptions.builder().insecure(true)
                .addPinnedPublicKeySha256(wrong).build(), "any.example").handshakeFailure();

        assertThat(unpinned.echo(new byte[] {1, 2, 3})).containsExactly(1, 2, 3);
        assertThat(pinned.echo(new byte[] {4})).containsExactly(4);
        assertThat(failure.getMessage()).contains("matches none of the 1 pinned key(s)");
        assertThat(server.requestedServerNames.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEmpty();
    }

    @Test
    void insecureModeReachesAServerWhoseCertificateHasAnEmptyDnAndVerifyingRefusesIt() throws Exception {
        TestPki.EmptyDnCertificate certificate = TestPki.emptyDnCertificate();
        SslContext context = SslContextBuilder.forServer(new DerOnlyKeyManager(
                        certificate.keyPair().getPrivate(), new LazyX509Certificate(certificate.der())))
                .sslProvider(SslProvider.OPENSSL)
                .build();
        TlsLoopback.EchoServer server = track(TlsLoopback.EchoServer.start(group, context));

        Client insecure = connect(server.port(), ClientTlsOptions.builder().insecure(true).build(), LOOPBACK)
                .handshake();
        Client pinned = connect(server.port(), ClientTlsOptions.builder().insecure(true)
                .addPinnedPublicKeySha256(SpkiPins.spkiSha256Base64(certificate.der())).build(), LOOPBACK)
                .handshake();
        Throwable verifying = connect(server.port(), ClientTlsOptions.builder().build(), LOOPBACK)
                .handshakeFailure();

        assertThat(insecure.echo(new byte[] {7})).containsExactly(7);
        assertThat(pinned.echo(new byte[] {8})).containsExactly(8);
        assertThat(verifying).isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void handshakeTimeoutFiresAgainstASilentServer() throws Exception {
        Channel silent = BoundedWait.sync(new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        // accepts and never answers
                    }
                })
                .bind(LOOPBACK, 0)).channel();
        track(() -> silent.close().await(WAIT_SECONDS, TimeUnit.SECONDS));
        int port = ((java.net.InetSocketAddress) silent.localAddress()).getPort();

        Throwable failure = connect(port, ClientTlsOptions.builder().insecure(true)
                .handshakeTimeout(Duration.ofMillis(300)).build(), "localhost").handshakeFailure();

        assertThat(failure).isInstanceOf(SslHandshakeTimeoutException.class);
    }

    @Test
    void closingSendsCloseNotifyAndTheServerSeesACleanEnd() throws Exception {
        TlsLoopback.EchoServer server = server("TLSv1.3");
        Client client = connect(server.port(), trusting().serverName("localhost").build(), LOOPBACK).handshake();
        assertThat(client.echo(new byte[] {9})).containsExactly(9);

        assertThat(client.channel.close().await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(client.channel.isActive()).isFalse();
    }

    /**
     * A BoringSSL server that compresses its certificate (RFC 8879) when the client offers brotli, as Chrome's hello
     * does. The compressor's output never gets decompressed: the engine refuses the message before, with a reason.
     */
    @Test
    void aServerThatCompressesItsCertificateIsRefusedWithTheReason() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(io.netty.handler.ssl.OpenSsl.isAvailable(), "needs tcnative");
        java.util.concurrent.atomic.AtomicInteger compressions = new java.util.concurrent.atomic.AtomicInteger();
        OpenSslCertificateCompressionAlgorithm brotli = new OpenSslCertificateCompressionAlgorithm() {
            @Override
            public byte[] compress(javax.net.ssl.SSLEngine engine, byte[] certificate) {
                compressions.incrementAndGet();
                return java.util.Arrays.copyOf(certificate, certificate.length / 2);
            }

            @Override
            public byte[] decompress(javax.net.ssl.SSLEngine engine, int length, byte[] compressed) {
                throw new UnsupportedOperationException("a server never decompresses");
            }

            @Override
            public int algorithmId() {
                return 2; // brotli, the one algorithm Chrome offers
            }
        };
        SslContext compressing = SslContextBuilder.forServer(serverCertificate.getKeyPair().getPrivate(),
                        serverCertificate.getCertificate())
                .sslProvider(SslProvider.OPENSSL)
                .protocols("TLSv1.3")
                .option(OpenSslContextOption.CERTIFICATE_COMPRESSION_ALGORITHMS,
                        OpenSslCertificateCompressionConfig.newBuilder()
                                .addAlgorithm(brotli, OpenSslCertificateCompressionConfig.AlgorithmMode.Compress)
                                .build())
                .build();
        TlsLoopback.EchoServer server = track(TlsLoopback.EchoServer.start(group, compressing));

        Throwable failure = connect(server.port(), ClientTlsOptions.builder().insecure(true).build(), LOOPBACK)
                .handshakeFailure();

        assertThat(compressions).hasPositiveValue();
        assertThat(failure).isInstanceOf(SSLHandshakeException.class);
        assertThat(failure.getMessage()).contains("bad_certificate")
                .contains("sent its certificate compressed (RFC 8879").contains("fingerprint = none");
    }

    /** TCP to 127.0.0.1:port with the fingerprint handler and a collector of what is decrypted. */
    static final class Client implements AutoCloseable {
        final Channel channel;
        final FingerprintTlsHandler tls;
        private final ExpectingCollector collector = new ExpectingCollector();

        private Client(EventLoopGroup group, int port, FingerprintTls engine, String peerHost)
                throws InterruptedException {
            this.tls = engine.newHandler(peerHost, port);
            this.channel = BoundedWait.sync(new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(tls, collector);
                        }
                    })
                    .connect(LOOPBACK, port)).channel();
        }

        static Client connect(EventLoopGroup group, int port, FingerprintTls engine, String peerHost)
                throws InterruptedException {
            return new Client(group, port, engine, peerHost);
        }

        Client handshake() throws Exception {
            tls.handshakeFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
            return this;
        }

        Throwable handshakeFailure() throws InterruptedException {
            if (!tls.handshakeFuture().await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError("handshake neither failed nor succeeded in " + WAIT_SECONDS + " s");
            }
            if (tls.handshakeFuture().isSuccess()) {
                throw new AssertionError("handshake succeeded but was expected to fail");
            }
            return tls.handshakeFuture().cause();
        }

        byte[] echo(byte[] data) throws Exception {
            CompletableFuture<byte[]> reply = collector.expect(data.length);
            channel.writeAndFlush(channel.alloc().buffer(data.length).writeBytes(data))
                    .get(WAIT_SECONDS, TimeUnit.SECONDS);
            return reply.get(WAIT_SECONDS, TimeUnit.SECONDS);
        }

        @Override
        public void close() {
            channel.close().awaitUninterruptibly(WAIT_SECONDS, TimeUnit.SECONDS);
        }
    }

}
