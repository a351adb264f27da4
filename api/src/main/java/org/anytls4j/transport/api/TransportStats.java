package org.anytls4j.transport.api;

import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A snapshot of what only the transport can see: opens and their failures, live streams, payload and carrier
 * bytes, carrier sessions. What the host sees at its own boundary (client bytes, client connections) it counts
 * itself.
 *
 * <p>Immutable. A final class with a builder rather than a record, so that adding a counter later breaks no
 * transport: a transport that does not set a new counter reports its default. Counters that do not apply to a
 * transport stay 0 (sessions of a direct transport), except carrier bytes, which are -1 when unknown.
 */
public final class TransportStats {
    /** Value of {@link #carrierBytesOut()} and {@link #carrierBytesIn()} when the transport cannot count them. */
    public static final long UNKNOWN = -1;

    /** No activity at all since the epoch; what a transport reports before it has counted anything. */
    public static final TransportStats EMPTY = builder().build();

    private final Instant since;
    private final long[] counters;
    private final Map<TransportException.Reason, Long> failuresByReason;
    private final Instant lastSuccess;
    private final FailureRecord lastFailure;
    private final Map<String, Long> extra;

    /** The plain counters, each stored at its ordinal; its name is the accessor's, for messages. */
    private enum Counter {
        OPENS_ATTEMPTED("opensAttempted"),
        OPENS_SUCCEEDED("opensSucceeded"),
        OPENS_FAILED("opensFailed"),
        STREAMS_ACTIVE("streamsActive"),
        DATAGRAM_FLOWS_ACTIVE("datagramFlowsActive"),
        PENDING_OPENS("pendingOpens"),
        BYTES_OUT("bytesOut"),
        BYTES_IN("bytesIn"),
        CARRIER_BYTES_OUT("carrierBytesOut"),
        CARRIER_BYTES_IN("carrierBytesIn"),
        SESSIONS_OPENED("sessionsOpened"),
        SESSIONS_CLOSED("sessionsClosed"),
        SESSIONS_FAILED("sessionsFailed"),
        SESSIONS_ACTIVE("sessionsActive"),
        SESSIONS_IDLE("sessionsIdle");

        private final String accessor;

        Counter(String accessor) {
            this.accessor = accessor;
        }
    }

    private TransportStats(Builder b) {
        since = b.since;
        counters = b.counters.clone();
        EnumMap<TransportException.Reason, Long> failures = new EnumMap<>(TransportException.Reason.class);
        failures.putAll(b.failuresByReason);
        failuresByReason = Collections.unmodifiableMap(failures);
        lastSuccess = b.lastSuccess;
        lastFailure = b.lastFailure;
        extra = Collections.unmodifiableMap(new TreeMap<>(b.extra));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding every value of this snapshot, to derive the next one. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.since = since;
        System.arraycopy(counters, 0, b.counters, 0, counters.length);
        b.failuresByReason.putAll(failuresByReason);
        b.lastSuccess = lastSuccess;
        b.lastFailure = lastFailure;
        b.extra.putAll(extra);
        return b;
    }

    /** When counting started: counters reset when the transport is (re)activated. */
    public Instant since() {
        return since;
    }

    public long opensAttempted() {
        return counters[Counter.OPENS_ATTEMPTED.ordinal()];
    }

    public long opensSucceeded() {
        return counters[Counter.OPENS_SUCCEEDED.ordinal()];
    }

    public long opensFailed() {
        return counters[Counter.OPENS_FAILED.ordinal()];
    }

    /** Failed opens by reason; reasons that never occurred are absent. Unmodifiable. */
    public Map<TransportException.Reason, Long> failuresByReason() {
        return failuresByReason;
    }

    /** Failed opens with {@code reason}, 0 if none. */
    public long failures(TransportException.Reason reason) {
        return failuresByReason.getOrDefault(Objects.requireNonNull(reason, "reason"), 0L);
    }

    public long streamsActive() {
        return counters[Counter.STREAMS_ACTIVE.ordinal()];
    }

