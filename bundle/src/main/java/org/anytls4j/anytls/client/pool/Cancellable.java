package org.anytls4j.anytls.client.pool;

/** A scheduled task that can be called off. */
@FunctionalInterface
public interface Cancellable {

    /** Prevents the task from running if it has not started; idempotent. */
    void cancel();
}
