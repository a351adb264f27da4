package org.anytls4j.anytls.client.pool;

import java.util.EnumMap;

/** The pool's counters; guarded by the pool's lock. */
final class PoolCounters {
    private long sessionsCreated;
    private final EnumMap<CloseCause, Long> sessionsClosed = new EnumMap<>(CloseCause.class);
    private long leasesGranted;
    private long acquiresFailed;
    private long leasesReused;
    private long leasesReleasedUnhealthy;

    void created() {
        sessionsCreated++;
    }

    void closed(CloseCause cause) {
        sessionsClosed.merge(cause, 1L, Long::sum);
    }

    void granted(boolean reused) {
        leasesGranted++;
        if (reused) {
            leasesReused++;
        }
    }

    /** A grant its acquirer never took: it counts as never made. */
    void ungranted(boolean reused) {
        leasesGranted--;
        if (reused) {
            leasesReused--;
        }
    }

    void acquireFailed() {
        acquiresFailed++;
    }

    void releasedUnhealthy() {
        leasesReleasedUnhealthy++;
    }

    PoolStats stats(int idle, int live, int dialing) {
        return new PoolStats(idle, live - idle, live, dialing, sessionsCreated, sessionsClosed, leasesGranted,
                acquiresFailed, leasesReused, leasesReleasedUnhealthy);
    }
}
