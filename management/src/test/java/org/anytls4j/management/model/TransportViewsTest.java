package org.anytls4j.management.model;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TransportViewsTest {
    private final FakeTransport transport = new FakeTransport();
    private final TransportEntry entry = new TransportEntry(transport,
            Map.of("transport.name", "hk1", "maxSessions", 4, ".password", "s3cret", "proxyPassword", "x",
                    "service.id", 7L));

    @Test
    void listShowsOneRowWithTheCounters() {
        Table table = TransportViews.list(java.util.List.of(entry));

        assertThat(table.rows()).containsExactly(java.util.List.of("hk1", "anytls", "UP", "1 / 10", "3 / 2",
                "300 / 4000", "2"));
    }

    @Test
    void infoShowsEveryCounterAndSettingsButNoSecret() {
        Map<String, String> info = TransportViews.info(entry, FakeTransport.T0.plus(Duration.ofSeconds(75)));

        assertThat(info).containsEntry("Opens succeeded", "10").containsEntry("Failed: DESTINATION_REFUSED", "2")
                .containsEntry("Carrier bytes out", "-").containsEntry("Capabilities", "connect-confirmation, multiplexed")
                .containsEntry("Setting maxSessions", "4").containsEntry("Health since", FakeTransport.T0 + " (1m15s ago)");
        assertThat(info.toString()).doesNotContain("s3cret").doesNotContain("proxyPassword").doesNotContain("service.id");
    }

    @Test
    void sessionsShowIdAgeStreamsBytesAddressVersionAndPadding() {
        Table table = TransportViews.sessions(transport, FakeTransport.T0.plus(Duration.ofHours(2)));

        assertThat(table.rows()).containsExactly(java.util.List.of("hk1-s1", "2h00m", "busy", "1 / 7", "300 / 4000",
                "127.0.0.1:8443", "2", "75cff2ad89aadf5e257059ee571ebe11"));
    }
}
