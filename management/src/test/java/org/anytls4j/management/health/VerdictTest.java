package org.anytls4j.management.health;

import org.anytls4j.transport.api.TransportHealth;
import org.anytls4j.transport.api.server.ServerSnapshot;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class VerdictTest {
    @Test
    void transportStatesMapToLevels() {
        assertThat(Verdict.of("hk1", TransportHealth.unknown()).level()).isEqualTo(Verdict.Level.OK);
        assertThat(Verdict.of("hk1", TransportHealth.builder(TransportHealth.State.DEGRADED, Instant.EPOCH).build())
                .level()).isEqualTo(Verdict.Level.WARN);
        Verdict down = Verdict.of("hk1", TransportHealth.builder(TransportHealth.State.DOWN, Instant.EPOCH)
                .consecutiveFailures(3).build());
        assertThat(down.level()).isEqualTo(Verdict.Level.CRITICAL);
        assertThat(down.message()).contains("hk1", "3 consecutive failures");
    }

    @Test
    void aServerThatDoesNotListenIsCritical() {
        Verdict verdict = Verdict.of(ServerSnapshot.builder("s", "anytls", "127.0.0.1:8443", Instant.EPOCH).build());

        assertThat(verdict.level()).isEqualTo(Verdict.Level.CRITICAL);
        assertThat(verdict.message()).contains("not listening on 127.0.0.1:8443");
    }
}
