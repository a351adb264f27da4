package org.anytls4j.transport.api;

import java.time.Instant;
import java.util.Objects;

/** One failure as statistics remember it: when, why, in which phase, and what was said. Immutable. */
public final class FailureRecord {
    private final Instant time;
    private final TransportException.Reason reason;
    private final TransportException.Phase phase;
    private final String message;

    private FailureRecord(Instant time, TransportException.Reason reason, TransportException.Phase phase,
            String message) {
        this.time = Objects.requireNonNull(time, "time");
        this.reason = Objects.requireNonNull(reason, "reason");
        this.phase = Objects.requireNonNull(phase, "phase");
        this.message = Objects.requireNonNull(message, "message");
    }

    public static FailureRecord of(Instant time, TransportException.Reason reason, TransportException.Phase phase,
            String message) {
        return new FailureRecord(time, reason, phase, message);
    }

    /** The record of {@code failure}, which happened at {@code time}. */
    public static FailureRecord of(Instant time, TransportException failure) {
        return new FailureRecord(time, failure.reason(), failure.phase(), failure.getMessage());
    }

    public Instant time() {
        return time;
    }

    public TransportException.Reason reason() {
        return reason;
    }

    public TransportException.Phase phase() {
        return phase;
    }

    public String message() {
        return message;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof FailureRecord)) {
            return false;
        }
        FailureRecord other = (FailureRecord) o;
        return time.equals(other.time) && reason == other.reason && phase == other.phase
                && message.equals(other.message);
    }

    @Override
    public int hashCode() {
        return Objects.hash(time, reason, phase, message);
    }

    @Override
    public String toString() {
        return time + " " + reason + " in " + phase + ": " + message;
    }
}
