package org.anytls4j.transport.api;

import java.time.Instant;
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
    private final long opensAttempted;
    private final long opensSucceeded;
    private final long opensFailed;
    private final Map<TransportException.Reason, Long> failuresByReason;
    private final long streamsActive;
    private final long datagramFlowsActive;
    private final long pendingOpens;
    private final long bytesOut;
    private final long bytesIn;
    private final long carrierBytesOut;
    private final long carrierBytesIn;
    private final long sessionsOpened;
    private final long sessionsClosed;
    private final long sessionsFailed;
    private final long sessionsActive;
    private final long sessionsIdle;
    private final Instant lastSuccess;
    private final FailureRecord lastFailure;
    private final Map<String, Long> extra;

    private TransportStats(Builder b) {
        since = b.since;
        opensAttempted = b.opensAttempted;
        opensSucceeded = b.opensSucceeded;
        opensFailed = b.opensFailed;
        EnumMap<TransportException.Reason, Long> failures = new EnumMap<>(TransportException.Reason.class);
        failures.putAll(b.failuresByReason);
        failuresByReason = Collections.unmodifiableMap(failures);
        streamsActive = b.streamsActive;
        datagramFlowsActive = b.datagramFlowsActive;
        pendingOpens = b.pendingOpens;
        bytesOut = b.bytesOut;
        bytesIn = b.bytesIn;
        carrierBytesOut = b.carrierBytesOut;
        carrierBytesIn = b.carrierBytesIn;
        sessionsOpened = b.sessionsOpened;
        sessionsClosed = b.sessionsClosed;
        sessionsFailed = b.sessionsFailed;
        sessionsActive = b.sessionsActive;
        sessionsIdle = b.sessionsIdle;
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
        b.opensAttempted = opensAttempted;
        b.opensSucceeded = opensSucceeded;
        b.opensFailed = opensFailed;
        b.failuresByReason.putAll(failuresByReason);
        b.streamsActive = streamsActive;
        b.datagramFlowsActive = datagramFlowsActive;
        b.pendingOpens = pendingOpens;
        b.bytesOut = bytesOut;
        b.bytesIn = bytesIn;
        b.carrierBytesOut = carrierBytesOut;
        b.carrierBytesIn = carrierBytesIn;
        b.sessionsOpened = sessionsOpened;
        b.sessionsClosed = sessionsClosed;
        b.sessionsFailed = sessionsFailed;
        b.sessionsActive = sessionsActive;
        b.sessionsIdle = sessionsIdle;
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
        return opensAttempted;
    }

    public long opensSucceeded() {
        return opensSucceeded;
    }

    public long opensFailed() {
        return opensFailed;
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
        return streamsActive;
    }

    public long datagramFlowsActive() {
        return datagramFlowsActive;
    }

    /** Opens started but not yet completed. */
    public long pendingOpens() {
        return pendingOpens;
    }

    /** Payload bytes written by hosts into streams and flows. */
    public long bytesOut() {
        return bytesOut;
    }

    /** Payload bytes delivered to hosts from streams and flows. */
    public long bytesIn() {
        return bytesIn;
    }

    /** Bytes the carriers sent on the wire, including TLS and padding; {@link #UNKNOWN} if not counted. */
    public long carrierBytesOut() {
        return carrierBytesOut;
    }

    /** Bytes the carriers received on the wire, including TLS and padding; {@link #UNKNOWN} if not counted. */
    public long carrierBytesIn() {
        return carrierBytesIn;
    }

    /** Carrier sessions created (connected and authenticated). */
    public long sessionsOpened() {
        return sessionsOpened;
    }

    public long sessionsClosed() {
        return sessionsClosed;
    }

    /** Carrier sessions that could not be established or broke while in use. */
    public long sessionsFailed() {
        return sessionsFailed;
    }

    /** Carrier sessions carrying at least one stream now. */
    public long sessionsActive() {
        return sessionsActive;
    }

    /** Carrier sessions open but carrying no stream now (pooled for reuse). */
    public long sessionsIdle() {
        return sessionsIdle;
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
                && opensAttempted == other.opensAttempted
                && opensSucceeded == other.opensSucceeded
                && opensFailed == other.opensFailed
                && failuresByReason.equals(other.failuresByReason)
                && streamsActive == other.streamsActive
                && datagramFlowsActive == other.datagramFlowsActive
                && pendingOpens == other.pendingOpens
                && bytesOut == other.bytesOut
                && bytesIn == other.bytesIn
                && carrierBytesOut == other.carrierBytesOut
                && carrierBytesIn == other.carrierBytesIn
                && sessionsOpened == other.sessionsOpened
                && sessionsClosed == other.sessionsClosed
                && sessionsFailed == other.sessionsFailed
                && sessionsActive == other.sessionsActive
                && sessionsIdle == other.sessionsIdle
                && Objects.equals(lastSuccess, other.lastSuccess)
                && Objects.equals(lastFailure, other.lastFailure)
                && extra.equals(other.extra);
    }

    @Override
    public int hashCode() {
        return Objects.hash(since, opensAttempted, opensSucceeded, opensFailed, failuresByReason, streamsActive,
                datagramFlowsActive, pendingOpens, bytesOut, bytesIn, carrierBytesOut, carrierBytesIn,
                sessionsOpened, sessionsClosed, sessionsFailed, sessionsActive, sessionsIdle, lastSuccess,
                lastFailure, extra);
    }

    @Override
    public String toString() {
        return "TransportStats{since=" + since
                + " opens=" + opensAttempted + "/" + opensSucceeded + "/" + opensFailed + " failures=" + failuresByReason
                + " streams=" + streamsActive + " flows=" + datagramFlowsActive + " pending=" + pendingOpens
                + " bytes=" + bytesOut + "/" + bytesIn + " carrierBytes=" + carrierBytesOut + "/" + carrierBytesIn
                + " sessions opened=" + sessionsOpened + " closed=" + sessionsClosed + " failed=" + sessionsFailed
                + " active=" + sessionsActive + " idle=" + sessionsIdle
                + " lastSuccess=" + lastSuccess + " lastFailure=" + lastFailure + " extra=" + extra + "}";
    }

    /**
     * Collects the values of a {@link TransportStats}; not thread-safe. Counters are checked as they are set, and a
     * negative one is rejected with the counter's name and value.
     */
    public static final class Builder {
        private Instant since = Instant.EPOCH;
        private long opensAttempted;
        private long opensSucceeded;
        private long opensFailed;
        private final Map<TransportException.Reason, Long> failuresByReason =
                new EnumMap<>(TransportException.Reason.class);
        private long streamsActive;
        private long datagramFlowsActive;
        private long pendingOpens;
        private long bytesOut;
        private long bytesIn;
        private long carrierBytesOut = UNKNOWN;
        private long carrierBytesIn = UNKNOWN;
        private long sessionsOpened;
        private long sessionsClosed;
        private long sessionsFailed;
        private long sessionsActive;
        private long sessionsIdle;
        private Instant lastSuccess;
        private FailureRecord lastFailure;
        private final Map<String, Long> extra = new TreeMap<>();

        private Builder() {
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
            opensAttempted = counter("opensAttempted", value);
            return this;
        }

        public Builder opensSucceeded(long value) {
            opensSucceeded = counter("opensSucceeded", value);
            return this;
        }

        public Builder opensFailed(long value) {
            opensFailed = counter("opensFailed", value);
            return this;
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
            streamsActive = counter("streamsActive", value);
            return this;
        }

        public Builder datagramFlowsActive(long value) {
            datagramFlowsActive = counter("datagramFlowsActive", value);
            return this;
        }

        public Builder pendingOpens(long value) {
            pendingOpens = counter("pendingOpens", value);
            return this;
        }

        public Builder bytesOut(long value) {
            bytesOut = counter("bytesOut", value);
            return this;
        }

        public Builder bytesIn(long value) {
            bytesIn = counter("bytesIn", value);
            return this;
        }

        /** @param value bytes, or {@link #UNKNOWN} */
        public Builder carrierBytesOut(long value) {
            carrierBytesOut = carrierCounter("carrierBytesOut", value);
            return this;
        }

        /** @param value bytes, or {@link #UNKNOWN} */
        public Builder carrierBytesIn(long value) {
            carrierBytesIn = carrierCounter("carrierBytesIn", value);
            return this;
        }

        public Builder sessionsOpened(long value) {
            sessionsOpened = counter("sessionsOpened", value);
            return this;
        }

        public Builder sessionsClosed(long value) {
            sessionsClosed = counter("sessionsClosed", value);
            return this;
        }

        public Builder sessionsFailed(long value) {
            sessionsFailed = counter("sessionsFailed", value);
            return this;
        }

        public Builder sessionsActive(long value) {
            sessionsActive = counter("sessionsActive", value);
            return this;
        }

        public Builder sessionsIdle(long value) {
            sessionsIdle = counter("sessionsIdle", value);
            return this;
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
