package org.anytls4j.anytls.server;

import org.anytls4j.anytls.config.ServerSettings;
import org.anytls4j.anytls.io.IoRuntime;
import org.anytls4j.anytls.tls.SelfSignedServerCertificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.anytls4j.anytls.server.AnyTlsServerRuntimeTest.config;
import static org.assertj.core.api.Assertions.assertThat;

/** The server presents the certificate in its PEM files, and a replaced pair to new connections. */
class ServerCertificateFilesTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static IoRuntime io;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void startIo() {
        io = IoRuntime.create(IoRuntime.Kind.NIO, 2, "certificate-files-test");
    }

    @AfterAll
    static void stopIo() {
        io.close();
    }

    @AfterEach
    void closeEverything() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    /** Writes the pair to a temporary name first and moves it into place, as certificate tooling does. */
    private void writePair(SelfSignedServerCertificate pair, Path certificate, Path key) throws Exception {
        Path certificateTemp = Files.createTempFile(dir, "cert", ".tmp");
        Path keyTemp = Files.createTempFile(dir, "key", ".tmp");
        Files.writeString(certificateTemp, pair.certificatePem());
        Files.writeString(keyTemp, "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pair.privateKey().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        Files.move(keyTemp, key, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.move(certificateTemp, certificate, StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    private AnyTlsServerRuntime start(Map<String, Object> properties, ServerRuntimeTimings timings)
            throws Exception {
        AnyTlsServerRuntime runtime = AnyTlsServerRuntime.start(ServerSettings.from(properties), io, timings);
        toClose.add(runtime);
        runtime.bound().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        return runtime;
    }

    private static X509Certificate presented(AnyTlsServerRuntime server) throws Exception {
        try (RawTlsClient client = RawTlsClient.connect(io, server.localAddress())) {
            return client.serverCertificate();
        }
    }

    @Test
    void servesThePairFromTheFilesAndSwitchesWhenTheyAreReplaced() throws Exception {
        Path certificate = dir.resolve("server.crt");
        Path key = dir.resolve("server.key");
        SelfSignedServerCertificate first = SelfSignedServerCertificate.generate("first.test");
        SelfSignedServerCertificate second = SelfSignedServerCertificate.generate("second.test");
        writePair(first, certificate, key);
        AnyTlsServerRuntime server = start(config("certificateFile", certificate.toString(),
                "privateKeyFile", key.toString()), new ServerRuntimeTimings(Duration.ZERO, Duration.ofMillis(20),
                Duration.ofMillis(20)));
        try (RawTlsClient before = RawTlsClient.connect(io, server.localAddress())) {
            assertThat(before.serverCertificate()).isEqualTo(first.certificate());

            writePair(second, certificate, key);
            assertThat(server.refreshCertificate()).isTrue();

            assertThat(presented(server)).isEqualTo(second.certificate());
            assertThat(server.currentCertificate()).isEqualTo(second.certificate());
            // Connections already open keep the certificate they were handshaken with.
            assertThat(before.serverCertificate()).isEqualTo(first.certificate());
        }
        assertThat(server.refreshCertificate()).as("nothing changed since").isFalse();
    }

    @Test
    void thePeriodicCheckPicksUpReplacedFilesWithoutBeingAsked() throws Exception {
        Path certificate = dir.resolve("server.crt");
        Path key = dir.resolve("server.key");
        SelfSignedServerCertificate first = SelfSignedServerCertificate.generate("first.test");
        SelfSignedServerCertificate second = SelfSignedServerCertificate.generate("second.test");
        writePair(first, certificate, key);
        AnyTlsServerRuntime server = start(config("certificateFile", certificate.toString(),
                "privateKeyFile", key.toString()), new ServerRuntimeTimings(Duration.ofMillis(20),
                Duration.ofMillis(20), Duration.ofMillis(20)));
        assertThat(presented(server)).isEqualTo(first.certificate());

        writePair(second, certificate, key);

        // Each round is a full TLS handshake, an event to wait on, bounded by the deadline.
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        X509Certificate seen = presented(server);
        while (!seen.equals(second.certificate()) && System.nanoTime() < deadline) {
            seen = presented(server);
        }
        assertThat(seen).isEqualTo(second.certificate());
    }

    @Test
    void aBrokenReplacementKeepsTheWorkingCertificate() throws Exception {
        Path certificate = dir.resolve("server.crt");
        Path key = dir.resolve("server.key");
        SelfSignedServerCertificate first = SelfSignedServerCertificate.generate("first.test");
        writePair(first, certificate, key);
        AnyTlsServerRuntime server = start(config("certificateFile", certificate.toString(),
                "privateKeyFile", key.toString()), new ServerRuntimeTimings(Duration.ZERO, Duration.ofMillis(20),
                Duration.ofMillis(20)));

        Files.writeString(certificate, "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n");

        org.assertj.core.api.Assertions.assertThatThrownBy(server::refreshCertificate)
                .hasMessageContaining(certificate.toString());
        assertThat(presented(server)).isEqualTo(first.certificate());
    }

    @Test
    void withoutFilesASelfSignedCertificateIsGenerated() throws Exception {
        AnyTlsServerRuntime server = start(config(), ServerRuntimeTimings.DEFAULTS);

        X509Certificate served = presented(server);

        assertThat(served).isEqualTo(server.currentCertificate());
        assertThat(served.getSubjectX500Principal()).isEqualTo(served.getIssuerX500Principal());
        assertThat(server.refreshCertificate()).as("nothing to reload").isFalse();
    }
}
