package org.anytls4j.anytls.client.pool;

import java.util.concurrent.atomic.AtomicBoolean;

/** One stream's hold on a pooled session; release it exactly when the stream ends or stops writing. */
public final class Lease<S extends PooledSession> {

    private final SessionPool<S> pool;
    private final S session;
    private final long sequence;
    private final boolean reused;
    private final long grantedAtNanos;
    private final AtomicBoolean released = new AtomicBoolean();

    Lease(SessionPool<S> pool, S session, long sequence, boolean reused, long grantedAtNanos) {
        this.pool = pool;
        this.session = session;
        this.sequence = sequence;
        this.reused = reused;
        this.grantedAtNanos = grantedAtNanos;
    }

    SessionPool<S> pool() {
        return pool;
    }

    public S session() {
        return session;
    }

    /** The session's sequence number. */
    public long sequence() {
        return sequence;
    }

    /**
     * Whether the session had carried an earlier stream. The reference arms its SYNACK watchdog only for
     * reused sessions, since a fresh one has just proven it works.
     */
    public boolean reused() {
        return reused;
    }

    /** Pool-clock time the lease was granted: when the session left the idle set, or when its dial completed. */
    long grantedAtNanos() {
        return grantedAtNanos;
    }

    /**
     * Gives the session back. A healthy session returns to the idle set unless reuse is disabled, the pool is
     * closed or the session is too old; otherwise it is closed. Only the first call counts.
     *
     * @param healthy {@code false} if the stream failed in a way that condemns the session
     */
    public void release(boolean healthy) {
        if (released.compareAndSet(false, true)) {
            pool.release(this, healthy);
        }
    }

    @Override
    public String toString() {
        return "Lease[session #" + sequence + (reused ? ", reused" : ", fresh") + (released.get() ? ", released]" : "]");
    }
}
