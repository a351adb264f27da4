package org.anytls4j.group.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bad settings are rejected naming their configuration property. */
class GroupSettingsTest {
    @Test
    void aUrlTestGroupNeedsAProbeTarget() {
        assertThatThrownBy(() -> GroupSettings.builder("g").strategy(StrategyKind.URL_TEST).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("probe must be set");
    }

    @Test
    void namesAreCheckedWhereverTheyAppear() {
        assertThatThrownBy(() -> GroupSettings.builder("a b")).hasMessageContaining("transport.name");
        assertThatThrownBy(() -> GroupSettings.builder("g").memberOrder(List.of("a", "a")))
                .hasMessageContaining("members").hasMessageContaining("twice");
        assertThatThrownBy(() -> GroupSettings.builder("g").selected("x/y")).hasMessageContaining("selected");
    }

    @Test
    void valuesOutOfRangeNameTheirProperty() {
        GroupSettings.Builder builder = GroupSettings.builder("g");
        assertThatThrownBy(() -> builder.probeInterval(Duration.ZERO)).hasMessageContaining("probeInterval");
        assertThatThrownBy(() -> builder.tolerance(Duration.ofMillis(-1))).hasMessageContaining("tolerance");
        assertThatThrownBy(() -> builder.failureThreshold(0)).hasMessageContaining("failureThreshold");
        assertThatThrownBy(() -> builder.probeExpectedStatus(42)).hasMessageContaining("probeExpectedStatus");
        assertThatThrownBy(() -> builder.probeHttpPath("generate_204")).hasMessageContaining("probeHttpPath");
        assertThatThrownBy(() -> StrategyKind.parse("fastest", "strategy"))
                .hasMessage("strategy must be one of fallback, url-test, load-balance, select, got 'fastest'");
        assertThatThrownBy(() -> LoadBalancing.parse("sticky", "loadBalancing"))
                .hasMessageContaining("loadBalancing").hasMessageContaining("consistent-hashing");
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        GroupSettings settings = GroupSettings.builder("g").build();
        assertThat(settings.strategy()).isEqualTo(StrategyKind.FALLBACK);
        assertThat(settings.loadBalancing()).isEqualTo(LoadBalancing.CONSISTENT_HASHING);
        assertThat(settings.probe()).isEmpty();
        assertThat(settings.probeInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(settings.probeTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.tolerance()).isEqualTo(Duration.ofMillis(50));
        assertThat(settings.lazy()).isTrue();
        assertThat(settings.failureThreshold()).isEqualTo(1);
        assertThat(settings.openTimeout()).isEqualTo(Duration.ofSeconds(10));
    }
}
