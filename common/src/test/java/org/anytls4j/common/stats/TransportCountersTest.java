package org.anytls4j.common.stats;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.anytls4j.transport.api.TransportException;
import org.anytls4j.transport.api.TransportException.Phase;
import org.anytls4j.transport.api.TransportException.Reason;
import org.anytls4j.transport.api.TransportHealth.State;
import org.anytls4j.transport.api.TransportStats;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TransportCountersTest {
    private final TransportCounters counters =
            new TransportCounters(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));

    @Test
    void unknownUntilTheFirstOutcomeThenUpAfterASuccess() {
        assertThat(counters.health().state()).isEqualTo(State.UNKNOWN);
        counters.attempted();
        assertThat(counters.pendingOpens()).isEqualTo(1);
        counters.succeeded(false);
        assertThat(counters.health().state()).isEqualTo(State.UP);
        TransportStats stats = counters.snapshot().build();
        assertThat(stats.opensSucceeded()).isEqualTo(1);
        assertThat(stats.streamsActive()).isEqualTo(1);
        assertThat(stats.pendingOpens()).isZero();
        counters.closed(false);
        assertThat(counters.streamsActive()).isZero();
    }

    @Test
    void cancelledAndShutdownLeaveHealthAsItIsButAreCounted() {
        fail(Reason.CANCELLED);
        fail(Reason.SHUTDOWN);
        assertThat(counters.health().state()).isEqualTo(State.UNKNOWN);
        assertThat(counters.snapshot().build().failures(Reason.CANCELLED)).isEqualTo(1);
        assertThat(counters.snapshot().build().opensFailed()).isEqualTo(2);
    }

    @Test
    void destinationFailuresDegradeButNeverMakeItDown() {
        for (int i = 0; i < 5; i++) {
            fail(Reason.DESTINATION_REFUSED);
        }
        assertThat(counters.health().state()).isEqualTo(State.DEGRADED);
        assertThat(counters.health().consecutiveFailures()).isEqualTo(5);
        assertThat(counters.health().lastFailureReason()).contains(Reason.DESTINATION_REFUSED);
    }

    @Test
    void threeUpstreamFailuresInARowMakeItDownAndASuccessBringsItUp() {
        fail(Reason.UPSTREAM_UNREACHABLE);
        fail(Reason.UPSTREAM_TLS);
        assertThat(counters.health().state()).isEqualTo(State.DEGRADED);
        fail(Reason.SESSION_LOST);
        assertThat(counters.health().state()).isEqualTo(State.DOWN);
        assertThat(counters.health().consecutiveFailures()).isEqualTo(3);
        counters.attempted();
        counters.succeeded(true);
        assertThat(counters.health().state()).isEqualTo(State.UP);
        assertThat(counters.health().consecutiveFailures()).isZero();
        assertThat(counters.datagramFlowsActive()).isEqualTo(1);
    }

    @Test
    void aDestinationFailureBreaksARunOfUpstreamFailures() {
        fail(Reason.UPSTREAM_UNREACHABLE);
        fail(Reason.UPSTREAM_UNREACHABLE);
        fail(Reason.DESTINATION_DNS);
        fail(Reason.UPSTREAM_UNREACHABLE);
        assertThat(counters.health().state()).isEqualTo(State.DEGRADED);
    }

    private void fail(Reason reason) {
        counters.attempted();
        counters.failed(new TransportException(reason, Phase.STREAM_OPEN, "t", "failed", null));
    }
}
