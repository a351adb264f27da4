package org.anytls4j.anytls.config;

import org.anytls4j.anytls.client.pool.PoolOptions;

import org.anytls4j.anytls.tls.TlsProvider;
import static org.anytls4j.anytls.config.SecretAssertions.assertNotLeaked;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ClientSettingsTest {

    private static final String PASSWORD = "s3cret-pw";
    private static final String PIN_HEX = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    @TempDir
    static Path directory;

    private static Map<String, Object> minimal() {
        Map<String, Object> properties = new HashMap<>();
        properties.put("transport.name", "hk1");
        properties.put("server", "hk1.example.net:443");
        properties.put(".password", PASSWORD);
        return properties;
    }

    private static Map<String, Object> with(Map<String, Object> base, Object... keysAndValues) {
        Map<String, Object> properties = new HashMap<>(base);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            properties.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return properties;
    }

    private static InvalidConfigurationException rejection(Map<String, Object> properties) {
        InvalidConfigurationException thrown = catchThrowableOfType(InvalidConfigurationException.class,
                () -> ClientSettings.from(properties));
        assertThat(thrown).as("rejection of %s", properties).isNotNull();
        assertNotLeaked(thrown, PASSWORD);
        return thrown;
    }

    @Test
    void appliesDocumentedDefaults() {
        ClientSettings settings = ClientSettings.from(minimal());

        assertThat(settings.name()).isEqualTo("hk1");
        assertThat(settings.serverHost()).isEqualTo("hk1.example.net");
        assertThat(settings.serverPort()).isEqualTo(443);
        assertThat(settings.password().reveal()).isEqualTo(PASSWORD);
        assertThat(settings.sni()).contains("hk1.example.net");
        assertThat(settings.insecure()).isFalse();
        assertThat(settings.trustedCertificate()).isEmpty();
        assertThat(settings.pinnedPublicKeySha256()).isEmpty();
        assertThat(settings.alpn()).isEmpty();
        assertThat(settings.tlsProvider()).isEqualTo(TlsProvider.AUTO);
        assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.handshakeTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.synackTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(settings.heartbeatInterval()).isEqualTo(Duration.ZERO);
        assertThat(settings.heartbeatTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.pool()).isEqualTo(new PoolOptions(Duration.ofSeconds(30), Duration.ofSeconds(60), 1,
                false, 0, false, Duration.ZERO));
        assertThat(settings.pool().maxSessions()).isZero();
        assertThat(settings.pool().maxSessionAge()).isZero();
    }

    @Test
    void readsEveryProperty() throws IOException {
        Path ca = Files.writeString(directory.resolve("every-ca.pem"), "pem");
        String pinBase64 = Base64.getEncoder().encodeToString(HexFormat.of().parseHex(PIN_HEX));
        ClientSettings settings = ClientSettings.from(with(minimal(),
                "sni", "front.example.org", "trustedCertificate", ca.toString(),
                "pinnedPublicKeySha256", new String[] {PIN_HEX.toUpperCase(), "sha256/" + pinBase64},
                "alpn", "h2,http/1.1", "tlsProvider", "jdk", "connectTimeout", "2s", "handshakeTimeout", "PT4S",
                "synackTimeout", "0", "heartbeatInterval", "15s", "heartbeatTimeout", 20,
                "idleSessionCheckInterval", "10s", "idleSessionTimeout", "2m", "minIdleSessions", 2,
                "disableReuse", "false", "maxSessions", "8", "warmIdleSessions", true, "maxSessionAge", "1h"));

        assertThat(settings.sni()).contains("front.example.org");
        assertThat(settings.trustedCertificate()).contains(ca);
        assertThat(settings.pinnedPublicKeySha256()).as("normalised to lower-case hex, duplicates dropped")
                .containsExactly(PIN_HEX);
        assertThat(settings.alpn()).containsExactly("h2", "http/1.1");
        assertThat(settings.tlsProvider()).isEqualTo(TlsProvider.JDK);
        assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.handshakeTimeout()).isEqualTo(Duration.ofSeconds(4));
        assertThat(settings.synackTimeout()).isEqualTo(Duration.ZERO);
        assertThat(settings.heartbeatInterval()).isEqualTo(Duration.ofSeconds(15));
        assertThat(settings.heartbeatTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(settings.pool()).isEqualTo(new PoolOptions(Duration.ofSeconds(10), Duration.ofMinutes(2), 2,
                false, 8, true, Duration.ofHours(1)));
    }

    @Test
    void takesServerPasswordSniAndInsecureFromTheUri() {
        ClientSettings settings = ClientSettings.from(Map.of("transport.name", "hk1",
                ".uri", "anytls://p%40ss:word@[2001:db8::1]:8964/?sni=front.example.org&insecure=1"));

        assertThat(settings.server()).isEqualTo(new HostPort("2001:db8::1", 8964));
        assertThat(settings.password().reveal()).isEqualTo("p@ss:word");
        assertThat(settings.sni()).contains("front.example.org");
        assertThat(settings.insecure()).isTrue();
    }

    @Test
    void acceptsUriAndExplicitPropertiesThatAgree() {
        ClientSettings settings = ClientSettings.from(with(minimal(),
                ".uri", "anytls://" + PASSWORD + "@HK1.example.net/?sni=hk1.example.net&insecure=0",
                "sni", "hk1.example.net", "insecure", "false"));

        assertThat(settings.server()).isEqualTo(new HostPort("hk1.example.net", 443));
        assertThat(settings.insecure()).isFalse();
    }

    @Test
    void uriWithoutPasswordTakesItFromThePasswordProperty() {
        ClientSettings settings = ClientSettings.from(Map.of("transport.name", "hk1",
                ".uri", "anytls://hk1.example.net:8443", ".password", PASSWORD));

        assertThat(settings.password().reveal()).isEqualTo(PASSWORD);
        assertThat(settings.serverPort()).isEqualTo(8443);
    }

    @Test
    void sendsNoSniForIpLiterals() {
        assertThat(ClientSettings.from(with(minimal(), "server", "[::1]:443")).sni()).isEmpty();
        assertThat(ClientSettings.from(with(minimal(), "server", "10.0.0.1:443")).sni()).isEmpty();
        assertThat(ClientSettings.from(with(minimal(), "sni", "127.0.0.1")).sni()).isEmpty();
        assertThat(ClientSettings.from(Map.of("transport.name", "a",
                ".uri", "anytls://pw@example.com/?sni=127.0.0.1&insecure=1")).sni()).isEmpty();
    }

    static Stream<Arguments> invalidProperties() {
        Path dir = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
        return Stream.of(
                Arguments.of("transport.name", ""),
                Arguments.of("transport.name", "has space"),
                Arguments.of("transport.name", "x".repeat(65)),
                Arguments.of("transport.name", "hk1/eu"),
                Arguments.of("server", "hk1.example.net"),
                Arguments.of("server", "hk1.example.net:0"),
                Arguments.of("server", "hk1.example.net:70000"),
                Arguments.of("server", "::1:443"),
                Arguments.of("server", new String[] {"a.example:1", "b.example:1"}),
                Arguments.of(".uri", "http://" + PASSWORD + "@hk1.example.net/"),
                Arguments.of(".uri", "anytls://" + PASSWORD + "@hk1.example.net/#hk1"),
                Arguments.of(".uri", "anytls://" + PASSWORD + "@hk1.example.net/?insecure=2"),
                Arguments.of(".password", new String[] {PASSWORD, PASSWORD + "2"}),
                Arguments.of("password", PASSWORD),
                Arguments.of("uri", "anytls://" + PASSWORD + "@hk1.example.net/"),
                Arguments.of("sni", "bad host"),
                Arguments.of("sni", "a..b"),
                Arguments.of("insecure", "yes"),
                Arguments.of("insecure", "1"),
                Arguments.of("trustedCertificate", dir.resolve("anytls4j-missing-ca.pem").toString()),
                Arguments.of("trustedCertificate", "relative.pem"),
                Arguments.of("trustedCertificate", dir.toString()),
                Arguments.of("pinnedPublicKeySha256", "abcd"),
                Arguments.of("pinnedPublicKeySha256", "z".repeat(64)),
                Arguments.of("pinnedPublicKeySha256", "sha256/AAAA"),
                Arguments.of("alpn", "h2 x"),
                Arguments.of("alpn", "h2,h2"),
                Arguments.of("alpn", "a".repeat(256)),
                Arguments.of("tlsProvider", "boringssl"),
                Arguments.of("connectTimeout", "0"),
                Arguments.of("connectTimeout", "-1s"),
                Arguments.of("connectTimeout", "soon"),
                Arguments.of("handshakeTimeout", "0s"),
                Arguments.of("synackTimeout", "-1"),
                Arguments.of("synackTimeout", "3 s"),
                Arguments.of("heartbeatInterval", "x"),
                Arguments.of("heartbeatTimeout", "0"),
                Arguments.of("idleSessionCheckInterval", "0"),
                Arguments.of("idleSessionTimeout", "0ms"),
                Arguments.of("idleSessionTimeout", "30 seconds"),
                Arguments.of("minIdleSessions", "-1"),
                Arguments.of("minIdleSessions", "1025"),
                Arguments.of("minIdleSessions", "one"),
                Arguments.of("disableReuse", "maybe"),
                Arguments.of("maxSessions", "-1"),
                Arguments.of("maxSessions", "65536"),
                Arguments.of("warmIdleSessions", "1"),
                Arguments.of("maxSessionAge", "-5m"));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("invalidProperties")
    void rejectsInvalidValuesNamingTheProperty(String property, Object value) {
        InvalidConfigurationException thrown = rejection(with(minimal(), property, value));

        assertThat(thrown.property()).isEqualTo(property);
        assertThat(thrown).hasMessageStartingWith("Invalid value for '" + property + "': ");
        if (property.startsWith(".") || property.equals("password") || property.equals("uri")) {
            assertThat(thrown).hasMessageStartingWith("Invalid value for '" + property + "': *** (");
        } else if (value instanceof String && !((String) value).isBlank()) {
            // A list property names the offending element, a scalar its whole value; long values are cut.
            String shown = ((String) value).split(",")[0];
            assertThat(thrown.getMessage()).contains("'" + shown.substring(0, Math.min(shown.length(), 100)));
        }
    }

    @Test
    void requiresAServer() {
        Map<String, Object> properties = minimal();
        properties.remove("server");

        assertThat(rejection(properties)).hasMessage(
                "Invalid value for 'server': <missing> (required: set 'server' (host:port) or '.uri')");
    }

    @Test
    void requiresAPassword() {
        Map<String, Object> properties = minimal();
        properties.remove(".password");

        assertThat(rejection(properties).property()).isEqualTo(".password");
    }

    @Test
    void requiresAName() {
        Map<String, Object> properties = minimal();
        properties.remove("transport.name");

        assertThat(rejection(properties)).hasMessage("Invalid value for 'transport.name': <missing> (required)");
    }

    @Test
    void rejectsUriDisagreeingWithExplicitProperties() {
        String uri = "anytls://" + PASSWORD + "@hk1.example.net:443/?sni=hk1.example.net&insecure=1";
        assertThat(rejection(with(minimal(), ".uri", uri.replace(":443", ":8443"))))
                .hasMessageContaining("'.uri': ***").hasMessageContaining("differs from 'server'");
        assertThat(rejection(with(minimal(), ".uri", uri, ".password", "other")))
                .hasMessageContaining("'.uri': ***").hasMessageContaining("password differs");
        assertThat(rejection(with(minimal(), ".uri", uri, "sni", "other.example")))
                .hasMessageContaining("'.uri': ***").hasMessageContaining("differs from 'sni'");
        assertThat(rejection(with(minimal(), ".uri", uri, "insecure", "false")))
                .hasMessageContaining("'.uri': ***").hasMessageContaining("differs from 'insecure'");
    }

    @Test
    void rejectsContradictoryCombinations() throws IOException {
        Path ca = Files.writeString(directory.resolve("combo-ca.pem"), "pem");
        assertThat(rejection(with(minimal(), "insecure", true, "trustedCertificate", ca.toString())).property())
                .isEqualTo("insecure");
        assertThat(rejection(with(minimal(), "insecure", "true", "pinnedPublicKeySha256", PIN_HEX)).property())
                .isEqualTo("insecure");
        assertThat(rejection(with(minimal(), "minIdleSessions", 5, "maxSessions", 4)))
                .hasMessage("Invalid value for 'minIdleSessions': 5 (exceeds maxSessions = 4)");
        assertThat(rejection(with(minimal(), "warmIdleSessions", true, "disableReuse", true)).property())
                .isEqualTo("warmIdleSessions");
        assertThat(rejection(with(minimal(), "warmIdleSessions", true, "minIdleSessions", 0)).property())
                .isEqualTo("warmIdleSessions");
    }

    @Test
    void allowsMinIdleEqualToMaxSessions() {
        assertThat(ClientSettings.from(with(minimal(), "minIdleSessions", 4, "maxSessions", 4)).pool()
                .maxSessions()).isEqualTo(4);
    }

    @Test
    void poolOnlyChangesAreRecognised() {
        ClientSettings base = ClientSettings.from(minimal());

        assertThat(base.isPoolOnlyChange(ClientSettings.from(minimal()))).isTrue();
        assertThat(base.isPoolOnlyChange(ClientSettings.from(with(minimal(), "idleSessionTimeout", "5m",
                "minIdleSessions", 3, "maxSessions", 10, "disableReuse", true, "maxSessionAge", "1h",
                "idleSessionCheckInterval", "1s")))).isTrue();
        assertThat(base.isPoolOnlyChange(ClientSettings.from(with(minimal(), "sni", "x.example")))).isFalse();
        assertThat(base.isPoolOnlyChange(ClientSettings.from(with(minimal(), ".password", "new")))).isFalse();
        assertThat(base.isPoolOnlyChange(ClientSettings.from(with(minimal(), "connectTimeout", "6s")))).isFalse();
        assertThat(base.isPoolOnlyChange(ClientSettings.from(with(minimal(), "transport.name", "hk2")))).isFalse();
    }

    @Test
    void equalConfigurationsGiveEqualSettings() {
        assertThat(ClientSettings.from(minimal())).isEqualTo(ClientSettings.from(minimal()))
                .hasSameHashCodeAs(ClientSettings.from(minimal()))
                .isNotEqualTo(ClientSettings.from(with(minimal(), "minIdleSessions", 2)));
    }

    @Test
    void toStringShowsSettingsButNeverThePassword() {
        ClientSettings settings = ClientSettings.from(with(minimal(),
                ".uri", "anytls://" + PASSWORD + "@hk1.example.net/"));

        assertThat(settings.toString()).doesNotContain(PASSWORD).contains("password=***")
                .contains("server=hk1.example.net:443").contains("idleSessionTimeout=PT1M");
    }

    @Test
    void readsEveryNameItDocumentsAndReportsTypos() {
        ConfigReader reader = new ConfigReader(with(minimal(), "idleSesionTimeout", "5s", "service.pid", "x"));

        ClientSettings.from(reader);

        assertThat(reader.unreadNames()).containsExactly("idleSesionTimeout");
        assertThat(reader.namesRead()).contains(ClientProperties.NAME, ClientProperties.URI,
                ClientProperties.MAX_SESSION_AGE);
    }
}
