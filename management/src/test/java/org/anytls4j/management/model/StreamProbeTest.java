package org.anytls4j.management.model;

import org.anytls4j.transport.api.TransportException;
import org.anytls4j.transport.api.TransportException.Phase;
import org.anytls4j.transport.api.TransportException.Reason;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamProbeTest {
    private final FakeTransport transport = new FakeTransport();
    private final AtomicLong clock = new AtomicLong();
    private final StreamProbe probe = new StreamProbe(transport, Duration.ofSeconds(5),
            () -> clock.getAndAdd(2_000_000)); // every reading 2 ms later

    @Test
    void reportsEachOpenAndASummary() {
        transport.outcomes.add(new TransportException(Reason.DESTINATION_REFUSED, Phase.REMOTE_CONNECT, "hk1",
                "connection refused", null));

        StreamProbe.Report report = probe.run("127.0.0.1:9", 1);

        assertThat(report.opened()).isZero();
        assertThat(report.lines()).containsExactly(
                "#1  FAILED      2.0 ms  DESTINATION_REFUSED in REMOTE_CONNECT: connection refused",
                "0 of 1 opens to 127.0.0.1:9 through 'hk1' succeeded");
    }

    @Test
    void successesCarryTheirLatency() {
        StreamProbe.Report report = probe.run("example.com:443", 3);

        assertThat(report.opened()).isEqualTo(3);
        assertThat(report.lines().get(0)).isEqualTo("#1  OK          2.0 ms  opened, destination connected");
        assertThat(report.summary()).isEqualTo(
                "3 of 3 opens to example.com:443 through 'hk1' succeeded, latency min/avg/max 2.0/2.0/2.0 ms");
        assertThat(transport.requests).allSatisfy(request ->
                assertThat(request.openTimeout()).contains(Duration.ofSeconds(5)));
    }

    @Test
    void rejectsBadInputByName() {
        assertThatThrownBy(() -> probe.run("no-port", 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no-port");
        assertThatThrownBy(() -> probe.run("h:1", 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("count");
    }
}
