package org.anytls4j.transport.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.anytls4j.transport.api.TransportException.Reason;
import org.junit.jupiter.api.Test;

class HealthAndSessionTest {
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final InetSocketAddress SERVER = InetSocketAddress.createUnresolved("hk1.example.net", 443);

    @Test
    void unknownHealthBeforeAnyOutcome() {
        TransportHealth health = TransportHealth.unknown();

        assertThat(health.state()).isEqualTo(TransportHealth.State.UNKNOWN);
        assertThat(health.since()).isEqualTo(Instant.EPOCH);
        assertThat(health.consecutiveFailures()).isZero();
        assertThat(health.lastFailureReason()).isEmpty();
        assertThat(health.detail()).isEmpty();
    }

    @Test
    void healthKeepsItsFields() {
        TransportHealth health = TransportHealth.builder(TransportHealth.State.DOWN, T0).consecutiveFailures(5)
                .lastFailureReason(Reason.UPSTREAM_TLS).detail("handshake fails").build();

        assertThat(health.state()).isEqualTo(TransportHealth.State.DOWN);
        assertThat(health.since()).isEqualTo(T0);
        assertThat(health.consecutiveFailures()).isEqualTo(5);
        assertThat(health.lastFailureReason()).contains(Reason.UPSTREAM_TLS);
        assertThat(health.detail()).contains("handshake fails");
        assertThat(health.toString()).contains("DOWN", "5 consecutive", "UPSTREAM_TLS", "handshake fails");
        assertThatThrownBy(() -> TransportHealth.builder(TransportHealth.State.UP, T0).consecutiveFailures(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
    }

    @Test
    void sessionSnapshotKeepsItsFields() {
        SessionSnapshot idle = SessionSnapshot.builder("s-3", SERVER, T0).idleSince(T0.plusSeconds(5))
                .streamsServed(12).bytesOut(100).bytesIn(200).peerVersion(2).expiresAt(T0.plusSeconds(35)).build();
        SessionSnapshot busy = SessionSnapshot.builder("s-4", SERVER, T0).activeStreams(1).build();

        assertThat(idle.isIdle()).isTrue();
        assertThat(idle.idleSince()).contains(T0.plusSeconds(5));
        assertThat(idle.streamsServed()).isEqualTo(12);
        assertThat(idle.bytesOut()).isEqualTo(100);
        assertThat(idle.bytesIn()).isEqualTo(200);
        assertThat(idle.peerVersion()).isEqualTo(2);
        assertThat(idle.expiresAt()).contains(T0.plusSeconds(35));
        assertThat(idle.upstream()).isEqualTo(SERVER);
        assertThat(idle.toString()).contains("s-3", "hk1.example.net:443");
        assertThat(busy.isIdle()).isFalse();
        assertThat(busy.activeStreams()).isEqualTo(1);
        assertThat(busy.expiresAt()).isEmpty();
        assertThatThrownBy(() -> SessionSnapshot.builder("s", SERVER, T0).streamsServed(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("streamsServed");
    }

    @Test
    void transportWithoutSessionsReportsNone() {
        OutboundTransport direct = new OutboundTransport() {
            @Override
            public String name() {
                return "direct";
            }

            @Override
            public String type() {
                return "direct";
            }

            @Override
            public Set<Network> networks() {
                return Set.of(Network.TCP);
            }

            @Override
            public Set<Capability> capabilities() {
                return Set.of();
            }

            @Override
            public TransportStats stats() {
                return TransportStats.EMPTY;
            }

            @Override
            public TransportHealth health() {
                return TransportHealth.unknown();
            }
        };

        assertThat(direct.sessions()).isEqualTo(List.of());
    }
}