    public long datagramFlowsActive() {
        return counters[Counter.DATAGRAM_FLOWS_ACTIVE.ordinal()];
    }

    /** Opens started but not yet completed. */
    public long pendingOpens() {
        return counters[Counter.PENDING_OPENS.ordinal()];
    }

    /** Payload bytes written by hosts into streams and flows. */
    public long bytesOut() {
        return counters[Counter.BYTES_OUT.ordinal()];
    }

    /** Payload bytes delivered to hosts from streams and flows. */
    public long bytesIn() {
        return counters[Counter.BYTES_IN.ordinal()];
    }

    /** Bytes the carriers sent on the wire, including TLS and padding; {@link #UNKNOWN} if not counted. */
    public long carrierBytesOut() {
        return counters[Counter.CARRIER_BYTES_OUT.ordinal()];
    }

    /** Bytes the carriers received on the wire, including TLS and padding; {@link #UNKNOWN} if not counted. */
    public long carrierBytesIn() {
        return counters[Counter.CARRIER_BYTES_IN.ordinal()];
    }

    /** Carrier sessions created (connected and authenticated). */
    public long sessionsOpened() {
        return counters[Counter.SESSIONS_OPENED.ordinal()];
    }

    public long sessionsClosed() {
        return counters[Counter.SESSIONS_CLOSED.ordinal()];
    }

    /** Carrier sessions that could not be established or broke while in use. */
    public long sessionsFailed() {
        return counters[Counter.SESSIONS_FAILED.ordinal()];
    }

    /** Carrier sessions carrying at least one stream now. */
    public long sessionsActive() {
        return counters[Counter.SESSIONS_ACTIVE.ordinal()];
    }

    /** Carrier sessions open but carrying no stream now (pooled for reuse). */
    public long sessionsIdle() {
        return counters[Counter.SESSIONS_IDLE.ordinal()];
    }

    public Optional<Instant> lastSuccess() {
        return Optional.ofNullable(lastSuccess);
    }

    public Optional<FailureRecord> lastFailure() {
        return Optional.ofNullable(lastFailure);
    }

