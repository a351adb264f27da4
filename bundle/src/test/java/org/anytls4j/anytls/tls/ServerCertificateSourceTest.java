package org.anytls4j.anytls.tls;

import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslHandler;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServerCertificateSourceTest {
    private static EventLoopGroup group;
    private static X509Bundle first;
    private static X509Bundle second;

    private final List<AutoCloseable> resources = new ArrayList<>();
    @TempDir
    Path dir;
    private Path chainFile;
    private Path keyFile;

    @BeforeAll
    static void setUp() throws Exception {
        group = TlsLoopback.newGroup();
        first = TestPki.selfSigned("first", "localhost");
        second = TestPki.selfSigned("second", "localhost");
    }

    @AfterAll
    static void tearDown() throws InterruptedException {
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

    private ServerTlsOptions.Builder pemOptions(X509Bundle bundle) throws Exception {
        chainFile = TestPki.writeCertificates(dir.resolve("chain.pem"), bundle.getCertificate());
        keyFile = TestPki.writePkcs8Key(dir.resolve("key.pem"), bundle);
        return ServerTlsOptions.builder().pemFiles(chainFile, keyFile);
    }

    /** Replaces both files the way certificate tools do: write aside, then rename over the old file. */
    private void replaceFiles(X509Bundle bundle) throws Exception {
        Path newChain = TestPki.writeCertificates(dir.resolve("chain.pem.new"), bundle.getCertificate());
        Path newKey = TestPki.writePkcs8Key(dir.resolve("key.pem.new"), bundle);
        Files.move(newChain, chainFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.move(newKey, keyFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private TlsLoopback.Client connect(int port, ClientTlsOptions options) throws Exception {
        return track(TlsLoopback.Client.connect(group, port, ClientSslContexts.create(options), options,
                "localhost"));
    }

    private ClientTlsOptions trustingBoth(TlsProvider provider) throws Exception {
        return ClientTlsOptions.builder()
                .provider(provider)
                .trustedCertificatesPem(TestPki.writeCertificates(dir.resolve("trusted.pem"),
                        first.getCertificate(), second.getCertificate()))
                .build();
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void replacingThePemFilesSwitchesNewConnectionsWhileOpenOnesKeepWorking(TlsProvider provider)
            throws Exception {
        ServerCertificateSource source = ServerCertificateSource.create(pemOptions(first).provider(provider).build());
        TlsLoopback.EchoServer server = track(TlsLoopback.EchoServer.start(group, source::newHandler));
        ClientTlsOptions client = trustingBoth(provider);
        TlsLoopback.Client before = connect(server.port(), client).handshake();

        replaceFiles(second);
        boolean switched = source.refreshIfChanged();
        TlsLoopback.Client after = connect(server.port(), client).handshake();

        assertThat(switched).isTrue();
        assertThat(fingerprint(before.peerCertificate())).isEqualTo(fingerprint(first.getCertificate()));
        assertThat(fingerprint(after.peerCertificate())).isEqualTo(fingerprint(second.getCertificate()));
        assertThat(source.currentCertificate()).isEqualTo(second.getCertificate());
        assertThat(before.echo("still here")).isEqualTo("still here");
        assertThat(after.echo("new certificate")).isEqualTo("new certificate");
        assertThat(source.refreshIfChanged()).isFalse();
    }

    @Test
    void overwritingTheFilesInPlaceIsNoticedToo() throws Exception {
        ServerCertificateSource source = ServerCertificateSource.create(pemOptions(first).build());

        TestPki.writeCertificates(chainFile, second.getCertificate());
        TestPki.writePkcs8Key(keyFile, second);

        assertThat(source.refreshIfChanged()).isTrue();
        assertThat(source.currentCertificate()).isEqualTo(second.getCertificate());
    }

    @Test
    void touchingTheFilesWithoutChangingThemKeepsTheContext() throws Exception {
        ServerCertificateSource source = ServerCertificateSource.create(pemOptions(first).build());
        var context = source.current();

        Files.setLastModifiedTime(chainFile, FileTime.from(Instant.now().plusSeconds(60)));

        assertThat(source.refreshIfChanged()).isFalse();
        assertThat(source.current()).isSameAs(context);
    }

    @Test
    void brokenReplacementKeepsThePreviousContextAndNamesTheFile() throws Exception {
        ServerCertificateSource source = ServerCertificateSource.create(pemOptions(first).build());
        var context = source.current();

        Files.writeString(chainFile, "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n"
                + "-----END CERTIFICATE-----\n");

        assertThatThrownBy(source::refreshIfChanged)
                .isInstanceOf(CertificateLoadException.class)
                .hasMessageContaining(chainFile.toString())
                .satisfies(e -> assertThat(((CertificateLoadException) e).file()).isEqualTo(chainFile));
        assertThat(source.current()).isSameAs(context);
        assertThat(source.currentCertificate()).isEqualTo(first.getCertificate());
        // reported once; the same broken state is not retried on every tick
        assertThat(source.refreshIfChanged()).isFalse();

        replaceFiles(second);
        assertThat(source.refreshIfChanged()).isTrue();
        assertThat(source.currentCertificate()).isEqualTo(second.getCertificate());
    }

    @Test
    void aKeyOfAnotherCertificateIsRefusedNamingTheKeyFile() throws Exception {
        pemOptions(first);
        TestPki.writePkcs8Key(keyFile, second);

        assertThatThrownBy(() -> ServerCertificateSource.create(
                ServerTlsOptions.builder().pemFiles(chainFile, keyFile).build()))
                .isInstanceOf(CertificateLoadException.class)
                .hasMessageContaining(keyFile.toString())
                .hasMessageContaining("does not belong");
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("absent.pem");

        assertThatThrownBy(() -> ServerCertificateSource.create(
                ServerTlsOptions.builder().pemFiles(missing, missing).build()))
                .isInstanceOf(CertificateLoadException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("does not exist");
    }

    @Test
    void pkcs1RsaKeysAreAccepted() throws Exception {
        X509Bundle rsa = new CertificateBuilder().subject("CN=rsa").addSanDnsName("localhost").rsa2048()
                .notBefore(Instant.now().minus(1, ChronoUnit.DAYS)).notAfter(Instant.now().plus(1, ChronoUnit.DAYS))
                .setIsCertificateAuthority(true).buildSelfSigned();
        Path chain = TestPki.writeCertificates(dir.resolve("rsa.pem"), rsa.getCertificate());
        Path key = Files.writeString(dir.resolve("rsa.key"),
                Pem.encode("RSA PRIVATE KEY", innerKey(rsa.getKeyPair().getPrivate().getEncoded())));

        ServerCertificateSource source = ServerCertificateSource.create(
                ServerTlsOptions.builder().pemFiles(chain, key).build());

        assertThat(source.currentCertificate()).isEqualTo(rsa.getCertificate());
    }

    @Test
    void sec1EcKeysAreAccepted() throws Exception {
        pemOptions(first);
        List<Der.Element> fields = Der.parse(innerKey(first.getKeyPair().getPrivate().getEncoded())).children();
        List<byte[]> sec1 = new ArrayList<>();
        sec1.add(fields.get(0).encoded());
        sec1.add(fields.get(1).encoded());
        sec1.add(Der.explicit(0, Der.oid("1.2.840.10045.3.1.7")));
        Files.writeString(keyFile, Pem.encode("EC PARAMETERS", Der.oid("1.2.840.10045.3.1.7"))
                + Pem.encode("EC PRIVATE KEY", Der.sequence(sec1.toArray(new byte[0][]))));

        ServerCertificateSource source = ServerCertificateSource.create(
                ServerTlsOptions.builder().pemFiles(chainFile, keyFile).build());

        assertThat(source.currentCertificate()).isEqualTo(first.getCertificate());
    }

    @Test
    void encryptedKeysAreRefusedWithAHint() throws Exception {
        pemOptions(first);
        Files.writeString(keyFile, Pem.encode("ENCRYPTED PRIVATE KEY", new byte[] {0x30, 0}));

        assertThatThrownBy(() -> ServerCertificateSource.create(
                ServerTlsOptions.builder().pemFiles(chainFile, keyFile).build()))
                .isInstanceOf(CertificateLoadException.class)
                .hasMessageContaining(keyFile.toString())
                .hasMessageContaining("encrypted");
    }

    @Test
    void withoutFilesASelfSignedCertificateIsGeneratedAndAWarningCarriesItsPin() throws Exception {
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger(ServerCertificateSource.class.getName());
        logger.addHandler(capture);
        ServerCertificateSource source;
        try {
            source = ServerCertificateSource.create(
                    ServerTlsOptions.builder().selfSignedHostnames(List.of("proxy.test")).build());
        } finally {
            logger.removeHandler(capture);
        }
        String pin = SpkiPins.spkiSha256Base64(source.currentCertificate().getEncoded());
        TlsLoopback.EchoServer server = track(TlsLoopback.EchoServer.start(group, source::newHandler));

        TlsLoopback.Client client = connect(server.port(), ClientTlsOptions.builder()
                .insecure(true).addPinnedPublicKeySha256(pin).build()).handshake();

        assertThat(source.reloadable()).isFalse();
        assertThat(source.refreshIfChanged()).isFalse();
        assertThat(records).anySatisfy(record -> {
            assertThat(record.getLevel()).isEqualTo(Level.WARNING);
            assertThat(new SimpleFormatter().formatMessage(record))
                    .contains("self-signed")
                    .contains(pin)
                    .contains(SelfSignedServerCertificate.fingerprint(source.currentCertificate()));
        });
        assertThat(client.echo("self-signed")).isEqualTo("self-signed");
    }

    @Test
    void handlersCarryTheHandshakeTimeout() throws Exception {
        ServerCertificateSource source = ServerCertificateSource.create(
                pemOptions(first).handshakeTimeout(Duration.ofMillis(1234)).build());

        SslHandler handler = source.newHandler(UnpooledByteBufAllocator.DEFAULT);
        try {
            assertThat(handler.getHandshakeTimeoutMillis()).isEqualTo(1234);
        } finally {
            ReferenceCountUtil.release(handler.engine());
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void serverAlpnSelectsFromTheClientOffer(TlsProvider provider) throws Exception {
        ServerCertificateSource source = ServerCertificateSource.create(
                pemOptions(first).provider(provider).alpn(List.of("h2", "http/1.1")).build());
        TlsLoopback.EchoServer server = track(TlsLoopback.EchoServer.start(group, source::newHandler));

        TlsLoopback.Client client = connect(server.port(), trustingBoth(provider).toBuilder()
                .alpn(List.of("http/1.1")).build()).handshake();

        assertThat(client.ssl().applicationProtocol()).isEqualTo("http/1.1");
    }

    /** The OCTET STRING inside PKCS#8: a PKCS#1 RSAPrivateKey or a SEC1 ECPrivateKey. */
    private static byte[] innerKey(byte[] pkcs8) {
        return Der.parse(pkcs8).children().get(2).content();
    }

    private static String fingerprint(X509Certificate certificate) {
        return SelfSignedServerCertificate.fingerprint(certificate);
    }
}
