package org.anytls4j.common.stats;

import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import org.anytls4j.transport.api.FailureRecord;
import org.anytls4j.transport.api.TransportException;
import org.anytls4j.transport.api.TransportException.Reason;
import org.anytls4j.transport.api.TransportHealth;
import org.anytls4j.transport.api.TransportStats;

/**
 * The open, stream and byte counters of one outbound transport and its one health policy; every transport of this
 * project (AnyTLS and direct) records into one of these, so their stats and health mean the same thing.
 *
 * <p><b>Health policy.</b> Health is passive, derived from the outcomes of opens:
 * <ul>
 *   <li>{@code UNKNOWN} until the first outcome that counts;</li>
 *   <li>{@code UP} after a successful open; a success ends any run of failures;</li>
 *   <li>{@code DEGRADED} while the latest opens failed, one or more in a row;</li>
 *   <li>{@code DOWN} once {@value #DOWN_AFTER_UPSTREAM_FAILURES} opens in a row failed for a reason that blames
 *       the transport's own upstream ({@code UPSTREAM_UNREACHABLE}, {@code UPSTREAM_TLS}, {@code UPSTREAM_AUTH},
 *       {@code UPSTREAM_PROTOCOL}, {@code SESSION_LOST}): its server is out, not just one destination. A transport
 *       without an upstream of its own (direct) never reports these reasons, so it degrades but is never DOWN.</li>
 * </ul>
 * {@code CANCELLED} (the caller gave up) and {@code SHUTDOWN} (the transport is being closed) say nothing about
 * the path and leave health as it is; they are still counted as failed opens in the stats.
 *
 * <p>Lock-free reads, so {@link #snapshot()} may run on an event loop; outcomes serialise on this object only to
 * keep the health fields consistent with each other. A replacement transport may share the counters of the one it
 * replaces, so that a configuration change does not reset what a host sees.
 */
public final class TransportCounters {
    /** Consecutive upstream failures after which health is DOWN. */
    public static final int DOWN_AFTER_UPSTREAM_FAILURES = 3;

    private final Clock clock;
    private final Instant since;
    private final LongAdder attempted = new LongAdder();
    private final LongAdder succeeded = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final Map<Reason, LongAdder> failures = new EnumMap<>(Reason.class);
    private final LongAdder pending = new LongAdder();
    private final LongAdder streamsActive = new LongAdder();
    private final LongAdder flowsActive = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final LongAdder bytesIn = new LongAdder();
    private volatile Instant lastSuccess;
    private volatile FailureRecord lastFailure;
    private volatile TransportHealth health = TransportHealth.unknown();
    private int consecutiveUpstreamFailures;

    public TransportCounters(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.since = clock.instant();
        for (Reason reason : Reason.values()) {
            failures.put(reason, new LongAdder());
        }
    }

    /** An open began; it stays pending until {@link #succeeded} or {@link #failed}. */
    public void attempted() {
        attempted.increment();
        pending.increment();
    }

    /** An open succeeded: its stream (or UDP flow) is active until {@link #closed}. */
    public void succeeded(boolean udp) {
        Instant now = clock.instant();
        synchronized (this) {
            pending.decrement();
            succeeded.increment();
            (udp ? flowsActive : streamsActive).increment();
            lastSuccess = now;
            consecutiveUpstreamFailures = 0;
            if (health.state() != TransportHealth.State.UP) {
                health = TransportHealth.builder(TransportHealth.State.UP, now).build();
            }
        }
    }

    /** A stream (or UDP flow) of a successful open ended. */
    public void closed(boolean udp) {
        (udp ? flowsActive : streamsActive).decrement();
    }

    public void failed(TransportException failure) {
        Instant now = clock.instant();
        Reason reason = failure.reason();
        synchronized (this) {
            pending.decrement();
            failed.increment();
            failures.get(reason).increment();
            lastFailure = FailureRecord.of(now, failure);
            if (reason == Reason.CANCELLED || reason == Reason.SHUTDOWN) {
                return;
            }
            consecutiveUpstreamFailures = isUpstream(reason) ? consecutiveUpstreamFailures + 1 : 0;
            TransportHealth.State state = consecutiveUpstreamFailures >= DOWN_AFTER_UPSTREAM_FAILURES
                    ? TransportHealth.State.DOWN : TransportHealth.State.DEGRADED;
            TransportHealth current = health;
            health = TransportHealth.builder(state, current.state() == state ? current.since() : now)
                    .consecutiveFailures(current.state() == TransportHealth.State.UP
                            || current.state() == TransportHealth.State.UNKNOWN ? 1 : current.consecutiveFailures() + 1)
                    .lastFailureReason(reason)
                    .detail(failure.getMessage())
                    .build();
        }
    }

    public void bytesOut(long count) {
        bytesOut.add(count);
    }

    public void bytesIn(long count) {
        bytesIn.add(count);
    }

    public long streamsActive() {
        return streamsActive.sum();
    }

    public long datagramFlowsActive() {
        return flowsActive.sum();
    }

    public long pendingOpens() {
        return Math.max(0, pending.sum());
    }

    /** Open, stream and byte counters, for the transport to add what only it knows (sessions, extras). */
    public TransportStats.Builder snapshot() {
        TransportStats.Builder stats = TransportStats.builder()
                .since(since)
                .opensAttempted(attempted.sum())
                .opensSucceeded(succeeded.sum())
                .opensFailed(failed.sum())
                .streamsActive(streamsActive.sum())
                .datagramFlowsActive(flowsActive.sum())
                .pendingOpens(pendingOpens())
                .bytesOut(bytesOut.sum())
                .bytesIn(bytesIn.sum());
        failures.forEach((reason, count) -> {
            long value = count.sum();
            if (value > 0) {
                stats.failures(reason, value);
            }
        });
        Instant success = lastSuccess;
        if (success != null) {
            stats.lastSuccess(success);
        }
        FailureRecord failure = lastFailure;
        if (failure != null) {
            stats.lastFailure(failure);
        }
        return stats;
    }

    public TransportHealth health() {
        return health;
    }

    private static boolean isUpstream(Reason reason) {
        switch (reason) {
            case UPSTREAM_UNREACHABLE:
            case UPSTREAM_TLS:
            case UPSTREAM_AUTH:
            case UPSTREAM_PROTOCOL:
            case SESSION_LOST:
                return true;
            default:
                return false;
        }
    }
}
