package org.anytls4j.anytls.tls;

import io.netty.pkitesting.X509Bundle;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SpkiPinsTest {
    private static final byte[] DIGEST = HexFormat.of().parseHex(
            "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    private static final String BASE64 = Base64.getEncoder().encodeToString(DIGEST);

    @Test
    void base64HexAndPrefixedFormsNormalizeToTheSamePin() {
        assertThat(SpkiPins.normalize(BASE64)).isEqualTo(BASE64);
        assertThat(SpkiPins.normalize("sha256/" + BASE64)).isEqualTo(BASE64);
        assertThat(SpkiPins.normalize(HexFormat.of().formatHex(DIGEST))).isEqualTo(BASE64);
        assertThat(SpkiPins.normalize(HexFormat.ofDelimiter(":").withUpperCase().formatHex(DIGEST)))
                .isEqualTo(BASE64);
    }

    @Test
    void wrongLengthsAndGarbageAreRefusedNamingThePin() {
        assertThatThrownBy(() -> SpkiPins.normalize("AAAA"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'AAAA'")
                .hasMessageContaining("3 bytes");
        assertThatThrownBy(() -> SpkiPins.normalize("not a pin!"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'not a pin!'");
        assertThatThrownBy(() -> SpkiPins.normalize(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
    }

    @Test
    void spkiCutFromTheDerEqualsTheJdkPublicKeyEncoding() throws Exception {
        X509Bundle bundle = TestPki.selfSigned("pin", "localhost");
        byte[] der = bundle.getCertificate().getEncoded();

        assertThat(SpkiPins.subjectPublicKeyInfo(der)).isEqualTo(bundle.getCertificate().getPublicKey().getEncoded());
        assertThat(SpkiPins.matches(der, List.of(SpkiPins.spkiSha256Base64(der)))).isTrue();
        assertThat(SpkiPins.matches(der, List.of(BASE64))).isFalse();
    }

    @Test
    void spkiIsFoundInACertificateTheJdkCannotParse() throws Exception {
        TestPki.EmptyDnCertificate certificate = TestPki.emptyDnCertificate();

        assertThat(SpkiPins.subjectPublicKeyInfo(certificate.der()))
                .isEqualTo(certificate.keyPair().getPublic().getEncoded());
    }

    @Test
    void truncatedDerIsRefused() throws Exception {
        byte[] der = TestPki.selfSigned("pin").getCertificate().getEncoded();
        byte[] truncated = java.util.Arrays.copyOf(der, der.length / 2);

        assertThatThrownBy(() -> SpkiPins.subjectPublicKeyInfo(truncated))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("claims");
    }
}
