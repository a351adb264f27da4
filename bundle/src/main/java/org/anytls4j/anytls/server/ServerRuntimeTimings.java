package org.anytls4j.anytls.server;

import java.time.Duration;
import java.util.Objects;

/**
 * How often a {@link AnyTlsServerRuntime} looks after itself: certificate file checks and listener bind retries.
 * Not part of the configuration: tests shorten them, deployments keep {@link #DEFAULTS}.
 *
 * @param certificateCheckInterval how often the PEM files are checked for changes; zero switches the check off
 * @param firstBindRetry           the wait before the first retry of a failed bind; doubled after each failure
 * @param maxBindRetry             the longest wait between two bind attempts
 */
public record ServerRuntimeTimings(Duration certificateCheckInterval, Duration firstBindRetry,
                                   Duration maxBindRetry) {

    /** Files checked every 5 s; binds retried after 0.5 s, 1 s, 2 s ... up to every 30 s. */
    public static final ServerRuntimeTimings DEFAULTS =
            new ServerRuntimeTimings(Duration.ofSeconds(5), Duration.ofMillis(500), Duration.ofSeconds(30));

    public ServerRuntimeTimings {
        Objects.requireNonNull(certificateCheckInterval, "certificateCheckInterval");
        Objects.requireNonNull(firstBindRetry, "firstBindRetry");
        Objects.requireNonNull(maxBindRetry, "maxBindRetry");
        if (certificateCheckInterval.isNegative()) {
            throw new IllegalArgumentException("certificateCheckInterval must not be negative, was "
                    + certificateCheckInterval);
        }
        if (firstBindRetry.toMillis() < 1) {
            throw new IllegalArgumentException("firstBindRetry must be at least 1 ms, was " + firstBindRetry);
        }
        if (maxBindRetry.compareTo(firstBindRetry) < 0) {
            throw new IllegalArgumentException("maxBindRetry (" + maxBindRetry + ") must not be shorter than "
                    + "firstBindRetry (" + firstBindRetry + ")");
        }
    }

    /** The wait after {@code previous}: doubled, capped at {@link #maxBindRetry()}. */
    Duration nextBindRetry(Duration previous) {
        Duration doubled = previous.multipliedBy(2);
        return doubled.compareTo(maxBindRetry) > 0 ? maxBindRetry : doubled;
    }
}
