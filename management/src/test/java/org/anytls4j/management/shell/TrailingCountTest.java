package org.anytls4j.management.shell;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrailingCountTest {
    @Test
    void takesMinusNAfterTheArguments() {
        assertThat(TrailingCount.parse(null, 3)).isEqualTo(3);
        assertThat(TrailingCount.parse(List.of("-n", "7"), 3)).isEqualTo(7);
        assertThat(TrailingCount.parse(List.of("--count", "2"), 3)).isEqualTo(2);
    }

    @Test
    void rejectsAnythingElseClearly() {
        assertThatThrownBy(() -> TrailingCount.parse(List.of("-n", "x"), 3)).hasMessageContaining("'x'");
        assertThatThrownBy(() -> TrailingCount.parse(List.of("extra"), 3)).hasMessageContaining("usage");
    }
}
