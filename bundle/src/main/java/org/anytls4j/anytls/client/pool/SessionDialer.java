package org.anytls4j.anytls.client.pool;

import java.util.concurrent.CompletionStage;

/** Opens a new session for the pool. */
@FunctionalInterface
public interface SessionDialer<S extends PooledSession> {

    /**
     * Starts dialing a session. Must not block; the stage may complete on any thread.
     *
     * @param sequence the session's sequence number, unique and increasing per pool (the first is 1)
     */
    CompletionStage<S> dial(long sequence);

    /**
     * Starts dialing a session placed as {@code placement} asks (for the client transport: the event loop its
     * carrier should run on); {@code null} for no preference. By default the placement is ignored.
     */
    default CompletionStage<S> dial(long sequence, Object placement) {
        return dial(sequence);
    }
}
