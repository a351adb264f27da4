package org.anytls4j.anytls.client.pool;

/**
 * Keeps {@code minIdleSessions} idle and ready when {@code warmIdleSessions} is on: how many warm dials to start,
 * and the pause after a failed one (only the next cleanup retries, rather than spinning against a dead server).
 * Guarded by the pool's lock.
 */
final class WarmKeeper {
    private int warmDials;
    private boolean suspended;

    /**
     * How many warm dials to start now so that idle sessions plus warm dials in flight reach
     * {@code minIdleSessions}, within {@code maxSessions}; zero while warming is off or paused.
     *
     * @param fromCleanup the cleanup tick lifts the pause after a failed warm dial
     */
    int shortfall(PoolOptions options, boolean fromCleanup, int idle, int live, int dialing) {
        if (!options.warmIdleSessions() || options.disableReuse()) {
            return 0;
        }
        if (fromCleanup) {
            suspended = false;
        } else if (suspended) {
            return 0;
        }
        int shortfall = options.minIdleSessions() - idle - warmDials;
        if (options.maxSessions() > 0) {
            shortfall = Math.min(shortfall, options.maxSessions() - live - dialing);
        }
        return Math.max(0, shortfall);
    }

    void dialStarted() {
        warmDials++;
    }

    void dialEnded() {
        warmDials--;
    }

    /** A warm dial failed: no more until the next cleanup. */
    void pause() {
        suspended = true;
    }

    /** Warming was switched on again: start at once. */
    void resume() {
        suspended = false;
    }
}
