package org.anytls4j.anytls.server;

import java.util.concurrent.atomic.LongAdder;

/** Counters of one AnyTLS server; updated on event loops, read from anywhere. */
public final class ServerStats {
    final LongAdder connectionsAccepted = new LongAdder();
    final LongAdder sessionsTotal = new LongAdder();
    final LongAdder sessionsActive = new LongAdder();
    final LongAdder streamsTotal = new LongAdder();
    final LongAdder streamsActive = new LongAdder();
    final LongAdder authenticationFailures = new LongAdder();
    final LongAdder fallbacks = new LongAdder();
    final LongAdder bytesFromClients = new LongAdder();
    final LongAdder bytesToClients = new LongAdder();
    final LongAdder outboundConnectFailures = new LongAdder();

    public Snapshot snapshot() {
        return new Snapshot(connectionsAccepted.sum(), sessionsTotal.sum(), sessionsActive.sum(), streamsTotal.sum(),
                streamsActive.sum(), authenticationFailures.sum(), fallbacks.sum(), bytesFromClients.sum(),
                bytesToClients.sum(), outboundConnectFailures.sum());
    }

    /**
     * An immutable reading of the counters. Bytes are stream payload bytes, without framing, padding or TLS;
     * bytes from clients include each stream's leading destination address (§8.1). A stream's bytes are counted
     * when it closes.
     */
    public record Snapshot(long connectionsAccepted, long sessionsTotal, long sessionsActive, long streamsTotal,
                           long streamsActive, long authenticationFailures, long fallbacks, long bytesFromClients,
                           long bytesToClients, long outboundConnectFailures) {
    }
}
