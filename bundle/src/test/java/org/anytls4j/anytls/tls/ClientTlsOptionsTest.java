package org.anytls4j.anytls.tls;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientTlsOptionsTest {
    private static final String PIN = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    @Test
    void defaultsVerifyWithoutSniPinsOrAlpn() {
        ClientTlsOptions options = ClientTlsOptions.defaults();

        assertThat(options.insecure()).isFalse();
        assertThat(options.serverName()).isEmpty();
        assertThat(options.sniHostName()).isEmpty();
        assertThat(options.trustedCertificatesPem()).isEmpty();
        assertThat(options.pinnedPublicKeySha256()).isEmpty();
        assertThat(options.alpn()).isEmpty();
        assertThat(options.provider()).isEqualTo(TlsProvider.AUTO);
        assertThat(options.handshakeTimeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void serverNamesAreNormalizedAndIpLiteralsAreNotSni() {
        assertThat(ClientTlsOptions.builder().serverName(" Proxy.Example.COM. ").build().sniHostName())
                .contains("proxy.example.com");
        assertThat(ClientTlsOptions.builder().serverName("127.0.0.1").build().sniHostName()).isEmpty();
        ClientTlsOptions ipv6 = ClientTlsOptions.builder().serverName("[2409:8a71:6a00:1953::615]").build();
        assertThat(ipv6.serverName()).contains("2409:8a71:6a00:1953::615");
        assertThat(ipv6.sniHostName()).isEmpty();
        assertThat(ClientTlsOptions.builder().serverName("").build().serverName()).isEmpty();
        assertThat(ClientTlsOptions.builder().serverName(null).build().serverName()).isEmpty();
    }

    @Test
    void invalidValuesAreRefusedNamingThePropertyAndValue() {
        assertThatThrownBy(() -> ClientTlsOptions.builder().serverName("bad name"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("serverName 'bad name'");
        assertThatThrownBy(() -> ClientTlsOptions.builder().handshakeTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("handshakeTimeout");
        assertThatThrownBy(() -> ClientTlsOptions.builder().alpn(List.of("")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("alpn protocol ''");
        assertThatThrownBy(() -> ClientTlsOptions.builder().alpn(List.of("h2", "h2")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'h2': listed twice");
        assertThatThrownBy(() -> ClientTlsOptions.builder().addPinnedPublicKeySha256("xyz"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'xyz'");
    }

    @Test
    void pinsAreStoredInCanonicalBase64AndDeduplicated() {
        ClientTlsOptions options = ClientTlsOptions.builder()
                .pinnedPublicKeySha256(List.of(PIN, "sha256/" + PIN,
                        "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"))
                .build();

        assertThat(options.pinnedPublicKeySha256()).containsExactly(PIN);
    }

    @Test
    void valueSemanticsAndACompactToString() {
        ClientTlsOptions a = ClientTlsOptions.builder().serverName("example.com").insecure(true)
                .trustedCertificatesPem(Path.of("/etc/ca.pem")).alpn(List.of("h2")).addPinnedPublicKeySha256(PIN)
                .build();

        assertThat(a).isEqualTo(a.toBuilder().build()).hasSameHashCodeAs(a.toBuilder().build());
        assertThat(a).isNotEqualTo(a.toBuilder().insecure(false).build());
        assertThat(a.toString()).contains("serverName=example.com", "insecure", "pins=1", "alpn=[h2]",
                "provider=auto").doesNotContain(PIN);
    }

    @Test
    void engineHostIsTheVerifiedNameOrNothingWhenInsecureWithoutSni() {
        ClientTlsOptions verifying = ClientTlsOptions.defaults();
        assertThat(ClientSslContexts.engineHost(verifying, "proxy.example")).isEqualTo("proxy.example");
        assertThat(ClientSslContexts.engineHost(verifying, "[::1]")).isEqualTo("::1");
        assertThat(ClientSslContexts.engineHost(verifying.toBuilder().serverName("sni.example").build(),
                "127.0.0.1")).isEqualTo("sni.example");
        ClientTlsOptions insecure = ClientTlsOptions.builder().insecure(true).build();
        assertThat(ClientSslContexts.engineHost(insecure, "proxy.example")).isNull();
        assertThat(ClientSslContexts.engineHost(insecure.toBuilder().serverName("sni.example").build(),
                "proxy.example")).isEqualTo("sni.example");
        assertThatThrownBy(() -> ClientSslContexts.engineHost(verifying, ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no name to verify");
    }

    @Test
    void providersParseByName() {
        assertThat(TlsProvider.parse(" OpenSSL ")).isEqualTo(TlsProvider.OPENSSL);
        assertThat(TlsProvider.parse("jdk")).isEqualTo(TlsProvider.JDK);
        assertThatThrownBy(() -> TlsProvider.parse("boring"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'boring'");
    }
}
