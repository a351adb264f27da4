package org.anytls4j.anytls.tls;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.util.LazyX509Certificate;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.handler.ssl.SslProvider;
import io.netty.pkitesting.X509Bundle;
import org.anytls4j.testkit.BoundedWait;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.net.ssl.SSLException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLHandshakeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.anytls4j.anytls.tls.TlsLoopback.WAIT_SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

class ClientSslContextsTest {
    private static final String LOOPBACK_IP = TlsLoopback.LOOPBACK;
    private static EventLoopGroup group;
    private static X509Bundle serverCertificate;
    private static SslContext serverContext;

    private final List<AutoCloseable> resources = new ArrayList<>();
    @TempDir
    Path tempDir;

    @BeforeAll
    static void startGroup() throws Exception {
        group = TlsLoopback.newGroup();
        serverCertificate = TestPki.selfSigned("localhost", "localhost", "proxy.test");
        serverContext = SslContextBuilder
                .forServer(serverCertificate.getKeyPair().getPrivate(), serverCertificate.getCertificate())
                .sslProvider(SslProvider.JDK)
                .applicationProtocolConfig(new ApplicationProtocolConfig(
                        ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        "h2", "http/1.1"))
                .build();
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

    private TlsLoopback.EchoServer server() throws InterruptedException {
        return track(TlsLoopback.EchoServer.start(group, serverContext));
    }

    private TlsLoopback.Client connect(int port, ClientTlsOptions options, String peerHost) throws Exception {
        return track(TlsLoopback.Client.connect(group, port, ClientSslContexts.create(options), options, peerHost));
    }

    private ClientTlsOptions.Builder trusting(TlsProvider provider) throws Exception {
        return ClientTlsOptions.builder()
                .provider(provider)
                .trustedCertificatesPem(TestPki.writeCertificates(tempDir.resolve("trusted.pem"),
                        serverCertificate.getCertificate()));
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void verificationIsOnByDefaultAndRefusesAnUnknownSelfSignedCertificate(TlsProvider provider) throws Exception {
        TlsLoopback.EchoServer server = server();

        Throwable failure = connect(server.port(), ClientTlsOptions.builder().provider(provider).build(),
                "localhost").handshakeFailure();

        assertThat(failure).isInstanceOf(SSLHandshakeException.class);
        assertThat(server.requestedServerNames).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void certificateFromTrustedPemFileIsAccepted(TlsProvider provider) throws Exception {
        TlsLoopback.EchoServer server = server();

        TlsLoopback.Client client = connect(server.port(), trusting(provider).build(), "localhost").handshake();

        assertThat(client.echo("hello over tls")).isEqualTo("hello over tls");
        assertThat(client.peerCertificate()).isEqualTo(serverCertificate.getCertificate());
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void serverNameIsSentAsSniAndVerified(TlsProvider provider) throws Exception {
        TlsLoopback.EchoServer server = server();

        connect(server.port(), trusting(provider).serverName("LocalHost").build(), LOOPBACK_IP).handshake();

        assertThat(server.requestedServerNames.poll(WAIT_SECONDS, TimeUnit.SECONDS)).containsExactly("localhost");
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void hostnameMismatchIsRefusedEvenWithATrustedCertificate(TlsProvider provider) throws Exception {
        TlsLoopback.EchoServer server = server();

        Throwable failure = connect(server.port(), trusting(provider).serverName("proxy.example.com").build(),
                "localhost").handshakeFailure();

        assertThat(failure).isInstanceOf(SSLHandshakeException.class);
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void peerHostIsVerifiedWhenNoServerNameIsConfigured(TlsProvider provider) throws Exception {
        TlsLoopback.EchoServer server = server();

        Throwable failure = connect(server.port(), trusting(provider).build(), "proxy.example.com")
                .handshakeFailure();

        assertThat(failure).isInstanceOf(SSLHandshakeException.class);
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void ipLiteralServerNameIsVerifiedAgainstIpSansButNotSentAsSni(TlsProvider provider) throws Exception {
        TlsLoopback.EchoServer server = server();

        TlsLoopback.Client client = connect(server.port(), trusting(provider).serverName("127.0.0.1").build(),
                "localhost").handshake();

        assertThat(client.echo("ip")).isEqualTo("ip");
        assertThat(server.requestedServerNames.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void ipMismatchIsRefused(TlsProvider provider) throws Exception {
        TlsLoopback.EchoServer server = server();

        Throwable failure = connect(server.port(), trusting(provider).serverName("10.1.2.3").build(), "localhost")
                .handshakeFailure();

        assertThat(failure).isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void jdkEngineSendsNoSniWithoutAServerName() throws Exception {
        TlsLoopback.EchoServer server = server();

        connect(server.port(), trusting(TlsProvider.JDK).build(), "proxy.test").handshake();

        assertThat(server.requestedServerNames.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEmpty();
    }

    /** The documented exception: Netty's OpenSSL engine derives SNI from the peer host it verifies. */
    @Test
    void openSslEngineAnnouncesTheVerifiedDnsPeerHost() throws Exception {
        TlsLoopback.EchoServer server = server();

        connect(server.port(), trusting(TlsProvider.OPENSSL).build(), "proxy.test").handshake();

        assertThat(server.requestedServerNames.poll(WAIT_SECONDS, TimeUnit.SECONDS)).containsExactly("proxy.test");
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void insecureModeSendsNoSniWithoutAServerName(TlsProvider provider) throws Exception {
        TlsLoopback.EchoServer server = server();

        connect(server.port(), ClientTlsOptions.builder().provider(provider).insecure(true).build(), "localhost")
                .handshake();

        assertThat(server.requestedServerNames.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void matchingSpkiPinIsAccepted(TlsProvider provider) throws Exception {
        TlsLoopback.EchoServer server = server();
        String pin = SpkiPins.spkiSha256Base64(serverCertificate.getCertificate().getEncoded());

        TlsLoopback.Client client = connect(server.port(), trusting(provider).addPinnedPublicKeySha256(pin).build(),
                "localhost").handshake();

        assertThat(client.echo("pinned")).isEqualTo("pinned");
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void spkiPinMismatchIsRefusedEvenWhenTheChainIsTrusted(TlsProvider provider) throws Exception {
        TlsLoopback.EchoServer server = server();
        X509Bundle other = TestPki.selfSigned("other", "localhost");

        Throwable failure = connect(server.port(), trusting(provider)
                .addPinnedPublicKeySha256(SpkiPins.spkiSha256Base64(other.getCertificate().getEncoded()))
                .build(), "localhost").handshakeFailure();

        assertThat(failure).isInstanceOf(SSLHandshakeException.class);
        assertThat(causes(failure)).contains("matches none of the 1 pinned key(s)");
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void insecureModeStillEnforcesPins(TlsProvider provider) throws Exception {
        TlsLoopback.EchoServer server = server();
        String right = SpkiPins.spkiSha256Base64(serverCertificate.getCertificate().getEncoded());
        String wrong = SpkiPins.spkiSha256Base64(TestPki.selfSigned("other").getCertificate().getEncoded());
        ClientTlsOptions.Builder insecure = ClientTlsOptions.builder().provider(provider).insecure(true);

        Throwable failure = connect(server.port(), insecure.addPinnedPublicKeySha256(wrong).build(), "any.example")
                .handshakeFailure();
        TlsLoopback.Client pinned = connect(server.port(), ClientTlsOptions.builder().provider(provider)
                .insecure(true).addPinnedPublicKeySha256(right).build(), "any.example").handshake();

        assertThat(failure).isInstanceOf(SSLHandshakeException.class);
        assertThat(pinned.echo("pin only")).isEqualTo("pin only");
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void insecureModeAcceptsAnUntrustedCertificateForTheWrongName(TlsProvider provider) throws Exception {
        TlsLoopback.EchoServer server = server();

        TlsLoopback.Client client = connect(server.port(), ClientTlsOptions.builder().provider(provider)
                .insecure(true).serverName("wrong.example").build(), "10.9.9.9").handshake();

        assertThat(client.echo("anything goes")).isEqualTo("anything goes");
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void alpnIsNegotiated(TlsProvider provider) throws Exception {
        TlsLoopback.EchoServer server = server();

        TlsLoopback.Client client = connect(server.port(),
                trusting(provider).alpn(List.of("http/1.1", "h2")).build(), "localhost").handshake();

        assertThat(client.ssl().applicationProtocol()).isIn("h2", "http/1.1");
        assertThat(client.echo("alpn")).isEqualTo("alpn");
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void withoutAlpnNoProtocolIsNegotiated(TlsProvider provider) throws Exception {
        TlsLoopback.EchoServer server = server();

        TlsLoopback.Client client = connect(server.port(), trusting(provider).build(), "localhost").handshake();

        assertThat(client.ssl().applicationProtocol()).isNull();
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void handshakeTimeoutFiresAgainstASilentServer(TlsProvider provider) throws Exception {
        Channel silent = BoundedWait.sync(new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        // accepts and never answers: ClientHello goes unanswered
                    }
                })
                .bind(TlsLoopback.LOOPBACK, 0)).channel();
        track(() -> silent.close().await(WAIT_SECONDS, TimeUnit.SECONDS));
        int port = ((java.net.InetSocketAddress) silent.localAddress()).getPort();

        Throwable failure = connect(port, ClientTlsOptions.builder().provider(provider).insecure(true)
                .handshakeTimeout(Duration.ofMillis(300)).build(), "localhost").handshakeFailure();

        assertThat(failure).isInstanceOf(SslHandshakeTimeoutException.class);
    }

    @Test
    void insecureClientReachesAServerWhoseCertificateHasAnEmptyDn() throws Exception {
        TlsLoopback.EchoServer server = emptyDnServer();

        TlsLoopback.Client client = connect(server.port(),
                ClientTlsOptions.builder().insecure(true).build(), LOOPBACK_IP).handshake();

        assertThat(TlsProvider.AUTO.resolve()).isEqualTo(SslProvider.OPENSSL);
        assertThat(client.echo("reference server")).isEqualTo("reference server");
    }

    @Test
    void insecurePinCanTrustAServerWhoseCertificateHasAnEmptyDn() throws Exception {
        TestPki.EmptyDnCertificate certificate = TestPki.emptyDnCertificate();
        TlsLoopback.EchoServer server = emptyDnServer(certificate);

        TlsLoopback.Client client = connect(server.port(), ClientTlsOptions.builder().insecure(true)
                .addPinnedPublicKeySha256(SpkiPins.spkiSha256Base64(certificate.der())).build(), LOOPBACK_IP)
                .handshake();

        assertThat(client.echo("pinned reference server")).isEqualTo("pinned reference server");
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void verifyingClientRefusesTheEmptyDnServer(TlsProvider provider) throws Exception {
        TlsLoopback.EchoServer server = emptyDnServer();

        Throwable failure = connect(server.port(), ClientTlsOptions.builder().provider(provider).build(),
                LOOPBACK_IP).handshakeFailure();

        assertThat(failure).isInstanceOf(SSLException.class);
    }

    /** Documents the limit that makes AUTO prefer OpenSSL: the JDK engine parses the chain before any check. */
    @Test
    void insecureJdkEngineCannotReachTheEmptyDnServer() throws Exception {
        TlsLoopback.EchoServer server = emptyDnServer();

        Throwable failure = connect(server.port(),
                ClientTlsOptions.builder().provider(TlsProvider.JDK).insecure(true).build(), LOOPBACK_IP)
                .handshakeFailure();

        assertThat(failure).isInstanceOf(SSLException.class);
        assertThat(causes(failure)).contains("Empty issuer DN");
    }

    private TlsLoopback.EchoServer emptyDnServer() throws Exception {
        return emptyDnServer(TestPki.emptyDnCertificate());
    }

    /**
     * The JDK cannot parse the certificate, so neither a JDK server context nor any Netty path through a KeyStore
     * (PEM files, key + certificate) works. An OpenSSL server context fed by a key manager only needs the
     * certificate's bytes, which Netty's LazyX509Certificate carries without parsing.
     */
    private TlsLoopback.EchoServer emptyDnServer(TestPki.EmptyDnCertificate certificate) throws Exception {
        SslContext context = SslContextBuilder.forServer(new DerOnlyKeyManager(
                        certificate.keyPair().getPrivate(), new LazyX509Certificate(certificate.der())))
                .sslProvider(SslProvider.OPENSSL)
                .build();
        return track(TlsLoopback.EchoServer.start(group, context));
    }

    private static String causes(Throwable failure) {
        StringBuilder messages = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            messages.append(t).append('\n');
        }
        return messages.toString();
    }
}
