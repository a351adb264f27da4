package org.anytls4j.anytls.tls.fingerprint;

import org.anytls4j.anytls.tls.ClientTlsOptions;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HelloProfilesTest {
    @Test
    void noneIsTheDefaultAndMeansNoProfile() {
        assertThat(ClientTlsOptions.defaults().fingerprint()).isEmpty();
        assertThat(ClientTlsOptions.builder().fingerprint("none").build().fingerprint()).isEmpty();
    }

    @Test
    void chromeIsSelectedIgnoringCase() {
        assertThat(ClientTlsOptions.builder().fingerprint(" Chrome ").build().fingerprint())
                .contains(HelloProfiles.CHROME);
        assertThat(HelloProfiles.names()).isEqualTo(List.of("none", "chrome"));
    }

    @Test
    void unknownNameIsRefusedNamingTheOption() {
        assertThatThrownBy(() -> ClientTlsOptions.builder().fingerprint("firefox"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("fingerprint 'firefox' is not one of [none, chrome]");
    }

    @Test
    void aProfileMustKeyShareOnlyOfferedGroups() {
        HelloProfile chrome = HelloProfiles.CHROME;
        assertThatThrownBy(() -> new HelloProfile("broken", chrome.cipherSuites(), chrome.extensions(),
                List.of(0x001d), List.of(0x11ec), chrome.signatureAlgorithms(), chrome.supportedVersions(),
                chrome.defaultAlpn(), chrome.alpsProtocols(), chrome.alpsCodePoint(),
                chrome.certificateCompressionAlgorithms(), chrome.echGreasePayloadLengths(), true, true))
                .hasMessageContaining("key share");
    }

    @Test
    void greaseValuesAreTheSixteenOfRfc8701() {
        java.security.SecureRandom random = new java.security.SecureRandom();
        for (int i = 0; i < 200; i++) {
            int value = HelloShape.grease(random);
            assertThat(HelloShape.isGrease(value)).isTrue();
            assertThat(ParsedClientHello.isGrease(value)).isTrue();
        }
        assertThat(HelloShape.isGrease(0x1301)).isFalse();
    }
}
