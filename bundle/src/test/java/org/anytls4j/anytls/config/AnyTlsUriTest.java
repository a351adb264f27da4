package org.anytls4j.anytls.config;

import static org.anytls4j.anytls.config.SecretAssertions.assertNotLeaked;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AnyTlsUriTest {

    @Test
    void parsesFirstSpecExample() {
        AnyTlsUri uri = AnyTlsUri.parse("anytls://letmein@example.com/?sni=real.example.com");

        assertThat(uri.password()).map(Secret::reveal).contains("letmein");
        assertThat(uri.host()).isEqualTo("example.com");
        assertThat(uri.port()).isEqualTo(443);
        assertThat(uri.sni()).contains("real.example.com");
        assertThat(uri.insecure()).isEmpty();
        assertThat(uri.otherParameters()).isEmpty();
    }

    @Test
    void parsesSecondSpecExampleWithIpSniAndInsecure() {
        AnyTlsUri uri = AnyTlsUri.parse("anytls://letmein@example.com/?sni=127.0.0.1&insecure=1");

        assertThat(uri.sni()).contains("127.0.0.1");
        assertThat(uri.insecure()).contains(true);
        assertThat(uri.port()).isEqualTo(443);
    }

    @Test
    void parsesThirdSpecExampleWithBracketedIpv6() {
        AnyTlsUri uri = AnyTlsUri.parse(
                "anytls://0fdf77d7-d4ba-455e-9ed9-a98dd6d5489a@[2409:8a71:6a00:1953::615]:8964/?insecure=1");

        assertThat(uri.password()).map(Secret::reveal).contains("0fdf77d7-d4ba-455e-9ed9-a98dd6d5489a");
        assertThat(uri.host()).isEqualTo("2409:8a71:6a00:1953::615");
        assertThat(uri.port()).isEqualTo(8964);
        assertThat(uri.insecure()).contains(true);
        assertThat(uri.server()).hasToString("[2409:8a71:6a00:1953::615]:8964");
    }

    @Test
    void schemeIsCaseInsensitiveAndPathAndPortAreOptional() {
        AnyTlsUri uri = AnyTlsUri.parse("  AnyTLS://pw@Example.COM  ");

        assertThat(uri.host()).isEqualTo("Example.COM");
        assertThat(uri.port()).isEqualTo(AnyTlsUri.DEFAULT_PORT);
        assertThat(uri.sni()).isEmpty();
    }

    @Test
    void uriWithoutUserinfoHasNoPassword() {
        AnyTlsUri uri = AnyTlsUri.parse("anytls://1.2.3.4:8443/");

        assertThat(uri.password()).isEmpty();
        assertThat(uri.host()).isEqualTo("1.2.3.4");
        assertThat(uri.port()).isEqualTo(8443);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "p%40ss        | p@ss",
        "user:pass     | user:pass",
        "a%3Ab:c       | a:b:c",
        "caf%C3%A9     | café",
        "p@ss          | p@ss",
        "plus+sign     | plus+sign",
        "%F0%9F%94%91x | \uD83D\uDD11x"
    })
    void passwordIsTheWholeUserinfoPercentDecoded(String userinfo, String password) {
        AnyTlsUri uri = AnyTlsUri.parse("anytls://" + userinfo + "@example.com:443/");

        assertThat(uri.password()).map(Secret::reveal).contains(password);
        assertThat(uri.host()).isEqualTo("example.com");
    }

    @ParameterizedTest
    @CsvSource({"1,true", "true,true", "TRUE,true", "0,false", "false,false"})
    void readsInsecure(String text, boolean expected) {
        assertThat(AnyTlsUri.parse("anytls://pw@h.example/?insecure=" + text).insecure()).contains(expected);
    }

    @Test
    void keepsUnknownParametersDecodedAndInOrder() {
        AnyTlsUri uri = AnyTlsUri.parse("anytls://pw@h.example/?udp=1&&sni=s.example&note=a%20b&flag");

        assertThat(uri.otherParameters()).containsExactly(Map.entry("udp", "1"), Map.entry("note", "a b"),
                Map.entry("flag", ""));
        assertThat(uri.sni()).contains("s.example");
    }

    @Test
    void emptySniMeansNoSni() {
        assertThat(AnyTlsUri.parse("anytls://pw@h.example/?sni=").sni()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "anytls://letmein@example.com/?sni=real.example.com",
        "anytls://p%40ss:w%2Fo%3Frd%23@[::1]:8443/?sni=x.example&insecure=0&extra=a%26b",
        "anytls://caf%C3%A9@1.2.3.4/?insecure=1",
        "anytls://example.com:1/"
    })
    void roundTripsThroughToUriString(String text) {
        AnyTlsUri uri = AnyTlsUri.parse(text);

        AnyTlsUri again = AnyTlsUri.parse(uri.toUriString(true));

        assertThat(again).isEqualTo(uri);
        assertThat(again.password().map(Secret::reveal)).isEqualTo(uri.password().map(Secret::reveal));
        assertThat(again.toUriString(true)).isEqualTo(uri.toUriString(true));
    }

    @Test
    void canonicalFormHasExplicitPortAndKnownParametersFirst() {
        AnyTlsUri uri = AnyTlsUri.parse("anytls://a:b@[::1]/?x=1&insecure=true&sni=s.example");

        assertThat(uri.toUriString(true)).isEqualTo("anytls://a%3Ab@[::1]:443/?sni=s.example&insecure=1&x=1");
    }

    @Test
    void toStringAndMaskedFormHideThePassword() {
        AnyTlsUri uri = AnyTlsUri.parse("anytls://s3cret@example.com/?sni=x.example");

        assertThat(uri.toString()).isEqualTo("anytls://***@example.com:443/?sni=x.example").doesNotContain("s3cret");
        assertThat(uri.toUriString(false)).doesNotContain("s3cret");
        assertThat(AnyTlsUri.parse("anytls://example.com").toString()).isEqualTo("anytls://example.com:443/");
    }

    @Test
    void equalityIncludesThePassword() {
        assertThat(AnyTlsUri.parse("anytls://a@h.example/")).isEqualTo(AnyTlsUri.parse("anytls://a@h.example:443"))
                .hasSameHashCodeAs(AnyTlsUri.parse("anytls://a@h.example:443"))
                .isNotEqualTo(AnyTlsUri.parse("anytls://b@h.example/"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "http://s3cret@example.com/                  | unsupported scheme 'http'",
        "s3cret@example.com                          | not an anytls URI",
        "anytls:s3cret@example.com                   | not an anytls URI",
        "anytls://s3cret@/                           | missing host",
        "anytls://s3cret@:443/                       | missing host",
        "anytls://s3cret@                            | missing host",
        "anytls://s3cret@example.com:0/              | port 0 is outside 1..65535",
        "anytls://s3cret@example.com:65536/          | port 65536 is outside 1..65535",
        "anytls://s3cret@example.com:https/          | port 'https' is not a number",
        "anytls://s3cret@example.com:/               | port '' is not a number",
        "anytls://s3cret@example.com/#name           | fragment",
        "anytls://s3c#ret@example.com/               | fragment",
        "anytls://s3cret%zz@example.com/             | invalid percent-encoding",
        "anytls://s3cret%C3@example.com/             | invalid percent-encoding",
        "anytls://s3cret%@example.com/               | invalid percent-encoding",
        "anytls://@example.com/                      | empty password",
        "anytls://s3cret@example.com/?insecure=yes   | insecure='yes' is not 1, 0, true or false",
        "anytls://s3cret@example.com/proxy           | unexpected path '/proxy'",
        "anytls://s3cret@2001:db8::1:443/            | must be written in brackets",
        "anytls://s3cret@[2001:db8::zz]:443/         | not an IPv6 address",
        "anytls://s3cret@[::1/                       | missing ']'",
        "anytls://s3cret@[::1]x/                     | expected ':<port>' after ']'",
        "anytls://s3cret@ex ample.com/               | not a host name or IP address",
        "anytls://s3cret@1.2.3.999/                  | not a host name or IP address",
        "anytls://s3cret@example.com/?sni=a.b&sni=c.d | given twice",
        "anytls://s3cret@example.com/?sni=bad!host   | sni 'bad!host'",
        "anytls://s3cret@example.com/?%zz=1          | invalid percent-encoding",
        "anytls://s3cret@example.com/?=1             | has no name",
        "anytls://s3c/ret@example.com/               | an '@' after the host",
        "anytls://s3c?ret@example.com/               | an '@' after the host",
        "anytls://s3cret@example.com/?sni=a@b        | an '@' after the host"
    })
    void rejectsBadUrisWithoutRevealingThePassword(String text, String expectedMessage) {
        IllegalArgumentException thrown = catchThrowableOfType(IllegalArgumentException.class,
                () -> AnyTlsUri.parse(text));

        assertThat(thrown).as("parse(%s)", text).isNotNull().hasMessageContaining(expectedMessage);
        assertNotLeaked(thrown, "s3c");
        assertNotLeaked(thrown, "ret@");
    }

    @Test
    void rejectsNull() {
        assertThatThrownBy(() -> AnyTlsUri.parse(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void maskedUriInMessagesStillShowsTheHost() {
        IllegalArgumentException thrown = catchThrowableOfType(IllegalArgumentException.class,
                () -> AnyTlsUri.parse("anytls://s3cret@example.com:99999/"));

        assertThat(thrown).hasMessageContaining("anytls://***@example.com:99999/");
    }
}
