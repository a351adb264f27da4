package org.anytls4j.anytls.config;

import org.anytls4j.anytls.tls.TlsProvider;
import static org.anytls4j.anytls.config.SecretAssertions.assertNotLeaked;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ServerSettingsTest {

    private static final String PASSWORD = "s3cret-pw";
    /** The default scheme of spec §9.7, without trailing LF. */
    private static final String DEFAULT_SCHEME = "stop=8\n0=30-30\n1=100-400\n"
            + "2=400-500,c,500-1000,c,500-1000,c,500-1000,c,500-1000\n3=9-9,500-1000\n4=500-1000\n5=500-1000\n"
            + "6=500-1000\n7=500-1000";

    @TempDir
    Path directory;

    private static Map<String, Object> minimal() {
        Map<String, Object> properties = new HashMap<>();
        properties.put("name", "edge");
        properties.put(".users", "alice:" + PASSWORD);
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
                () -> ServerSettings.from(properties));
        assertThat(thrown).as("rejection of %s", properties).isNotNull();
        assertNotLeaked(thrown, PASSWORD);
        return thrown;
    }

    @Test
    void appliesDocumentedDefaults() {
        ServerSettings settings = ServerSettings.from(minimal());

        assertThat(settings.name()).isEqualTo("edge");
        assertThat(settings.listenAddress()).isEqualTo("127.0.0.1");
        assertThat(settings.port()).isEqualTo(8443);
        assertThat(settings.certificateFile()).isEmpty();
        assertThat(settings.privateKeyFile()).isEmpty();
        assertThat(settings.users()).containsExactly(new ServerUser("alice", Secret.of(PASSWORD)));
        assertThat(settings.paddingScheme()).isEmpty();
        assertThat(settings.paddingSchemeFile()).isEmpty();
        assertThat(settings.authTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.handshakeTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.idleSessionTimeout()).isEqualTo(Duration.ZERO);
        assertThat(settings.maxStreamsPerSession()).isEqualTo(1024);
        assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.fallback()).isEmpty();
        assertThat(settings.tlsProvider()).isEqualTo(TlsProvider.AUTO);
    }

    @Test
    void readsEveryProperty() throws IOException {
        Path chain = Files.writeString(directory.resolve("chain.pem"), "chain");
        Path key = Files.writeString(directory.resolve("key.pem"), "key");
        ServerSettings settings = ServerSettings.from(with(minimal(), "listenAddress", "[::1]", "port", 0,
                "certificateFile", chain.toString(), "privateKeyFile", key.toString(),
                "paddingScheme", "stop=1\\n0=10-10", "authTimeout", "3s", "handshakeTimeout", "4s",
                "idleSessionTimeout", "5m", "maxStreamsPerSession", "16", "connectTimeout", "PT2S",
                "fallback", "127.0.0.1:8080", "tlsProvider", "OPENSSL"));

        assertThat(settings.listenAddress()).isEqualTo("::1");
        assertThat(settings.port()).as("0 = ephemeral").isZero();
        assertThat(settings.certificateFile()).contains(chain);
        assertThat(settings.privateKeyFile()).contains(key);
        assertThat(settings.paddingScheme()).hasValueSatisfying(bytes ->
                assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("stop=1\n0=10-10"));
        assertThat(settings.authTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(settings.handshakeTimeout()).isEqualTo(Duration.ofSeconds(4));
        assertThat(settings.idleSessionTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(settings.maxStreamsPerSession()).isEqualTo(16);
        assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.fallback()).contains(new HostPort("127.0.0.1", 8080));
        assertThat(settings.tlsProvider()).isEqualTo(TlsProvider.OPENSSL);
    }

    @Test
    void listensEverywhereOnlyWhenAskedTo() {
        assertThat(ServerSettings.from(with(minimal(), "listenAddress", "0.0.0.0")).listenAddress())
                .isEqualTo("0.0.0.0");
        assertThat(ServerSettings.from(with(minimal(), "listenAddress", "::")).listenAddress()).isEqualTo("::");
    }

    @Test
    void splitsUsersAtTheFirstColon() {
        ServerSettings settings = ServerSettings.from(with(minimal(),
                ".users", new String[] {"alice:pa:ss:word", " bob : with,comma "}));

        assertThat(settings.users()).extracting(ServerUser::name).containsExactly("alice", "bob");
        assertThat(settings.users()).extracting(user -> user.password().reveal())
                .containsExactly("pa:ss:word", "with,comma");
    }

    @Test
    void readsCommaSeparatedUsers() {
        ServerSettings settings = ServerSettings.from(with(minimal(), ".users", "alice:one, bob:two"));

        assertThat(settings.users()).extracting(ServerUser::name).containsExactly("alice", "bob");
        assertThat(settings.users().get(1).password().reveal()).isEqualTo("two");
    }

    @Test
    void paddingSchemeMayBeGivenAsLines() {
        ServerSettings settings = ServerSettings.from(with(minimal(),
                "paddingScheme", DEFAULT_SCHEME.split("\n")));

        assertThat(settings.paddingScheme()).hasValueSatisfying(bytes ->
                assertThat(bytes).isEqualTo(DEFAULT_SCHEME.getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void paddingSchemeFileIsKeptByteForByte() throws IOException {
        byte[] raw = (DEFAULT_SCHEME.replace("\n", "\r\n") + "\n").getBytes(StandardCharsets.US_ASCII);
        Path file = Files.write(directory.resolve("scheme.txt"), raw);

        ServerSettings settings = ServerSettings.from(with(minimal(), "paddingSchemeFile", file.toString()));

        assertThat(settings.paddingScheme()).hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo(raw));
        assertThat(settings.paddingSchemeFile()).contains(file);
    }

    @Test
    void paddingSchemeBytesCannotBeChangedFromOutside() {
        ServerSettings settings = ServerSettings.from(with(minimal(), "paddingScheme", "stop=1"));
        settings.paddingScheme().orElseThrow()[0] = 'X';

        assertThat(settings.paddingScheme().orElseThrow()[0]).isEqualTo((byte) 's');
    }

    @Test
    void invalidPaddingSchemeNamesWhereItCameFrom() throws IOException {
        Path file = Files.writeString(directory.resolve("bad.txt"), "nonsense");
        InvalidConfigurationException fromFile = ServerSettings.from(with(minimal(), "paddingSchemeFile",
                file.toString())).invalidPaddingScheme("missing stop");
        InvalidConfigurationException fromText = ServerSettings.from(with(minimal(), "paddingScheme", "nonsense"))
                .invalidPaddingScheme("missing stop");

        assertThat(fromFile.property()).isEqualTo("paddingSchemeFile");
        assertThat(fromFile).hasMessage("Invalid value for 'paddingSchemeFile': '" + file + "' (missing stop)");
        assertThat(fromText).hasMessage("Invalid value for 'paddingScheme': 'nonsense' (missing stop)");
    }

    @Test
    void rejectsOversizedPaddingSchemes() throws IOException {
        String big = "stop=1\n" + "x".repeat(ServerSettings.MAX_PADDING_SCHEME_BYTES);
        Path file = Files.writeString(directory.resolve("big.txt"), big);

        assertThat(rejection(with(minimal(), "paddingScheme", big)).property()).isEqualTo("paddingScheme");
        assertThat(rejection(with(minimal(), "paddingSchemeFile", file.toString())))
                .hasMessageContaining("longer than 65535");
    }

    @Test
    void rejectsSchemeTextAndFileTogether() throws IOException {
        Path file = Files.writeString(directory.resolve("s.txt"), "stop=1");

        assertThat(rejection(with(minimal(), "paddingScheme", "stop=1", "paddingSchemeFile", file.toString())))
                .hasMessageContaining("set either 'paddingScheme' or 'paddingSchemeFile', not both");
    }

    @Test
    void requiresCertificateAndKeyTogether() throws IOException {
        Path chain = Files.writeString(directory.resolve("chain.pem"), "chain");

        assertThat(rejection(with(minimal(), "certificateFile", chain.toString()))).hasMessage(
                "Invalid value for 'privateKeyFile': <missing> (required when 'certificateFile' is set)");
        assertThat(rejection(with(minimal(), "privateKeyFile", chain.toString()))).hasMessage(
                "Invalid value for 'certificateFile': <missing> (required when 'privateKeyFile' is set)");
    }

    @Test
    void requiresUsersAndName() {
        Map<String, Object> noUsers = minimal();
        noUsers.remove(".users");
        Map<String, Object> noName = minimal();
        noName.remove("name");

        assertThat(rejection(noUsers)).hasMessage(
                "Invalid value for '.users': <missing> (required: at least one name:password entry)");
        assertThat(rejection(noName).property()).isEqualTo("name");
    }

    static Stream<Arguments> invalidProperties() {
        Path dir = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
        return Stream.of(
                Arguments.of("name", "a b"),
                Arguments.of("name", "x".repeat(65)),
                Arguments.of("listenAddress", "localhost"),
                Arguments.of("listenAddress", "256.1.1.1"),
                Arguments.of("listenAddress", "[127.0.0.1]"),
                Arguments.of("port", "-1"),
                Arguments.of("port", "65536"),
                Arguments.of("port", "https"),
                Arguments.of("certificateFile", dir.resolve("anytls4j-missing-chain.pem").toString()),
                Arguments.of("privateKeyFile", "key.pem"),
                Arguments.of(".users", PASSWORD),
                Arguments.of(".users", "alice:"),
                Arguments.of(".users", "bad name:" + PASSWORD),
                Arguments.of(".users", ":" + PASSWORD),
                Arguments.of(".users", "alice:" + PASSWORD + ",alice:other"),
                Arguments.of(".users", "alice:" + PASSWORD + ",bob:" + PASSWORD),
                Arguments.of("users", "alice:" + PASSWORD),
                Arguments.of("paddingSchemeFile", dir.toString()),
                Arguments.of("authTimeout", "0"),
                Arguments.of("handshakeTimeout", "never"),
                Arguments.of("idleSessionTimeout", "-1"),
                Arguments.of("maxStreamsPerSession", "0"),
                Arguments.of("maxStreamsPerSession", "65536"),
                Arguments.of("connectTimeout", "0s"),
                Arguments.of("fallback", "127.0.0.1"),
                Arguments.of("fallback", "[::1]:0"),
                Arguments.of("tlsProvider", "gnutls"));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("invalidProperties")
    void rejectsInvalidValuesNamingTheProperty(String property, String value) {
        InvalidConfigurationException thrown = rejection(with(minimal(), property, value));

        assertThat(thrown.property()).isEqualTo(property);
        if (property.endsWith("users")) {
            assertThat(thrown).hasMessageStartingWith("Invalid value for '" + property + "': *** (");
        } else {
            assertThat(thrown).hasMessageStartingWith("Invalid value for '" + property + "': '" + value + "' (");
        }
    }

    @Test
    void usersMessagesNameTheUserButNotThePassword() {
        assertThat(rejection(with(minimal(), ".users", "alice:" + PASSWORD + ",bob:" + PASSWORD)))
                .hasMessageContaining("users 'alice' and 'bob' have the same password");
        assertThat(rejection(with(minimal(), ".users", "carol:")))
                .hasMessageContaining("user 'carol' has an empty password");
        assertThat(rejection(with(minimal(), ".users", List.of("alice:x", PASSWORD))))
                .hasMessageContaining("entry 2 is not name:password");
    }

    @Test
    void toStringNeverShowsPasswords() {
        ServerSettings settings = ServerSettings.from(with(minimal(), ".users", "alice:" + PASSWORD + ",bob:xyz-42",
                "paddingScheme", "stop=1"));

        assertThat(settings.toString()).doesNotContain(PASSWORD).doesNotContain("xyz-42")
                .contains("users=[alice:***, bob:***]").contains("paddingScheme=6 bytes");
    }

    @Test
    void equalConfigurationsGiveEqualSettings() {
        Map<String, Object> properties = with(minimal(), "paddingScheme", "stop=1");

        assertThat(ServerSettings.from(properties)).isEqualTo(ServerSettings.from(properties))
                .hasSameHashCodeAs(ServerSettings.from(properties))
                .isNotEqualTo(ServerSettings.from(with(properties, "paddingScheme", "stop=2")))
                .isNotEqualTo(ServerSettings.from(with(properties, ".users", "alice:other")));
    }
}
