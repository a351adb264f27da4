package org.anytls4j.common.config;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigurationChangesTest {
    @Test
    void namesChangedPropertiesWithTheirValues() {
        String text = ConfigurationChanges.describe(
                Map.of("port", 8443, "name", "a", "maxSessions", 1),
                Map.of("port", 9443, "name", "a", "idleSessionTimeout", "30s"));

        assertThat(text).isEqualTo("idleSessionTimeout: added (30s), maxSessions: removed, port: 8443 -> 9443");
    }

    @Test
    void secretsShowOnlyThatTheyChanged() {
        String text = ConfigurationChanges.describe(
                Map.of(".password", "old-secret", ".users", "demo:pw1", "proxyPassword", "x"),
                Map.of(".password", "new-secret", ".users", "demo:pw2", "proxyPassword", "y", ".uri", "anytls://s@h"));

        assertThat(text).isEqualTo(".password: <changed>, .uri: added, .users: <changed>, proxyPassword: <changed>")
                .doesNotContain("secret").doesNotContain("pw").doesNotContain("anytls://");
    }

    @Test
    void ignoresBookkeepingAndEqualArrays() {
        String text = ConfigurationChanges.describe(
                Map.of("service.pid", "a", "component.id", 1L, "labels", new String[] {"hk"}),
                Map.of("service.pid", "b", "component.id", 2L, "labels", new String[] {"hk"}));

        assertThat(text).isEmpty();
    }

    @Test
    void historyDescribesTheChangeAcrossARestart() {
        ConfigurationChanges.History history = new ConfigurationChanges.History();

        assertThat(history.record("pid1", Map.of("port", 1))).isEmpty();
        assertThat(history.record("pid1", Map.of("port", 2))).isEqualTo("port: 1 -> 2");
        assertThat(history.record("pid2", Map.of("port", 2))).isEmpty();
        history.forget("pid1");
        assertThat(history.record("pid1", Map.of("port", 3))).isEmpty();
    }
}
