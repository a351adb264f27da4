package org.anytls4j.management.jmx;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

import org.anytls4j.management.model.StreamProbe;
import org.anytls4j.transport.api.Capability;
import org.anytls4j.transport.api.Network;
import org.anytls4j.transport.api.OutboundTransport;
import org.anytls4j.transport.api.TransportStats;
import org.anytls4j.transport.api.netty.NettyOutboundTransport;

/** The {@link TransportMXBean} of one transport, reading the SPI on every call. */
public final class TransportManagement implements TransportMXBean {
    static final Duration TEST_OPEN_TIMEOUT = Duration.ofSeconds(10);

    private final OutboundTransport transport;

    public TransportManagement(OutboundTransport transport) {
        this.transport = transport;
    }

    private TransportStats stats() {
        return transport.stats();
    }

    @Override
    public String getName() {
        return transport.name();
    }

    @Override
    public String getType() {
        return transport.type();
    }

    @Override
    public String getHealth() {
        return transport.health().state().name();
    }

    @Override
    public int getConsecutiveFailures() {
        return transport.health().consecutiveFailures();
    }

    @Override
    public String getLastFailure() {
        return stats().lastFailure().map(String::valueOf).orElse("");
    }

    @Override
    public String[] getNetworks() {
        return transport.networks().stream().map(Network::wireName).sorted().toArray(String[]::new);
    }

    @Override
    public String[] getCapabilities() {
        return transport.capabilities().stream().map(Capability::wireName).sorted().toArray(String[]::new);
    }

    @Override
    public long getOpensAttempted() {
        return stats().opensAttempted();
    }

    @Override
    public long getOpensSucceeded() {
        return stats().opensSucceeded();
    }

    @Override
    public long getOpensFailed() {
        return stats().opensFailed();
    }

    @Override
    public Map<String, Long> getFailuresByReason() {
        Map<String, Long> byName = new TreeMap<>();
        stats().failuresByReason().forEach((reason, count) -> byName.put(reason.name(), count));
        return byName;
    }

    @Override
    public long getPendingOpens() {
        return stats().pendingOpens();
    }

    @Override
    public long getStreamsActive() {
        return stats().streamsActive();
    }

    @Override
    public long getDatagramFlowsActive() {
        return stats().datagramFlowsActive();
    }

    @Override
    public long getBytesOut() {
        return stats().bytesOut();
    }

    @Override
    public long getBytesIn() {
        return stats().bytesIn();
    }

    @Override
    public long getCarrierBytesOut() {
        return stats().carrierBytesOut();
    }

    @Override
    public long getCarrierBytesIn() {
        return stats().carrierBytesIn();
    }

    @Override
    public long getSessionsOpened() {
        return stats().sessionsOpened();
    }

    @Override
    public long getSessionsClosed() {
        return stats().sessionsClosed();
    }

    @Override
    public long getSessionsFailed() {
        return stats().sessionsFailed();
    }

    @Override
    public long getSessionsActive() {
        return stats().sessionsActive();
    }

    @Override
    public long getSessionsIdle() {
        return stats().sessionsIdle();
    }

    @Override
    public Map<String, Long> getExtra() {
        return new TreeMap<>(stats().extra());
    }

    @Override
    public String[] test(String hostPort, int count) {
        if (!(transport instanceof NettyOutboundTransport)) {
            throw new IllegalArgumentException("transport '" + transport.name() + "' cannot open streams here: it is"
                    + " not a NettyOutboundTransport");
        }
        return new StreamProbe((NettyOutboundTransport) transport, TEST_OPEN_TIMEOUT, System::nanoTime)
                .run(hostPort, count).lines().toArray(String[]::new);
    }
}
