package org.anytls4j.anytls.client.pool;

import java.time.Duration;

/**
 * The pool's tuning, validated when built. Invalid values are rejected with a message naming the property:
 * unlike the reference, which silently turns a check interval or idle timeout of 5 s or less into 30 s, a
 * value here means what it says, and a non-positive one is an error rather than a hidden default.
 *
 * @param idleSessionCheckInterval how often the idle cleanup runs; positive
 * @param idleSessionTimeout how long a session may stay idle before the cleanup closes it; positive
 * @param minIdleSessions how many of the newest idle sessions the cleanup keeps however long they have been
 *        idle; zero or more
 * @param disableReuse one session per stream: a session is closed when its stream ends
 * @param maxSessions cap on live plus dialing sessions, {@code 0} for no cap; opens beyond it fail at once
 * @param warmIdleSessions dial sessions in the background so that {@code minIdleSessions} are idle and ready
 * @param maxSessionAge age after which a session is not handed out again, {@link Duration#ZERO} for no limit
 */
public record PoolOptions(
        Duration idleSessionCheckInterval,
        Duration idleSessionTimeout,
        int minIdleSessions,
        boolean disableReuse,
        int maxSessions,
        boolean warmIdleSessions,
        Duration maxSessionAge) {

    /**
     * Defaults: check every 30 s, close after 60 s idle, keep 1 (anytls-rs's values, which are also the
     * reference's documented example), reuse on, no cap, no age limit. Warming is off: none of the reference
     * implementations dials sessions nobody asked for, and warm sessions are the ones that die silently
     * behind NATs (spec §10), so it is opt-in.
     */
    private static final PoolOptions DEFAULTS =
            new PoolOptions(Duration.ofSeconds(30), Duration.ofSeconds(60), 1, false, 0, false, Duration.ZERO);

    public PoolOptions {
        requirePositive("idleSessionCheckInterval", idleSessionCheckInterval);
        requirePositive("idleSessionTimeout", idleSessionTimeout);
        if (minIdleSessions < 0) {
            throw new IllegalArgumentException("minIdleSessions must be 0 or more, was " + minIdleSessions);
        }
        if (maxSessions < 0) {
            throw new IllegalArgumentException(
                    "maxSessions must be 0 (unlimited) or more, was " + maxSessions);
        }
        if (maxSessionAge == null) {
            throw new IllegalArgumentException("maxSessionAge must be set (ZERO for unlimited), was null");
        }
        if (maxSessionAge.isNegative()) {
            throw new IllegalArgumentException(
                    "maxSessionAge must be ZERO (unlimited) or positive, was " + maxSessionAge);
        }
        requireNanosFit("maxSessionAge", maxSessionAge);
        if (maxSessions > 0 && minIdleSessions > maxSessions) {
            throw new IllegalArgumentException("minIdleSessions (" + minIdleSessions
                    + ") must not exceed maxSessions (" + maxSessions + ")");
        }
        if (warmIdleSessions && disableReuse) {
            // A warmed session could never be handed out: with reuse disabled every stream dials its own.
            throw new IllegalArgumentException(
                    "warmIdleSessions=true contradicts disableReuse=true: warm sessions could never be used");
        }
    }

    /** The defaults described on {@link #DEFAULTS}. */
    public static PoolOptions defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the {@linkplain #defaults() defaults}. */
    public static Builder builder() {
        return new Builder(DEFAULTS);
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    private static void requirePositive(String property, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(property + " must be positive, was " + value);
        }
        requireNanosFit(property, value);
    }

    private static void requireNanosFit(String property, Duration value) {
        try {
            value.toNanos();
        } catch (ArithmeticException tooLarge) {
            throw new IllegalArgumentException(property + " is too large (at most about 292 years), was " + value);
        }
    }

    /** Builds {@link PoolOptions}; validation happens in {@link #build()}. */
    public static final class Builder {
        private Duration idleSessionCheckInterval;
        private Duration idleSessionTimeout;
        private int minIdleSessions;
        private boolean disableReuse;
        private int maxSessions;
        private boolean warmIdleSessions;
        private Duration maxSessionAge;

        private Builder(PoolOptions from) {
            idleSessionCheckInterval = from.idleSessionCheckInterval;
            idleSessionTimeout = from.idleSessionTimeout;
            minIdleSessions = from.minIdleSessions;
            disableReuse = from.disableReuse;
            maxSessions = from.maxSessions;
            warmIdleSessions = from.warmIdleSessions;
            maxSessionAge = from.maxSessionAge;
        }

        public Builder idleSessionCheckInterval(Duration value) {
            idleSessionCheckInterval = value;
            return this;
        }

        public Builder idleSessionTimeout(Duration value) {
            idleSessionTimeout = value;
            return this;
        }

        public Builder minIdleSessions(int value) {
            minIdleSessions = value;
            return this;
        }

        public Builder disableReuse(boolean value) {
            disableReuse = value;
            return this;
        }

        public Builder maxSessions(int value) {
            maxSessions = value;
            return this;
        }

        public Builder warmIdleSessions(boolean value) {
            warmIdleSessions = value;
            return this;
        }

        public Builder maxSessionAge(Duration value) {
            maxSessionAge = value;
            return this;
        }

        /** @throws IllegalArgumentException naming the first invalid property and its value */
        public PoolOptions build() {
            return new PoolOptions(idleSessionCheckInterval, idleSessionTimeout, minIdleSessions, disableReuse,
                    maxSessions, warmIdleSessions, maxSessionAge);
        }
    }
}
