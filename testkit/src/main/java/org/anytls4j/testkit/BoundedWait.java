package org.anytls4j.testkit;

import io.netty.util.concurrent.Future;

import java.time.Duration;

/**
 * Waits for a Netty {@link Future} with a bound, so that a test that never gets its event fails with a message
 * naming what it waited for, instead of hanging the build like {@code syncUninterruptibly()} would.
 */
public final class BoundedWait {
    /** Generous: binds, connects and closes on loopback take milliseconds, but the build machine may be busy. */
    public static final Duration DEFAULT_BOUND = Duration.ofSeconds(30);

    private BoundedWait() {
    }

    /**
     * Like {@code future.syncUninterruptibly()}, bounded by {@link #DEFAULT_BOUND}: waits until the future is done
     * and throws its failure, unchecked exceptions as they are.
     *
     * @return {@code future}, for chaining ({@code sync(bootstrap.bind(...)).channel()})
     * @throws AssertionError if it is not done in time
     */
    public static <F extends Future<?>> F sync(F future) {
        return sync(future, DEFAULT_BOUND);
    }

    /** {@link #sync(Future)} with another bound. */
    public static <F extends Future<?>> F sync(F future, Duration bound) {
        done(future, bound);
        Throwable cause = future.cause();
        if (cause instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        if (cause != null) {
            throw new IllegalStateException(cause);
        }
        return future;
    }

    /**
     * Like {@code future.awaitUninterruptibly()}, bounded by {@link #DEFAULT_BOUND}: waits until the future is done,
     * successfully or not, and leaves its outcome to the caller.
     *
     * @throws AssertionError if it is not done in time
     */
    public static <F extends Future<?>> F done(F future) {
        return done(future, DEFAULT_BOUND);
    }

    /** {@link #done(Future)} with another bound. */
    public static <F extends Future<?>> F done(F future, Duration bound) {
        if (!future.awaitUninterruptibly(bound.toMillis())) {
            throw new AssertionError("not done within " + bound.toMillis() + " ms: " + future);
        }
        return future;
    }
}
