package org.anytls4j.anytls.client.pool;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * A consistent snapshot of the pool's gauges and counters.
 *
 * @param idleSessions sessions waiting for a stream
 * @param activeSessions sessions leased to a stream
 * @param totalSessions live sessions (idle plus active), not counting dials in flight
 * @param dialingSessions dials in flight, including those the pool abandoned at shutdown
 * @param sessionsCreated dials that produced a session
 * @param sessionsClosed closed sessions by cause; every cause is present
 * @param leasesGranted acquires that handed out a session (streams opened)
 * @param acquiresFailed acquires that failed (exhausted, shut down, dial failed)
 * @param leasesReused granted leases that reused an idle session
 * @param leasesReleasedUnhealthy leases released as unhealthy (the stream failed)
 */
public record PoolStats(
        int idleSessions,
        int activeSessions,
        int totalSessions,
        int dialingSessions,
        long sessionsCreated,
        Map<CloseCause, Long> sessionsClosed,
        long leasesGranted,
        long acquiresFailed,
        long leasesReused,
        long leasesReleasedUnhealthy) {

    public PoolStats {
        EnumMap<CloseCause, Long> complete = new EnumMap<>(CloseCause.class);
        for (CloseCause cause : CloseCause.values()) {
            complete.put(cause, sessionsClosed.getOrDefault(cause, 0L));
        }
        sessionsClosed = Collections.unmodifiableMap(complete);
    }

    /** Sessions closed for {@code cause}. */
    public long sessionsClosed(CloseCause cause) {
        return sessionsClosed.get(cause);
    }

    /** Sessions closed for any cause. */
    public long totalSessionsClosed() {
        return sessionsClosed.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Share of granted leases served by an existing session, {@code 0} before the first lease. */
    public double reuseRatio() {
        return leasesGranted == 0 ? 0.0 : (double) leasesReused / leasesGranted;
    }
}
