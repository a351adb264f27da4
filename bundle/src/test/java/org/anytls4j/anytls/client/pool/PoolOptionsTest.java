package org.anytls4j.anytls.client.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class PoolOptionsTest {

    @Test
    void defaultsAreThirtySecondChecksSixtySecondTimeoutOneIdleAndNoExtras() {
        PoolOptions defaults = PoolOptions.defaults();
        assertThat(defaults.idleSessionCheckInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(defaults.idleSessionTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(defaults.minIdleSessions()).isEqualTo(1);
        assertThat(defaults.disableReuse()).isFalse();
        assertThat(defaults.maxSessions()).isZero();
        assertThat(defaults.warmIdleSessions()).isFalse();
        assertThat(defaults.maxSessionAge()).isEqualTo(Duration.ZERO);
        assertThat(PoolOptions.builder().build()).isEqualTo(defaults);
    }

    @Test
    void builderChangesOnlyWhatItIsTold() {
        PoolOptions changed = PoolOptions.defaults().toBuilder().maxSessions(8).warmIdleSessions(true).build();
        assertThat(changed).isEqualTo(new PoolOptions(Duration.ofSeconds(30), Duration.ofSeconds(60), 1, false, 8,
                true, Duration.ZERO));
        assertThat(changed.toBuilder().build()).isEqualTo(changed);
    }

    @Test
    void shortIntervalsAreTakenAsGivenNotClampedLikeTheReference() {
        PoolOptions fast = PoolOptions.builder()
                .idleSessionCheckInterval(Duration.ofSeconds(1))
                .idleSessionTimeout(Duration.ofMillis(500))
                .build();
        assertThat(fast.idleSessionCheckInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(fast.idleSessionTimeout()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void nonPositiveIntervalsAreRejectedNamingTheProperty() {
        assertThatThrownBy(() -> PoolOptions.builder().idleSessionCheckInterval(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("idleSessionCheckInterval must be positive, was PT0S");
        assertThatThrownBy(() -> PoolOptions.builder().idleSessionCheckInterval(null).build())
                .hasMessage("idleSessionCheckInterval must be positive, was null");
        assertThatThrownBy(() -> PoolOptions.builder().idleSessionTimeout(Duration.ofSeconds(-5)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("idleSessionTimeout must be positive, was PT-5S");
    }

    @Test
    void negativeCountsAreRejectedNamingTheProperty() {
        assertThatThrownBy(() -> PoolOptions.builder().minIdleSessions(-1).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("minIdleSessions must be 0 or more, was -1");
        assertThatThrownBy(() -> PoolOptions.builder().maxSessions(-3).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxSessions must be 0 (unlimited) or more, was -3");
    }

    @Test
    void maxSessionAgeMustBeZeroOrPositive() {
        assertThatThrownBy(() -> PoolOptions.builder().maxSessionAge(Duration.ofMinutes(-1)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxSessionAge must be ZERO (unlimited) or positive, was PT-1M");
        assertThatThrownBy(() -> PoolOptions.builder().maxSessionAge(null).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxSessionAge");
        assertThat(PoolOptions.builder().maxSessionAge(Duration.ofHours(1)).build().maxSessionAge())
                .isEqualTo(Duration.ofHours(1));
    }

    @Test
    void durationsTooLargeForNanosecondsAreRejected() {
        Duration huge = Duration.ofSeconds(Long.MAX_VALUE);
        assertThatThrownBy(() -> PoolOptions.builder().idleSessionTimeout(huge).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("idleSessionTimeout is too large")
                .hasMessageContaining(huge.toString());
        assertThatThrownBy(() -> PoolOptions.builder().maxSessionAge(huge).build())
                .hasMessageStartingWith("maxSessionAge is too large");
    }

    @Test
    void contradictoryCombinationsAreRejected() {
        assertThatThrownBy(() -> PoolOptions.builder().minIdleSessions(5).maxSessions(2).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("minIdleSessions (5) must not exceed maxSessions (2)");
        assertThatThrownBy(() -> PoolOptions.builder().disableReuse(true).warmIdleSessions(true).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("warmIdleSessions").hasMessageContaining("disableReuse");
        assertThat(PoolOptions.builder().minIdleSessions(5).maxSessions(0).build().minIdleSessions()).isEqualTo(5);
    }
}
