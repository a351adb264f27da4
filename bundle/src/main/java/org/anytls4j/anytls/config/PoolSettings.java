package org.anytls4j.anytls.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The client's session pool options (spec §11). Unlike the reference, nothing is clamped: a value the pool
 * cannot use is rejected when the configuration is read.
 *
 * @param idleSessionCheckInterval how often idle sessions are examined; greater than zero
 * @param idleSessionTimeout how long a session may stay idle before it is closed; greater than zero
 * @param minIdleSessions how many of the newest idle sessions survive the idle timeout; 0 or more
 * @param disableReuse close a session when its stream ends instead of keeping it for the next stream
 * @param maxSessions upper bound on open sessions; 0 = unlimited
 * @param warmIdleSessions dial {@code minIdleSessions} sessions ahead of demand
 * @param maxSessionAge sessions older than this are not reused; {@link Duration#ZERO} = unlimited
 */
public record PoolSettings(Duration idleSessionCheckInterval, Duration idleSessionTimeout, int minIdleSessions,
        boolean disableReuse, int maxSessions, boolean warmIdleSessions, Duration maxSessionAge) {

    public PoolSettings {
        requirePositive(idleSessionCheckInterval, "idleSessionCheckInterval");
        requirePositive(idleSessionTimeout, "idleSessionTimeout");
        Objects.requireNonNull(maxSessionAge, "maxSessionAge");
        if (maxSessionAge.isNegative()) {
            throw new IllegalArgumentException("maxSessionAge must not be negative: " + maxSessionAge);
        }
        if (minIdleSessions < 0 || maxSessions < 0) {
            throw new IllegalArgumentException("session counts must not be negative: minIdleSessions="
                    + minIdleSessions + ", maxSessions=" + maxSessions);
        }
    }

    /** Whether the number of sessions is bounded. */
    public boolean hasMaxSessions() {
        return maxSessions > 0;
    }

    /** Whether sessions have a maximum age. */
    public boolean hasMaxSessionAge() {
        return !maxSessionAge.isZero();
    }

    private static void requirePositive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be greater than zero: " + duration);
        }
    }
}
