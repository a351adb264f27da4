package org.anytls4j.anytls.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class SecretTest {

    @Test
    void printsAsMask() {
        Secret secret = Secret.of("s3cret");

        assertThat(secret).hasToString("***");
        assertThat(String.valueOf(java.util.List.of(secret))).doesNotContain("s3cret");
    }

    @Test
    void revealsTheText() {
        assertThat(Secret.of("s3cret").reveal()).isEqualTo("s3cret");
    }

    @Test
    void sha256MatchesSpecVector() {
        // §17 vector 1
        assertThat(HexFormat.of().formatHex(Secret.of("password").sha256()))
                .isEqualTo("5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8");
    }

    @Test
    void sha256IsAFreshCopy() {
        Secret secret = Secret.of("password");
        byte[] first = secret.sha256();
        first[0] ^= 1;

        assertThat(secret.sha256()).isNotEqualTo(first);
        assertThat(secret.matchesSha256(secret.sha256())).isTrue();
        assertThat(secret.matchesSha256(first)).isFalse();
        assertThat(secret.matchesSha256(null)).isFalse();
    }

    @Test
    void equalsByContentWithConstantHash() {
        assertThat(Secret.of("a")).isEqualTo(Secret.of("a")).isNotEqualTo(Secret.of("b")).isNotEqualTo("a");
        assertThat(Secret.of("a").hashCode()).isEqualTo(Secret.of("b").hashCode());
    }

    @Test
    void rejectsEmptyText() {
        assertThatThrownBy(() -> Secret.of("")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("A secret must not be empty");
    }
}
