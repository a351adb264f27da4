package org.anytls4j.anytls.tls;

import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SelfSignedServerCertificateTest {
    @TempDir
    Path dir;

    @Test
    void certificateParsesVerifiesItselfAndNamesTheHostsAndLoopback() throws Exception {
        SelfSignedServerCertificate generated = SelfSignedServerCertificate.generate("proxy.example", "10.0.0.7");

        X509Certificate parsed = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(generated.certificate().getEncoded()));
        parsed.verify(parsed.getPublicKey());

        assertThat(parsed.getVersion()).isEqualTo(3);
        assertThat(parsed.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(parsed.getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(parsed.getSubjectX500Principal().getName()).isEqualTo("CN=proxy.example");
        assertThat(parsed.getIssuerX500Principal()).isEqualTo(parsed.getSubjectX500Principal());
        assertThat(parsed.getSubjectAlternativeNames()).containsExactlyInAnyOrder(
                List.of(2, "proxy.example"), List.of(7, "10.0.0.7"), List.of(7, "127.0.0.1"),
                List.of(7, "0:0:0:0:0:0:0:1"));
        assertThat(parsed.getBasicConstraints()).isEqualTo(-1);
        assertThat(parsed.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        Instant now = Instant.now();
        assertThat(parsed.getNotBefore().toInstant()).isBetween(now.minus(Duration.ofDays(1)).minusSeconds(60),
                now.minus(Duration.ofDays(1)).plusSeconds(60));
        assertThat(parsed.getNotAfter().toInstant()).isBetween(now.plus(Duration.ofDays(365)).minusSeconds(60),
                now.plus(Duration.ofDays(365)).plusSeconds(60));
    }

    @Test
    void fingerprintAndPinDescribeTheCertificate() throws Exception {
        SelfSignedServerCertificate generated = SelfSignedServerCertificate.generate("localhost");

        assertThat(generated.sha256Fingerprint()).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
        assertThat(Base64.getDecoder().decode(generated.spkiPin()))
                .isEqualTo(SpkiPins.sha256(generated.certificate().getPublicKey().getEncoded()));
        assertThat(generated.certificatePem()).startsWith("-----BEGIN CERTIFICATE-----\n");
        assertThat(Pem.certificates(generated.certificatePem().getBytes())).containsExactly(generated.certificate());
        assertThat(generated.toString()).contains(generated.sha256Fingerprint()).doesNotContain("PRIVATE");
    }

    @Test
    void everyCertificateHasItsOwnKey() {
        assertThat(SelfSignedServerCertificate.generate("localhost").spkiPin())
                .isNotEqualTo(SelfSignedServerCertificate.generate("localhost").spkiPin());
    }

    @Test
    void badHostnamesAreNamed() {
        assertThatThrownBy(() -> SelfSignedServerCertificate.generate("bad host"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'bad host'");
        assertThatThrownBy(() -> SelfSignedServerCertificate.generate(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
    }

    @Test
    void aJdkClientTrustingItConnectsToAJdkServerUsingIt() throws Exception {
        SelfSignedServerCertificate generated = SelfSignedServerCertificate.generate("localhost");
        SslContext serverContext = SslContextBuilder.forServer(generated.privateKey(), generated.certificate())
                .sslProvider(SslProvider.JDK).build();
        ClientTlsOptions options = ClientTlsOptions.builder()
                .provider(TlsProvider.JDK)
                .trustedCertificatesPem(TestPki.writeCertificates(dir.resolve("trust.pem"), generated.certificate()))
                .build();
        EventLoopGroup group = TlsLoopback.newGroup();
        try (TlsLoopback.EchoServer server = TlsLoopback.EchoServer.start(group, serverContext);
             TlsLoopback.Client client = TlsLoopback.Client.connect(group, server.port(),
                     ClientSslContexts.create(options), options, "localhost")) {
            client.handshake();

            assertThat(client.peerCertificate()).isEqualTo(generated.certificate());
            assertThat(client.echo("generated")).isEqualTo("generated");
        } finally {
            TlsLoopback.shutdown(group);
        }
    }
}