    /**
     * Transport-specific counters, named {@code <type>.<what>}, e.g. {@code anytls.synack.timeouts}; sorted by
     * name, unmodifiable.
     */
    public Map<String, Long> extra() {
        return extra;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof TransportStats)) {
            return false;
        }
        TransportStats other = (TransportStats) o;
        return since.equals(other.since)
                && Arrays.equals(counters, other.counters)
                && failuresByReason.equals(other.failuresByReason)
                && Objects.equals(lastSuccess, other.lastSuccess)
                && Objects.equals(lastFailure, other.lastFailure)
                && extra.equals(other.extra);
    }

    @Override
    public int hashCode() {
        return Objects.hash(since, Arrays.hashCode(counters), failuresByReason, lastSuccess, lastFailure, extra);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("TransportStats{since=").append(since);
        for (Counter counter : Counter.values()) {
            text.append(' ').append(counter.accessor).append('=').append(counters[counter.ordinal()]);
        }
        return text.append(" failures=").append(failuresByReason).append(" lastSuccess=").append(lastSuccess)
                .append(" lastFailure=").append(lastFailure).append(" extra=").append(extra).append('}').toString();
    }

    /**
     * Collects the values of a {@link TransportStats}; not thread-safe. Counters are checked as they are set, and a
     * negative one is rejected with the counter's name and value.
     */
    public static final class Builder {
        private Instant since = Instant.EPOCH;
        private final long[] counters = new long[Counter.values().length];
        private final Map<TransportException.Reason, Long> failuresByReason =
                new EnumMap<>(TransportException.Reason.class);
        private Instant lastSuccess;
        private FailureRecord lastFailure;
        private final Map<String, Long> extra = new TreeMap<>();

        private Builder() {
            counters[Counter.CARRIER_BYTES_OUT.ordinal()] = UNKNOWN;
            counters[Counter.CARRIER_BYTES_IN.ordinal()] = UNKNOWN;
        }

        private Builder set(Counter counter, long value) {
            counters[counter.ordinal()] = counter(counter.accessor, value);
            return this;
        }

        private static long counter(String name, long value) {
            if (value < 0) {
                throw new IllegalArgumentException(name + " must not be negative, got " + value);
            }
            return value;
        }

        private static long carrierCounter(String name, long value) {
            if (value < UNKNOWN) {
                throw new IllegalArgumentException(name + " must be -1 (unknown) or more, got " + value);
            }
            return value;
        }

        public Builder since(Instant since) {
            this.since = Objects.requireNonNull(since, "since");
            return this;
        }

        public Builder opensAttempted(long value) {
            return set(Counter.OPENS_ATTEMPTED, value);
        }

        public Builder opensSucceeded(long value) {
            return set(Counter.OPENS_SUCCEEDED, value);
        }

        public Builder opensFailed(long value) {
            return set(Counter.OPENS_FAILED, value);
        }

        /** Sets the failure count of one reason; 0 removes it. */
        public Builder failures(TransportException.Reason reason, long count) {
            Objects.requireNonNull(reason, "reason");
            if (counter("failures of " + reason, count) == 0) {
                failuresByReason.remove(reason);
            } else {
                failuresByReason.put(reason, count);
            }
            return this;
        }

        /** Replaces all failure counts with those of {@code counts}. */
        public Builder failuresByReason(Map<TransportException.Reason, Long> counts) {
            Objects.requireNonNull(counts, "failuresByReason");
            failuresByReason.clear();
            counts.forEach((reason, count) -> failures(reason, Objects.requireNonNull(count, "count")));
            return this;
        }

        public Builder streamsActive(long value) {
            return set(Counter.STREAMS_ACTIVE, value);
        }

        public Builder datagramFlowsActive(long value) {
            return set(Counter.DATAGRAM_FLOWS_ACTIVE, value);
        }

        public Builder pendingOpens(long value) {
            return set(Counter.PENDING_OPENS, value);
        }

        public Builder bytesOut(long value) {
            return set(Counter.BYTES_OUT, value);
        }

        public Builder bytesIn(long value) {
            return set(Counter.BYTES_IN, value);
        }

        /** @param value bytes, or {@link #UNKNOWN} */
        public Builder carrierBytesOut(long value) {
            counters[Counter.CARRIER_BYTES_OUT.ordinal()] = carrierCounter("carrierBytesOut", value);
            return this;
        }

        /** @param value bytes, or {@link #UNKNOWN} */
        public Builder carrierBytesIn(long value) {
            counters[Counter.CARRIER_BYTES_IN.ordinal()] = carrierCounter("carrierBytesIn", value);
            return this;
        }

        public Builder sessionsOpened(long value) {
            return set(Counter.SESSIONS_OPENED, value);
        }

        public Builder sessionsClosed(long value) {
            return set(Counter.SESSIONS_CLOSED, value);
        }

        public Builder sessionsFailed(long value) {
            return set(Counter.SESSIONS_FAILED, value);
        }

        public Builder sessionsActive(long value) {
            return set(Counter.SESSIONS_ACTIVE, value);
        }

        public Builder sessionsIdle(long value) {
            return set(Counter.SESSIONS_IDLE, value);
        }

        /** @param time {@code null} for never */
        public Builder lastSuccess(Instant time) {
            lastSuccess = time;
            return this;
        }

        /** @param failure {@code null} for never */
        public Builder lastFailure(FailureRecord failure) {
            lastFailure = failure;
            return this;
        }

        /**
         * Sets one transport-specific counter.
         *
         * @param name non-blank, conventionally {@code <type>.<what>}
         */
        public Builder extra(String name, long value) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("Extra counter name must not be blank, was '" + name + "'");
            }
            extra.put(name, counter("extra counter '" + name + "'", value));
            return this;
        }

        public TransportStats build() {
            return new TransportStats(this);
        }
    }
}
