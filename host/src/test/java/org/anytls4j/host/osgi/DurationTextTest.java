package org.anytls4j.host.osgi;

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
    void rejectsNamingThePropertyAndText() {
        assertThatThrownBy(() -> DurationText.parsePositive("10 parsecs", "openTimeout"))
                .hasMessageContaining("openTimeout").hasMessageContaining("'10 parsecs'");
        assertThatThrownBy(() -> DurationText.parsePositive("0s", "handshakeTimeout"))
                .hasMessageContaining("handshakeTimeout must be positive");
        assertThatThrownBy(() -> DurationText.parsePositive(null, "openTimeout")).hasMessageContaining("openTimeout");
    }
}
