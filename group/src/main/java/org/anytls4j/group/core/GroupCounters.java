package org.anytls4j.group.core;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.anytls4j.transport.api.FailureRecord;
import org.anytls4j.transport.api.TransportException;
import org.anytls4j.transport.api.TransportException.Phase;
import org.anytls4j.transport.api.TransportException.Reason;
import org.anytls4j.transport.api.TransportStats;

/** What the group counts of the opens made through it; the members count their own. */
final class GroupCounters {
    private final Instant since;
    private final LongAdder attempted = new LongAdder();
    private final LongAdder succeeded = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder failovers = new LongAdder();
    private final LongAdder streamsActive = new LongAdder();
    private final LongAdder flowsActive = new LongAdder();
    private final Map<Reason, Long> failures = new EnumMap<>(Reason.class);
    private volatile Instant lastSuccess;
    private volatile FailureRecord lastFailure;

    GroupCounters(Instant since) {
        this.since = since;
    }

    void attempted() {
        attempted.increment();
    }

    void succeeded(Instant now) {
        succeeded.increment();
        lastSuccess = now;
    }

    void failed(TransportException failure, Instant now) {
        failed.increment();
        synchronized (failures) {
            failures.merge(failure.reason(), 1L, Long::sum);
        }
        lastFailure = FailureRecord.of(now, failure);
    }

    void cancelled(String groupName) {
        failed.increment();
        synchronized (failures) {
            failures.merge(Reason.CANCELLED, 1L, Long::sum);
        }
    }

    void failedOver() {
        failovers.increment();
    }

    long failovers() {
        return failovers.sum();
    }

    void streamOpened(boolean datagram) {
        (datagram ? flowsActive : streamsActive).increment();
    }

    void streamClosed(boolean datagram) {
        (datagram ? flowsActive : streamsActive).decrement();
    }

    TransportStats.Builder snapshot() {
        long attempts = attempted.sum();
        long successes = succeeded.sum();
        long failuresTotal = failed.sum();
        TransportStats.Builder builder = TransportStats.builder()
                .since(since)
                .opensAttempted(attempts)
                .opensSucceeded(successes)
                .opensFailed(failuresTotal)
                .pendingOpens(Math.max(0, attempts - successes - failuresTotal))
                .streamsActive(Math.max(0, streamsActive.sum()))
                .datagramFlowsActive(Math.max(0, flowsActive.sum()))
                .lastSuccess(lastSuccess)
                .lastFailure(lastFailure)
                .extra("group.failovers", failovers.sum());
        synchronized (failures) {
            builder.failuresByReason(failures);
        }
        return builder;
    }

    static TransportException refusal(String group, Reason reason, String text) {
        return new TransportException(reason, Phase.QUEUE, group, text, null);
    }
}
