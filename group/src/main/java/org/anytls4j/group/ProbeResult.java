package org.anytls4j.group;

import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;

/** The outcome of one active probe of a member. Immutable. */
public final class ProbeResult {
    private final Instant time;
    private final boolean success;
    private final long latencyMillis;
    private final String detail;

    private ProbeResult(Instant time, boolean success, long latencyMillis, String detail) {
        this.time = Objects.requireNonNull(time, "time");
        this.success = success;
        this.latencyMillis = latencyMillis;
        this.detail = Objects.requireNonNull(detail, "detail");
    }

    /** A probe that reached the probe target in {@code latencyMillis}. */
    public static ProbeResult success(Instant time, long latencyMillis) {
        if (latencyMillis < 0) {
            throw new IllegalArgumentException("latencyMillis must not be negative, got " + latencyMillis);
        }
        return new ProbeResult(time, true, latencyMillis, "ok");
    }

    /** A probe that failed, and why. */
    public static ProbeResult failure(Instant time, String detail) {
        return new ProbeResult(time, false, -1, detail);
    }

    /** When the probe finished. */
    public Instant time() {
        return time;
    }

    public boolean success() {
        return success;
    }

    /** The measured latency of a successful probe. */
    public OptionalLong latencyMillis() {
        return success ? OptionalLong.of(latencyMillis) : OptionalLong.empty();
    }

    /** {@code ok}, or why the probe failed. */
    public String detail() {
        return detail;
    }

    @Override
    public String toString() {
        return success ? latencyMillis + " ms at " + time : "failed at " + time + ": " + detail;
    }
}
