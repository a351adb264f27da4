package org.anytls4j.anytls.server;

import org.anytls4j.anytls.config.HostPort;
import org.anytls4j.anytls.config.InvalidConfigurationException;
import org.anytls4j.anytls.config.ServerSettings;
import org.anytls4j.anytls.io.IoRuntime;
import org.anytls4j.anytls.padding.PaddingScheme;
import org.anytls4j.anytls.session.ServerUsers;
import org.anytls4j.anytls.tls.TlsProvider;
import org.anytls4j.anytls.wire.AuthBlock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.anytls4j.anytls.server.AnyTlsServerRuntimeTest.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a configuration becomes, and how a configuration that can never work is refused before anything starts. */
class ServerSettingsTranslatorTest {
    @TempDir
    Path dir;

    private static ServerSettings settings(Object... keysAndValues) {
        return ServerSettings.from(config(keysAndValues));
    }

    @Test
    void usersAuthenticateByTheirPasswordHash() {
        ServerUsers users = ServerSettingsTranslator.users(settings(".users", new String[] {"a:pa", "b:pb"}));

        assertThat(users.names()).containsExactly("a", "b");
        assertThat(users.authenticate(AuthBlock.passwordHash("pb"))).hasValue("b");
        assertThat(users.authenticate(AuthBlock.passwordHash("pc"))).isEmpty();
        assertThat(users.toString()).doesNotContain("pa").doesNotContain("pb");
    }

    @Test
    void withoutASchemeTheDefaultIsPushed() {
        assertThat(ServerSettingsTranslator.paddingScheme(settings())).isSameAs(PaddingScheme.DEFAULT);
    }

    @Test
    void aSchemeInTheConfigurationIsKeptByteForByte() {
        PaddingScheme scheme = ServerSettingsTranslator.paddingScheme(settings("paddingScheme", "stop=2\\n1=10-20"));

        assertThat(scheme.raw()).isEqualTo("stop=2\n1=10-20".getBytes(StandardCharsets.UTF_8));
        assertThat(scheme.stop()).isEqualTo(2);
    }

    @Test
    void anInvalidSchemeIsRejectedNamingPaddingScheme() {
        ServerSettings settings = settings("paddingScheme", "stop=2\\n1=20-10");

        assertThatThrownBy(() -> ServerSettingsTranslator.paddingScheme(settings))
                .isInstanceOfSatisfying(InvalidConfigurationException.class,
                        e -> assertThat(e.property()).isEqualTo("paddingScheme"))
                .hasMessageContaining("Invalid value for 'paddingScheme'");
    }

    @Test
    void anInvalidSchemeFileIsRejectedNamingPaddingSchemeFile() throws Exception {
        Path file = Files.writeString(dir.resolve("scheme.txt"), "1=10-20\n");
        ServerSettings settings = settings("paddingSchemeFile", file.toString());

        assertThatThrownBy(() -> ServerSettingsTranslator.paddingScheme(settings))
                .isInstanceOfSatisfying(InvalidConfigurationException.class,
                        e -> assertThat(e.property()).isEqualTo("paddingSchemeFile"))
                .hasMessageContaining(file.toString());
    }

    @Test
    void anInvalidSchemeStopsTheRuntimeFromStartingBeforeItListens() {
        ServerSettings settings = settings("paddingScheme", "not a scheme");

        try (IoRuntime io = IoRuntime.create(IoRuntime.Kind.NIO, 1, "translator-test")) {
            assertThatThrownBy(() -> AnyTlsServerRuntime.start(settings, io))
                    .isInstanceOfSatisfying(InvalidConfigurationException.class,
                            e -> assertThat(e.property()).isEqualTo("paddingScheme"));
        }
    }

    @Test
    void unusablePemFilesAreRejectedNamingTheFileProperty() throws Exception {
        Path certificate = Files.writeString(dir.resolve("server.crt"), "no certificate here\n");
        Path key = Files.writeString(dir.resolve("server.key"), "no key here\n");
        ServerSettings settings = settings("certificateFile", certificate.toString(),
                "privateKeyFile", key.toString());

        assertThatThrownBy(() -> ServerSettingsTranslator.certificates(settings))
                .isInstanceOfSatisfying(InvalidConfigurationException.class,
                        e -> assertThat(e.property()).isEqualTo("certificateFile"))
                .hasMessageContaining(certificate.toString());
    }

    @Test
    void tlsOptionsCarryTheFilesProviderAndHandshakeTimeout() throws Exception {
        Path certificate = Files.writeString(dir.resolve("server.crt"), "x");
        Path key = Files.writeString(dir.resolve("server.key"), "y");

        var options = ServerSettingsTranslator.tlsOptions(settings("certificateFile", certificate.toString(),
                "privateKeyFile", key.toString(), "tlsProvider", "jdk", "handshakeTimeout", "3s"));

        assertThat(options.certificateChainPem()).hasValue(certificate);
        assertThat(options.privateKeyPem()).hasValue(key);
        assertThat(options.provider()).isEqualTo(TlsProvider.JDK);
        assertThat(options.handshakeTimeout()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void theListenAddressIsTheConfiguredLiteral() {
        assertThat(ServerSettingsTranslator.bindAddress(settings("listenAddress", "::1", "port", 8443)))
                .isEqualTo(new InetSocketAddress("::1", 8443));
        assertThat(ServerSettingsTranslator.bindAddress(settings()).getAddress().isLoopbackAddress()).isTrue();
    }

    @Test
    void aFallbackHostNameStaysUnresolvedAndALiteralDoesNot() {
        InetSocketAddress byName = ServerSettingsTranslator.fallbackAddress(HostPort.parse("web.example:80"));
        InetSocketAddress literal = ServerSettingsTranslator.fallbackAddress(HostPort.parse("127.0.0.1:8080"));

        assertThat(byName.isUnresolved()).isTrue();
        assertThat(byName.getHostString()).isEqualTo("web.example");
        assertThat(literal.isUnresolved()).isFalse();
        assertThat(literal.getPort()).isEqualTo(8080);
    }
}
