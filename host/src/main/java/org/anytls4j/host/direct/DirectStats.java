package org.anytls4j.host.direct;

import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.anytls4j.transport.api.FailureRecord;
import org.anytls4j.transport.api.TransportException;
import org.anytls4j.transport.api.TransportException.Reason;
import org.anytls4j.transport.api.TransportHealth;
import org.anytls4j.transport.api.TransportStats;

/**
 * Counters of a {@link DirectTransport}, lock-free so that {@link #snapshot()} may run on an event loop.
 *
 * <p>Health is passive: UNKNOWN before any outcome, UP after a success, DEGRADED while opens fail in a row. Never
 * DOWN: a direct transport has no upstream of its own, and a destination that fails says nothing about the next
 * one.
 */
final class DirectStats {
    private final Clock clock;
    private final Instant since;
    private final LongAdder attempted = new LongAdder();
    private final LongAdder succeeded = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final Map<Reason, LongAdder> failures = new EnumMap<>(Reason.class);
    private final LongAdder streamsActive = new LongAdder();
    private final LongAdder flowsActive = new LongAdder();
    private final LongAdder pending = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final LongAdder bytesIn = new LongAdder();
    private final AtomicReference<Instant> lastSuccess = new AtomicReference<>();
    private final AtomicReference<FailureRecord> lastFailure = new AtomicReference<>();
    private final AtomicReference<TransportHealth> health = new AtomicReference<>(TransportHealth.unknown());

    DirectStats(Clock clock) {
        this.clock = clock;
        this.since = clock.instant();
        for (Reason reason : Reason.values()) {
            failures.put(reason, new LongAdder());
        }
    }

    void attempted() {
        attempted.increment();
        pending.increment();
    }

    void succeeded(boolean udp) {
        pending.decrement();
        succeeded.increment();
        (udp ? flowsActive : streamsActive).increment();
        Instant now = clock.instant();
        lastSuccess.set(now);
        health.updateAndGet(current -> current.state() == TransportHealth.State.UP ? current
                : TransportHealth.builder(TransportHealth.State.UP, now).build());
    }

    void closed(boolean udp) {
        (udp ? flowsActive : streamsActive).decrement();
    }

    void failed(TransportException failure) {
        pending.decrement();
        failed.increment();
        failures.get(failure.reason()).increment();
        Instant now = clock.instant();
        lastFailure.set(FailureRecord.of(now, failure));
        if (failure.reason() == Reason.CANCELLED) {
            return; // the client gave up: says nothing about the transport
        }
        health.updateAndGet(current -> TransportHealth.builder(TransportHealth.State.DEGRADED,
                        current.state() == TransportHealth.State.DEGRADED ? current.since() : now)
                .consecutiveFailures(current.consecutiveFailures() + 1)
                .lastFailureReason(failure.reason())
                .detail(failure.getMessage())
                .build());
    }

    void bytesOut(long count) {
        bytesOut.add(count);
    }

    void bytesIn(long count) {
        bytesIn.add(count);
    }

    TransportStats snapshot() {
        TransportStats.Builder stats = TransportStats.builder()
                .since(since)
                .opensAttempted(attempted.sum())
                .opensSucceeded(succeeded.sum())
                .opensFailed(failed.sum())
                .streamsActive(streamsActive.sum())
                .datagramFlowsActive(flowsActive.sum())
                .pendingOpens(Math.max(0, pending.sum()))
                .bytesOut(bytesOut.sum())
                .bytesIn(bytesIn.sum())
                // The carrier is the connection itself: its wire bytes are the payload bytes.
                .carrierBytesOut(bytesOut.sum())
                .carrierBytesIn(bytesIn.sum());
        failures.forEach((reason, count) -> {
            long value = count.sum();
            if (value > 0) {
                stats.failures(reason, value);
            }
        });
        Instant success = lastSuccess.get();
        if (success != null) {
            stats.lastSuccess(success);
        }
        FailureRecord failure = lastFailure.get();
        if (failure != null) {
            stats.lastFailure(failure);
        }
        return stats.build();
    }

    TransportHealth health() {
        return health.get();
    }
}
