package org.anytls4j.common.config;

import java.time.Duration;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DurationTextTest {
    @Test
    void readsTheUsualForms() {
        assertThat(DurationText.parsePositive("500ms", "p")).isEqualTo(Duration.ofMillis(500));
        assertThat(DurationText.parsePositive("30s", "p")).isEqualTo(Duration.ofSeconds(30));
        assertThat(DurationText.parsePositive("1m30s", "p")).isEqualTo(Duration.ofSeconds(90));
        assertThat(DurationText.parsePositive("2h", "p")).isEqualTo(Duration.ofHours(2));
        assertThat(DurationText.parsePositive("PT5S", "p")).isEqualTo(Duration.ofSeconds(5));
        assertThat(DurationText.parsePositive(" 12 ", "p")).isEqualTo(Duration.ofSeconds(12));
    }

    @Test
    void oneGrammarForEveryConfiguration() {
        // Days were accepted by client files and rejected by host files before the grammars were merged.
        assertThat(DurationText.parsePositive("1d", "p")).isEqualTo(Duration.ofDays(1));
        assertThat(DurationText.parse("1d2h")).isEqualTo(Duration.ofHours(26));
        assertThat(DurationText.parse("0")).isZero();
        assertThatThrownBy(() -> DurationText.parse("30s1m")).hasMessageContaining("largest first");
        assertThatThrownBy(() -> DurationText.parse("-5s")).hasMessageContaining("negative");
        assertThatThrownBy(() -> DurationText.parse("")).hasMessageContaining("expected a duration");
    }

    @Test
    void rejectsNamingThePropertyAndText() {
        assertThatThrownBy(() -> DurationText.parsePositive("10 parsecs", "openTimeout"))
                .hasMessageContaining("openTimeout").hasMessageContaining("'10 parsecs'");
        assertThatThrownBy(() -> DurationText.parsePositive("0s", "handshakeTimeout"))
                .hasMessageContaining("handshakeTimeout must be positive");
        assertThatThrownBy(() -> DurationText.parsePositive(null, "openTimeout")).hasMessageContaining("openTimeout");
    }

    @Test
    void zeroOrMoreNamesThePropertyWhenTheTextIsNoDuration() {
        assertThat(DurationText.parseNonNegative(" 1m30s ", "p")).isEqualTo(Duration.ofSeconds(90));
        assertThat(DurationText.parseNonNegative("0", "p")).isZero();
        assertThatThrownBy(() -> DurationText.parseNonNegative("5 minutes", "probeInterval"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("probeInterval is not a valid duration: '5 minutes'");
        assertThatThrownBy(() -> DurationText.parseNonNegative("PTxS", "tolerance")).hasMessageContaining("tolerance");
        assertThatThrownBy(() -> DurationText.parseNonNegative(null, "openTimeout"))
                .hasMessageContaining("openTimeout");
    }
}
