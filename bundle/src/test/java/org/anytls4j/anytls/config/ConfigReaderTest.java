package org.anytls4j.anytls.config;

import org.anytls4j.anytls.tls.TlsProvider;
import static org.anytls4j.anytls.config.SecretAssertions.assertNotLeaked;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigReaderTest {

    private static ConfigReader reader(String name, Object value) {
        Map<String, Object> properties = new HashMap<>();
        properties.put(name, value);
        return new ConfigReader(properties);
    }

    private static InvalidConfigurationException rejection(ThrowingCallable read) {
        InvalidConfigurationException thrown = catchThrowableOfType(InvalidConfigurationException.class, read);
        assertThat(thrown).as("expected an InvalidConfigurationException").isNotNull();
        return thrown;
    }

    // --- strings

    @Test
    void stringIsTrimmedAndBlankMeansDefault() {
        assertThat(reader("sni", "  a.example ").string("sni", "d")).isEqualTo("a.example");
        assertThat(reader("sni", "   ").string("sni", "d")).isEqualTo("d");
        assertThat(reader("other", "x").string("sni", "d")).isEqualTo("d");
        assertThat(reader("sni", "   ").optionalString("sni")).isEmpty();
    }

    @Test
    void singleValuedPropertyAcceptsOneElementArraysAndCollections() {
        assertThat(reader("k", new String[] {"v"}).string("k", "d")).isEqualTo("v");
        assertThat(reader("k", List.of("v")).string("k", "d")).isEqualTo("v");
        assertThat(reader("k", new int[] {7}).intInRange("k", 0, 0, 10)).isEqualTo(7);
        assertThat(reader("k", new String[0]).string("k", "d")).isEqualTo("d");
    }

    @Test
    void singleValuedPropertyRejectsSeveralValues() {
        InvalidConfigurationException thrown = rejection(() -> reader("sni", new String[] {"a", "b"}).string("sni",
                "d"));

        assertThat(thrown.property()).isEqualTo("sni");
        assertThat(thrown).hasMessage("Invalid value for 'sni': ['a', 'b'] (expected a single value, got 2)");
    }

    @Test
    void requiredStringNamesTheMissingProperty() {
        InvalidConfigurationException thrown = rejection(() -> reader("x", "y").requiredString("transport.name"));

        assertThat(thrown).hasMessage("Invalid value for 'transport.name': <missing> (required)");
        assertThat(thrown.property()).isEqualTo("transport.name");
    }

    @Test
    void textKeepsWhiteSpaceAndJoinsLines() {
        assertThat(reader("t", "a=1\nb=2\n").optionalText("t")).contains("a=1\nb=2\n");
        assertThat(reader("t", new String[] {"a=1", "b=2"}).optionalText("t")).contains("a=1\nb=2");
        assertThat(reader("t", List.of("a=1", "b=2")).optionalText("t")).contains("a=1\nb=2");
        assertThat(reader("t", " \n ").optionalText("t")).isEmpty();
    }

    // --- booleans

    @ParameterizedTest
    @CsvSource({"true,true", "false,false", "TRUE,true", "  False ,false"})
    void readsBooleanText(String text, boolean expected) {
        assertThat(reader("insecure", text).bool("insecure", !expected)).isEqualTo(expected);
    }

    @Test
    void readsBooleanObjectsAndDefaults() {
        assertThat(reader("insecure", Boolean.TRUE).bool("insecure", false)).isTrue();
        assertThat(reader("x", "y").bool("insecure", true)).isTrue();
        assertThat(reader("x", "y").optionalBool("insecure")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", "1", "0", "on", "tru"})
    void rejectsOtherBooleanWords(String text) {
        InvalidConfigurationException thrown = rejection(() -> reader("disableReuse", text).bool("disableReuse",
                false));

        assertThat(thrown).hasMessage("Invalid value for 'disableReuse': '" + text + "' (expected true or false)");
    }

    // --- integers

    @Test
    void readsIntegersFromTextAndNumbers() {
        assertThat(reader("n", "5").intInRange("n", 0, 0, 10)).isEqualTo(5);
        assertThat(reader("n", " 10 ").intInRange("n", 0, 0, 10)).isEqualTo(10);
        assertThat(reader("n", 3).intInRange("n", 0, 0, 10)).isEqualTo(3);
        assertThat(reader("n", 4L).intInRange("n", 0, 0, 10)).isEqualTo(4);
        assertThat(reader("x", "1").intInRange("n", 7, 0, 10)).isEqualTo(7);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "abc                  | 'abc' (expected a whole number in 0..10)",
        "5.5                  | '5.5' (expected a whole number in 0..10)",
        "99999999999999999999 | '99999999999999999999' (expected a whole number in 0..10)",
        "-1                   | '-1' (must be in 0..10)",
        "11                   | '11' (must be in 0..10)"
    })
    void rejectsBadIntegers(String text, String expectedTail) {
        InvalidConfigurationException thrown = rejection(() -> reader("minIdleSessions", text)
                .intInRange("minIdleSessions", 1, 0, 10));

        assertThat(thrown).hasMessage("Invalid value for 'minIdleSessions': " + expectedTail);
    }

    @Test
    void rejectsFractionalNumberObjects() {
        assertThatThrownBy(() -> reader("n", 2.5d).intInRange("n", 0, 0, 10))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("Invalid value for 'n': '2.5' (expected a whole number in 0..10)");
    }

    // --- durations

    static Stream<Arguments> durations() {
        return Stream.of(
                Arguments.of("30s", Duration.ofSeconds(30)),
                Arguments.of("500ms", Duration.ofMillis(500)),
                Arguments.of("2m", Duration.ofMinutes(2)),
                Arguments.of("1h", Duration.ofHours(1)),
                Arguments.of("1d", Duration.ofDays(1)),
                Arguments.of("1m30s", Duration.ofSeconds(90)),
                Arguments.of("1h2m3s4ms", Duration.ofMillis(3_723_004)),
                Arguments.of("0s", Duration.ZERO),
                Arguments.of("PT30S", Duration.ofSeconds(30)),
                Arguments.of("pt1m0.5s", Duration.ofMillis(60_500)),
                Arguments.of("P1D", Duration.ofDays(1)),
                Arguments.of("30", Duration.ofSeconds(30)),
                Arguments.of(" 0 ", Duration.ZERO),
                Arguments.of(45, Duration.ofSeconds(45)),
                Arguments.of(7L, Duration.ofSeconds(7)),
                Arguments.of(Duration.ofMillis(1), Duration.ofMillis(1)),
                Arguments.of(new String[] {"1m"}, Duration.ofMinutes(1)));
    }

    @ParameterizedTest
    @MethodSource("durations")
    void readsDurations(Object value, Duration expected) {
        assertThat(reader("idleSessionTimeout", value).duration("idleSessionTimeout", Duration.ofHours(9)))
                .isEqualTo(expected);
    }

    @Test
    void absentDurationIsTheDefault() {
        assertThat(reader("x", "1s").duration("d", Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
        assertThat(reader("d", "").duration("d", Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "-5s                      | negative durations are not allowed",
        "-1                       | negative durations are not allowed",
        "PT-5S                    | negative durations are not allowed",
        "abc                      | expected a duration",
        "30x                      | expected a duration",
        "1.5s                     | expected a duration",
        "30S                      | expected a duration",
        "3 s                      | expected a duration",
        "PT                       | expected a duration",
        "30s1m                    | largest first",
        "1s1s                     | largest first",
        "99999999999999999999999d | too large",
        "9223372036854775807      | too large"
    })
    void rejectsBadDurations(String text, String reason) {
        InvalidConfigurationException thrown = rejection(() -> reader("synackTimeout", text)
                .duration("synackTimeout", Duration.ofSeconds(3)));

        assertThat(thrown.property()).isEqualTo("synackTimeout");
        assertThat(thrown).hasMessageStartingWith("Invalid value for 'synackTimeout': '" + text + "' (")
                .hasMessageContaining(reason);
    }

    @Test
    void rejectsNegativeDurationObjectsAndNumbers() {
        assertThat(rejection(() -> reader("d", Duration.ofSeconds(-1)).duration("d", Duration.ZERO)))
                .hasMessageContaining("negative");
        assertThat(rejection(() -> reader("d", -3).duration("d", Duration.ZERO)))
                .hasMessage("Invalid value for 'd': '-3' (negative durations are not allowed)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "0s", "PT0S", "0ms"})
    void positiveDurationRejectsZero(String text) {
        InvalidConfigurationException thrown = rejection(() -> reader("connectTimeout", text)
                .positiveDuration("connectTimeout", Duration.ofSeconds(5)));

        assertThat(thrown).hasMessage("Invalid value for 'connectTimeout': '" + text + "' (must be greater than zero)");
    }

    // --- host and port

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "example.com:443   | example.com | 443",
        " 1.2.3.4:80       | 1.2.3.4     | 80",
        "[::1]:8443        | ::1         | 8443",
        "[2001:db8::1]:1   | 2001:db8::1 | 1",
        "my_host.lan:65535 | my_host.lan | 65535"
    })
    void readsHostAndPort(String text, String host, int port) {
        assertThat(reader("server", text).hostPort("server")).contains(new HostPort(host, port));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "example.com        | expected host:port",
        "example.com:0      | outside 1..65535",
        "example.com:65536  | outside 1..65535",
        "example.com:http   | not a number",
        "::1:443            | must be written in brackets",
        "[::1]              | expected ':<port>' after ']'",
        "[zz::1]:1          | not an IPv6 address",
        "[::1:1             | missing ']'",
        "bad host:1         | not a DNS name or IP address",
        "1.2.3.999:1        | not a DNS name or IP address",
        "-lead.example:1    | not a DNS name or IP address"
    })
    void rejectsBadHostPort(String text, String reason) {
        InvalidConfigurationException thrown = rejection(() -> reader("fallback", text).hostPort("fallback"));

        assertThat(thrown).hasMessageStartingWith("Invalid value for 'fallback': '" + text + "' (")
                .hasMessageContaining(reason);
    }

    // --- lists

    @Test
    void readsListsFromCommaSeparatedTextArraysAndCollections() {
        assertThat(reader("alpn", "h2, http/1.1 ,,").stringList("alpn")).containsExactly("h2", "http/1.1");
        assertThat(reader("alpn", new String[] {"h2", " a,b "}).stringList("alpn")).containsExactly("h2", "a,b");
        assertThat(reader("alpn", List.of("x", "")).stringList("alpn")).containsExactly("x");
        assertThat(reader("other", "x").stringList("alpn")).isEmpty();
    }

    @Test
    void secretListHidesValuesInMessages() {
        InvalidConfigurationException thrown = rejection(() -> reader(".users",
                java.util.Arrays.asList("alice:s3cret", null)).secretList(".users"));

        assertThat(thrown).hasMessage("Invalid value for '.users': *** (contains a null element)");
        assertNotLeaked(thrown, "s3cret");
    }

    // --- secrets

    @Test
    void readsSecrets() {
        assertThat(reader(".password", " s3cret ").secret(".password")).map(Secret::reveal).contains("s3cret");
        assertThat(reader(".password", "").secret(".password")).isEmpty();
        assertThat(reader(".uri", "anytls://x@y").secretString(".uri")).contains("anytls://x@y");
    }

    @Test
    void multiValuedSecretIsRejectedWithoutShowingIt() {
        InvalidConfigurationException thrown = rejection(() -> reader(".password", new String[] {"s3cret", "other"})
                .secret(".password"));

        assertThat(thrown).hasMessage("Invalid value for '.password': *** (expected a single value, got 2)");
        assertNotLeaked(thrown, "s3cret");
    }

    @Test
    void rejectsSecretsConfiguredUnderTheirPublishedName() {
        InvalidConfigurationException thrown = rejection(() -> reader("password", "s3cret")
                .rejectPublished(".password"));

        assertThat(thrown.property()).isEqualTo("password");
        assertThat(thrown).hasMessageStartingWith("Invalid value for 'password': *** (")
                .hasMessageContaining("'.password'");
        assertNotLeaked(thrown, "s3cret");
        reader(".password", "s3cret").rejectPublished(".password");
    }

    // --- files

    @Test
    void readsAbsoluteReadableFiles(@TempDir Path directory) throws IOException {
        Path file = Files.writeString(directory.resolve("ca.pem"), "x");

        assertThat(reader("trustedCertificate", file.toString()).readableFile("trustedCertificate")).contains(file);
        assertThat(reader("x", "y").readableFile("trustedCertificate")).isEmpty();
    }

    @Test
    void rejectsMissingRelativeAndNonRegularFiles(@TempDir Path directory) {
        String missing = directory.resolve("missing.pem").toString();
        assertThat(rejection(() -> reader("certificateFile", missing).readableFile("certificateFile")))
                .hasMessage("Invalid value for 'certificateFile': '" + missing + "' (no such file)");
        assertThat(rejection(() -> reader("certificateFile", "ca.pem").readableFile("certificateFile")))
                .hasMessage("Invalid value for 'certificateFile': 'ca.pem' (must be an absolute path)");
        assertThat(rejection(() -> reader("certificateFile", directory.toString()).readableFile("certificateFile")))
                .hasMessage("Invalid value for 'certificateFile': '" + directory + "' (not a regular file)");
    }

    @Test
    void rejectsUnreadableFiles(@TempDir Path directory) throws IOException {
        Path file = Files.writeString(directory.resolve("key.pem"), "x");
        Assumptions.assumeTrue(Files.getFileStore(file).supportsFileAttributeView("posix"), "POSIX permissions");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
        Assumptions.assumeFalse(Files.isReadable(file), "the test user can read anything (root)");

        assertThat(rejection(() -> reader("privateKeyFile", file.toString()).readableFile("privateKeyFile")))
                .hasMessageEndingWith("(not readable)");
    }

    // --- enums

    @Test
    void readsEnumConstantsInAnyCase() {
        assertThat(reader("tlsProvider", "OpenSSL").enumValue("tlsProvider", TlsProvider.AUTO))
                .isEqualTo(TlsProvider.OPENSSL);
        assertThat(reader("x", "y").enumValue("tlsProvider", TlsProvider.JDK)).isEqualTo(TlsProvider.JDK);
    }

    @Test
    void rejectsUnknownEnumConstantsListingTheAllowedOnes() {
        assertThat(rejection(() -> reader("tlsProvider", "boringssl").enumValue("tlsProvider", TlsProvider.AUTO)))
                .hasMessage("Invalid value for 'tlsProvider': 'boringssl' (expected one of auto, jdk, openssl)");
    }

    // --- bookkeeping

    @Test
    void remembersNamesReadAndReportsUnreadOnes() {
        Map<String, Object> properties = Map.of("sni", "a.example", "idleSesionTimeout", "5s",
                "service.pid", "p", "service.factoryPid", "f", "component.id", 3L, "felix.fileinstall.filename", "f");
        ConfigReader config = new ConfigReader(properties);

        config.optionalString("sni");
        config.duration("idleSessionTimeout", Duration.ZERO);

        assertThat(config.namesRead()).containsExactly("sni", "idleSessionTimeout");
        assertThat(config.unreadNames()).isEqualTo(Set.of("idleSesionTimeout"));
    }

    @Test
    void copiesThePropertiesItIsGiven() {
        Map<String, Object> properties = new HashMap<>();
        properties.put("sni", "a.example");
        properties.put("nullValue", null);
        ConfigReader config = new ConfigReader(properties);
        properties.put("sni", "b.example");

        assertThat(config.optionalString("sni")).contains("a.example");
        assertThat(config.optionalString("nullValue")).isEmpty();
    }

    @Test
    void everyRejectionNamesPropertyAndValue() {
        Map<String, Function<ConfigReader, Object>> reads = Map.of(
                "string", r -> r.string("p", "d"),
                "bool", r -> r.bool("p", false),
                "int", r -> r.intInRange("p", 0, 0, 1),
                "duration", r -> r.duration("p", Duration.ZERO),
                "hostPort", r -> r.hostPort("p"),
                "enum", r -> r.enumValue("p", TlsProvider.AUTO),
                "file", r -> r.readableFile("p"));
        reads.forEach((kind, read) -> {
            Object bad = kind.equals("string") ? new String[] {"x1", "x2"} : "x1 x2";
            assertThat(rejection(() -> read.apply(reader("p", bad))))
                    .as(kind).hasMessageStartingWith("Invalid value for 'p': ").hasMessageContaining("x1");
        });
    }
}
