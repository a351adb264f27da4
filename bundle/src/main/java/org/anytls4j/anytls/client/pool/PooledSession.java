package org.anytls4j.anytls.client.pool;

/**
 * What the pool needs from a session. A session that dies on its own tells the pool through
 * {@link SessionPool#sessionClosed(PooledSession, CloseCause)}; the pool imposes no listener API.
 */
public interface PooledSession {

    /**
     * Whether the session can carry a new stream: open, not failed and not draining. Called with the pool's
     * lock held, so it must be cheap and must not call back into the pool.
     */
    boolean isUsable();

    /** Closes the session. Idempotent and non-blocking; may be called from any thread. */
    void close(CloseCause cause);
}
