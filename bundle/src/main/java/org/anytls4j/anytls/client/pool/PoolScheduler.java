package org.anytls4j.anytls.client.pool;

import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** Runs the pool's cleanup later; the pool has no thread of its own. */
@FunctionalInterface
public interface PoolScheduler {

    /** Runs {@code task} once after {@code delayNanos}; must not run it on the calling thread. */
    Cancellable schedule(Runnable task, long delayNanos);

    /**
     * A scheduler backed by an executor; a Netty {@code EventLoop} is one, which keeps the cleanup on the
     * transport's own thread.
     */
    static PoolScheduler of(ScheduledExecutorService executor) {
        Objects.requireNonNull(executor, "executor");
        return (task, delayNanos) -> {
            ScheduledFuture<?> future = executor.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
            return () -> future.cancel(false);
        };
    }
}
