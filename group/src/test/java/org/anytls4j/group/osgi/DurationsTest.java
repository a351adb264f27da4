package org.anytls4j.group.osgi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
    @Test
    void readsTheWrittenForms() {
        assertThat(Durations.parse("500ms", "p")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse(" 1m30s ", "p")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("2h", "p")).isEqualTo(Duration.ofHours(2));
        assertThat(Durations.parse("PT30S", "p")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("45", "p")).isEqualTo(Duration.ofSeconds(45));
    }

    @Test
    void rejectsOtherTextNamingTheProperty() {
        assertThatThrownBy(() -> Durations.parse("5 minutes", "probeInterval"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("probeInterval is not a valid duration: '5 minutes'");
        assertThatThrownBy(() -> Durations.parse("PTxS", "tolerance")).hasMessageContaining("tolerance");
        assertThatThrownBy(() -> Durations.parse(null, "openTimeout")).hasMessageContaining("openTimeout");
    }
}
