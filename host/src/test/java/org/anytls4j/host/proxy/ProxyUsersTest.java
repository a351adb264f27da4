package org.anytls4j.host.proxy;

import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProxyUsersTest {
    @Test
    void authenticatesConfiguredUsersOnly() {
        ProxyUsers users = ProxyUsers.parse(List.of("alice:a:b", "bob:pw"), ".users");
        assertThat(users.required()).isTrue();
        assertThat(users.authenticate("alice", "a:b")).contains("alice");
        assertThat(users.authenticate("bob", "pw")).contains("bob");
        assertThat(users.authenticate("bob", "a:b")).isEmpty();
        assertThat(users.authenticate("carol", "pw")).isEmpty();
        assertThat(users.authenticate(null, "pw")).isEmpty();
    }

    @Test
    void noEntriesMeansNoAuthentication() {
        assertThat(ProxyUsers.parse(List.of(), ".users").required()).isFalse();
        assertThat(ProxyUsers.none().authenticate("anyone", "x")).isEmpty();
    }

    @Test
    void toStringNamesUsersButNeverPasswords() {
        assertThat(ProxyUsers.parse(List.of("alice:topsecret"), ".users").toString())
                .contains("alice").doesNotContain("topsecret");
    }

    @Test
    void badEntriesAreNamedByPropertyAndPositionWithoutThePassword() {
        assertThatThrownBy(() -> ProxyUsers.parse(List.of("alice:pw", "bobsecret"), ".users"))
                .hasMessageContaining(".users entry 2").hasMessageContaining("no ':'")
                .hasMessageNotContaining("bobsecret");
        assertThatThrownBy(() -> ProxyUsers.parse(List.of(":pw"), ".users")).hasMessageContaining("non-empty");
        assertThatThrownBy(() -> ProxyUsers.parse(List.of("a:1", "a:2"), ".users")).hasMessageContaining("twice");
        assertThatThrownBy(() -> ProxyUsers.parse(List.of("a:" + "x".repeat(256)), ".users"))
                .hasMessageContaining("255 bytes");
    }
}
