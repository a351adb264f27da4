package org.anytls4j.anytls.client;

import org.anytls4j.anytls.client.pool.CloseCause;
import org.anytls4j.anytls.client.pool.PoolStats;
import org.anytls4j.common.stats.TransportCounters;
import org.anytls4j.transport.api.TransportStats;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters behind an AnyTLS transport's {@code stats()} and {@code health()}: the project's shared open counters
 * and health policy ({@link TransportCounters}) plus what only AnyTLS has. A configuration change that replaces the
 * transport hands the same instance to the replacement, so nothing a host sees resets and the streams still draining
 * on the old transport stay counted.
 */
final class ClientCounters {
    final TransportCounters opens;
    final LongAdder paddingUpdates = new LongAdder();
    /** Opens whose reused session died before confirming them, moved to a fresh session. */
    final LongAdder deadSessionRetries = new LongAdder();

    ClientCounters(Clock clock) {
        this.opens = new TransportCounters(clock);
    }

    /** The stats of every transport that shared these counters, given the pool stats of each. */
    TransportStats stats(List<PoolStats> pools) {
        long created = 0;
        long closed = 0;
        long reused = 0;
        long active = 0;
        long idle = 0;
        long[] byCause = new long[CloseCause.values().length];
        for (PoolStats pool : pools) {
            created += pool.sessionsCreated();
            closed += pool.totalSessionsClosed();
            reused += pool.leasesReused();
            active += pool.activeSessions();
            idle += pool.idleSessions();
            for (CloseCause cause : CloseCause.values()) {
                byCause[cause.ordinal()] += pool.sessionsClosed(cause);
            }
        }
        return opens.snapshot()
                .sessionsOpened(created)
                .sessionsClosed(closed)
                .sessionsFailed(byCause[CloseCause.ERROR.ordinal()])
                .sessionsActive(active)
                .sessionsIdle(idle)
                .extra("anytls.sessions.reused", reused)
                .extra("anytls.sessions.closed.idleTimeout", byCause[CloseCause.IDLE_TIMEOUT.ordinal()])
                .extra("anytls.sessions.closed.maxAge", byCause[CloseCause.MAX_AGE.ordinal()])
                .extra("anytls.sessions.closed.shutdown", byCause[CloseCause.SHUTDOWN.ordinal()])
                .extra("anytls.sessions.closed.error", byCause[CloseCause.ERROR.ordinal()])
                .extra("anytls.sessions.closed.suspect", byCause[CloseCause.SUSPECT.ordinal()])
                .extra("anytls.opens.retriedOnFreshSession", deadSessionRetries.sum())
                .extra("anytls.padding.updates", paddingUpdates.sum())
                .build();
    }
}
