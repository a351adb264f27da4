package org.anytls4j.transport.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import org.anytls4j.transport.api.TransportException.Phase;
import org.anytls4j.transport.api.TransportException.Reason;
import org.junit.jupiter.api.Test;

class TransportStatsTest {
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    @Test
    void emptyHasNoActivityAndUnknownCarrierBytes() {
        TransportStats empty = TransportStats.EMPTY;

        assertThat(empty.since()).isEqualTo(Instant.EPOCH);
        assertThat(empty.opensAttempted()).isZero();
        assertThat(empty.failuresByReason()).isEmpty();
        assertThat(empty.carrierBytesOut()).isEqualTo(TransportStats.UNKNOWN);
        assertThat(empty.carrierBytesIn()).isEqualTo(TransportStats.UNKNOWN);
        assertThat(empty.lastSuccess()).isEmpty();
        assertThat(empty.lastFailure()).isEmpty();
        assertThat(empty.extra()).isEmpty();
    }

    @Test
    void builderKeepsEveryValue() {
        FailureRecord failure = FailureRecord.of(T0.plusSeconds(9), Reason.TIMEOUT, Phase.STREAM_OPEN, "no SYNACK");

        TransportStats stats = TransportStats.builder()
                .since(T0).opensAttempted(10).opensSucceeded(7).opensFailed(3)
                .failures(Reason.TIMEOUT, 2).failures(Reason.DESTINATION_REFUSED, 1)
                .streamsActive(4).datagramFlowsActive(1).pendingOpens(2)
                .bytesOut(1000).bytesIn(2000).carrierBytesOut(1500).carrierBytesIn(2600)
                .sessionsOpened(5).sessionsClosed(1).sessionsFailed(1).sessionsActive(3).sessionsIdle(1)
                .lastSuccess(T0.plusSeconds(8)).lastFailure(failure)
                .extra("anytls.synack.timeouts", 2)
                .build();

        assertThat(stats.since()).isEqualTo(T0);
        assertThat(stats.opensAttempted()).isEqualTo(10);
        assertThat(stats.opensSucceeded()).isEqualTo(7);
        assertThat(stats.opensFailed()).isEqualTo(3);
        assertThat(stats.failuresByReason()).containsExactly(Map.entry(Reason.TIMEOUT, 2L),
                Map.entry(Reason.DESTINATION_REFUSED, 1L));
        assertThat(stats.failures(Reason.TIMEOUT)).isEqualTo(2);
        assertThat(stats.failures(Reason.SHUTDOWN)).isZero();
        assertThat(stats.streamsActive()).isEqualTo(4);
        assertThat(stats.datagramFlowsActive()).isEqualTo(1);
        assertThat(stats.pendingOpens()).isEqualTo(2);
        assertThat(stats.bytesOut()).isEqualTo(1000);
        assertThat(stats.bytesIn()).isEqualTo(2000);
        assertThat(stats.carrierBytesOut()).isEqualTo(1500);
        assertThat(stats.carrierBytesIn()).isEqualTo(2600);
        assertThat(stats.sessionsOpened()).isEqualTo(5);
        assertThat(stats.sessionsClosed()).isEqualTo(1);
        assertThat(stats.sessionsFailed()).isEqualTo(1);
        assertThat(stats.sessionsActive()).isEqualTo(3);
        assertThat(stats.sessionsIdle()).isEqualTo(1);
        assertThat(stats.lastSuccess()).contains(T0.plusSeconds(8));
        assertThat(stats.lastFailure()).contains(failure);
        assertThat(stats.extra()).containsExactly(Map.entry("anytls.synack.timeouts", 2L));
    }

    @Test
    void snapshotIsImmutableAndIndependentOfItsBuilderAndInputs() {
        EnumMap<Reason, Long> failures = new EnumMap<>(Reason.class);
        failures.put(Reason.TIMEOUT, 1L);
        TransportStats.Builder builder = TransportStats.builder().failuresByReason(failures).extra("x.y", 1);
        TransportStats stats = builder.build();

        failures.put(Reason.SHUTDOWN, 5L);
        builder.failures(Reason.INTERNAL, 9).extra("x.y", 2).opensAttempted(100);

        assertThat(stats.failuresByReason()).containsOnlyKeys(Reason.TIMEOUT);
        assertThat(stats.extra()).containsEntry("x.y", 1L);
        assertThat(stats.opensAttempted()).isZero();
        assertThatThrownBy(() -> stats.failuresByReason().put(Reason.INTERNAL, 1L))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> stats.extra().put("z", 1L)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void negativeCountersAreRejectedByName() {
        TransportStats.Builder builder = TransportStats.builder();

        assertThatThrownBy(() -> builder.bytesIn(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bytesIn").hasMessageContaining("-1");
        assertThatThrownBy(() -> builder.sessionsIdle(-3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sessionsIdle")
                .hasMessageContaining("-3");
        assertThatThrownBy(() -> builder.failures(Reason.TIMEOUT, -2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TIMEOUT");
        assertThatThrownBy(() -> builder.extra("anytls.heartbeats", -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("anytls.heartbeats");
        assertThatThrownBy(() -> builder.carrierBytesOut(-2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("carrierBytesOut")
                .hasMessageContaining("-2");
        assertThat(builder.carrierBytesOut(-1).build().carrierBytesOut()).isEqualTo(TransportStats.UNKNOWN);
    }

    @Test
    void zeroFailureCountRemovesTheReason() {
        TransportStats stats = TransportStats.builder().failures(Reason.TIMEOUT, 3).failures(Reason.TIMEOUT, 0).build();

        assertThat(stats.failuresByReason()).isEmpty();
    }

    @Test
    void toBuilderDerivesTheNextSnapshot() {
        TransportStats first = TransportStats.builder().since(T0).opensAttempted(1).failures(Reason.TIMEOUT, 1)
                .extra("a.b", 1).build();

        TransportStats next = first.toBuilder().opensAttempted(2).build();

        assertThat(first.toBuilder().build()).isEqualTo(first).hasSameHashCodeAs(first);
        assertThat(next.opensAttempted()).isEqualTo(2);
        assertThat(next.failuresByReason()).isEqualTo(first.failuresByReason());
        assertThat(next).isNotEqualTo(first);
        assertThat(first.opensAttempted()).isEqualTo(1);
    }

    @Test
    void failureRecordFromException() {
        TransportException e = TransportException.remoteError("hk1", "connect: connection refused");

        FailureRecord record = FailureRecord.of(T0, e);

        assertThat(record.time()).isEqualTo(T0);
        assertThat(record.reason()).isEqualTo(Reason.DESTINATION_REFUSED);
        assertThat(record.phase()).isEqualTo(Phase.REMOTE_CONNECT);
        assertThat(record.message()).isEqualTo(e.getMessage());
        assertThat(record.toString()).contains("DESTINATION_REFUSED", "REMOTE_CONNECT");
    }
}
