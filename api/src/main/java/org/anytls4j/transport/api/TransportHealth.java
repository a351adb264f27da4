package org.anytls4j.transport.api;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A transport's own, passive view of whether it works, derived from recent outcomes (it never probes). Active
 * probing belongs to group transports or the host. Immutable.
 */
public final class TransportHealth {
    /** Coarse state, in the order a health check would rank it. */
    public enum State {
        /** No outcome yet. */
        UNKNOWN,
        /** The last outcomes were successes. */
        UP,
        /** Some recent opens failed, others succeeded. */
        DEGRADED,
        /** Recent opens fail consistently because of the upstream. */
        DOWN
    }

    private static final TransportHealth UNKNOWN = builder(State.UNKNOWN, Instant.EPOCH).build();

    private final State state;
    private final Instant since;
    private final int consecutiveFailures;
    private final TransportException.Reason lastFailureReason;
    private final String detail;

    private TransportHealth(Builder b) {
        state = b.state;
        since = b.since;
        consecutiveFailures = b.consecutiveFailures;
        lastFailureReason = b.lastFailureReason;
        detail = b.detail;
    }

    /** Health before any outcome: {@link State#UNKNOWN} since the epoch. */
    public static TransportHealth unknown() {
        return UNKNOWN;
    }

    /** @param since when the transport entered {@code state} */
    public static Builder builder(State state, Instant since) {
        return new Builder(state, since);
    }

    public State state() {
        return state;
    }

    /** When the transport entered {@link #state()}. */
    public Instant since() {
        return since;
    }

    /** Opens that failed in a row, since the last success. */
    public int consecutiveFailures() {
        return consecutiveFailures;
    }

    public Optional<TransportException.Reason> lastFailureReason() {
        return Optional.ofNullable(lastFailureReason);
    }

    /** A human-readable explanation; never contains credentials. */
    public Optional<String> detail() {
        return Optional.ofNullable(detail);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof TransportHealth)) {
            return false;
        }
        TransportHealth other = (TransportHealth) o;
        return state == other.state && since.equals(other.since) && consecutiveFailures == other.consecutiveFailures
                && lastFailureReason == other.lastFailureReason && Objects.equals(detail, other.detail);
    }

    @Override
    public int hashCode() {
        return Objects.hash(state, since, consecutiveFailures, lastFailureReason, detail);
    }

    @Override
    public String toString() {
        return state + " since " + since
                + (consecutiveFailures > 0 ? ", " + consecutiveFailures + " consecutive failures" : "")
                + (lastFailureReason != null ? ", last failure " + lastFailureReason : "")
                + (detail != null ? ": " + detail : "");
    }

    /** Collects the fields of a {@link TransportHealth}; not thread-safe. */
    public static final class Builder {
        private final State state;
        private final Instant since;
        private int consecutiveFailures;
        private TransportException.Reason lastFailureReason;
        private String detail;

        private Builder(State state, Instant since) {
            this.state = Objects.requireNonNull(state, "state");
            this.since = Objects.requireNonNull(since, "since");
        }

        public Builder consecutiveFailures(int count) {
            if (count < 0) {
                throw new IllegalArgumentException("consecutiveFailures must not be negative, got " + count);
            }
            consecutiveFailures = count;
            return this;
        }

        /** @param reason {@code null} if nothing failed yet */
        public Builder lastFailureReason(TransportException.Reason reason) {
            lastFailureReason = reason;
            return this;
        }

        /** @param detail {@code null} for none */
        public Builder detail(String detail) {
            this.detail = detail;
            return this;
        }

        public TransportHealth build() {
            return new TransportHealth(this);
        }
    }
}
