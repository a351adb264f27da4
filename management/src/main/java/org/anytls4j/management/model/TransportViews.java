package org.anytls4j.management.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.anytls4j.transport.api.Capability;
import org.anytls4j.transport.api.Network;
import org.anytls4j.transport.api.OutboundTransport;
import org.anytls4j.transport.api.SessionSnapshot;
import org.anytls4j.transport.api.TransportHealth;
import org.anytls4j.transport.api.TransportStats;

/**
 * What {@code transport:list}, {@code transport:info} and {@code transport:sessions} show, computed from the SPI
 * alone. The MXBean reads the same snapshots, so command and JMX agree.
 */
public final class TransportViews {
    public static final List<String> LIST_COLUMNS = List.of("Name", "Type", "Health", "Streams active / total",
            "Sessions live / idle", "Bytes up / down", "Failed opens");
    public static final List<String> SESSION_COLUMNS = List.of("Id", "Age", "Idle", "Streams active / total",
            "Bytes up / down", "Remote address", "Version", "Padding md5");

    private TransportViews() {
    }

    /** One row per transport: streams total are the opens that succeeded; live sessions include the idle ones. */
    public static Table list(List<TransportEntry> transports) {
        List<List<String>> rows = new ArrayList<>();
        for (TransportEntry entry : transports) {
            OutboundTransport transport = entry.transport();
            TransportStats stats = transport.stats();
            rows.add(List.of(transport.name(), transport.type(), transport.health().state().name(),
                    Texts.pair(stats.streamsActive(), stats.opensSucceeded()),
                    Texts.pair(stats.sessionsActive() + stats.sessionsIdle(), stats.sessionsIdle()),
                    Texts.pair(stats.bytesOut(), stats.bytesIn()),
                    Long.toString(stats.opensFailed())));
        }
        return new Table(LIST_COLUMNS, rows);
    }

    /** Every counter, health with the recent failures, capabilities and the effective settings, in order. */
    public static Map<String, String> info(TransportEntry entry, Instant now) {
        OutboundTransport transport = entry.transport();
        TransportStats stats = transport.stats();
        TransportHealth health = transport.health();
        Map<String, String> lines = new LinkedHashMap<>();
        lines.put("Name", transport.name());
        lines.put("Type", transport.type());
        lines.put("Networks", transport.networks().stream().map(Network::wireName).sorted()
                .collect(Collectors.joining(", ")));
        lines.put("Capabilities", transport.capabilities().stream().map(Capability::wireName).sorted()
                .collect(Collectors.joining(", ")));
        lines.put("Health", health.state().name());
        lines.put("Health since", health.since() + " (" + Texts.since(health.since(), now) + " ago)");
        lines.put("Consecutive failures", Integer.toString(health.consecutiveFailures()));
        lines.put("Last failure reason", Texts.orDash(health.lastFailureReason()));
        lines.put("Health detail", health.detail().orElse("-"));
        lines.put("Counting since", stats.since().toString());
        lines.put("Opens attempted", Long.toString(stats.opensAttempted()));
        lines.put("Opens succeeded", Long.toString(stats.opensSucceeded()));
        lines.put("Opens failed", Long.toString(stats.opensFailed()));
        stats.failuresByReason().forEach((reason, count) -> lines.put("Failed: " + reason, Long.toString(count)));
        lines.put("Pending opens", Long.toString(stats.pendingOpens()));
        lines.put("Streams active", Long.toString(stats.streamsActive()));
        lines.put("Datagram flows active", Long.toString(stats.datagramFlowsActive()));
        lines.put("Bytes out", Long.toString(stats.bytesOut()));
        lines.put("Bytes in", Long.toString(stats.bytesIn()));
        lines.put("Carrier bytes out", Texts.counter(stats.carrierBytesOut()));
        lines.put("Carrier bytes in", Texts.counter(stats.carrierBytesIn()));
        lines.put("Sessions opened", Long.toString(stats.sessionsOpened()));
        lines.put("Sessions closed", Long.toString(stats.sessionsClosed()));
        lines.put("Sessions failed", Long.toString(stats.sessionsFailed()));
        lines.put("Sessions active", Long.toString(stats.sessionsActive()));
        lines.put("Sessions idle", Long.toString(stats.sessionsIdle()));
        lines.put("Last success", Texts.orDash(stats.lastSuccess()));
        lines.put("Last failure", Texts.orDash(stats.lastFailure()));
        stats.extra().forEach((name, value) -> lines.put(name, Long.toString(value)));
        entry.settings().forEach((key, value) -> lines.put("Setting " + key, settingText(value)));
        return lines;
    }

    private static String settingText(Object value) {
        if (value instanceof Object[]) {
            return String.join(", ", java.util.Arrays.stream((Object[]) value).map(String::valueOf).toList());
        }
        return String.valueOf(value);
    }

    /** One row per carrier session; empty for a transport without sessions. */
    public static Table sessions(OutboundTransport transport, Instant now) {
        List<List<String>> rows = new ArrayList<>();
        for (SessionSnapshot session : transport.sessions()) {
            rows.add(List.of(session.id(), Texts.since(session.created(), now),
                    session.idleSince().map(idle -> Texts.since(idle, now)).orElse("busy"),
                    Texts.pair(session.activeStreams(), session.streamsServed()),
                    Texts.pair(session.bytesOut(), session.bytesIn()),
                    Texts.address(session.upstream()),
                    session.peerVersion() == 0 ? "-" : Integer.toString(session.peerVersion()),
                    session.paddingSchemeMd5().orElse("-")));
        }
        return new Table(SESSION_COLUMNS, rows);
    }
}
