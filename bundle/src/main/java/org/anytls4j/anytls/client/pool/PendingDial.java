package org.anytls4j.anytls.client.pool;

import java.util.concurrent.CompletableFuture;

/**
 * A dial in flight: for a waiting acquire, or in the background ({@code waiting == null}): a warm dial, or a
 * placement dial, which puts an idle session where an acquirer wanted one but got a session from elsewhere.
 */
final class PendingDial<S extends PooledSession> {
    final long sequence;
    final CompletableFuture<Lease<S>> waiting;
    /** Where the acquirer wants the session, passed to the dialer; null for none. */
    final Object placement;
    private final boolean warm;
    /** Whether {@link #waiting} has been completed or failed by the pool (guarded by the pool's lock). */
    boolean settled;

    PendingDial(long sequence, CompletableFuture<Lease<S>> waiting, Object placement, boolean warm) {
        this.sequence = sequence;
        this.waiting = waiting;
        this.placement = placement;
        this.warm = warm;
    }

    /** Whether no acquire waits for this dial: its session goes to the idle set. */
    boolean isBackground() {
        return waiting == null;
    }

    /** Whether this is a dial of the warm minimum (counted by {@link WarmKeeper}). */
    boolean isWarm() {
        return warm;
    }
}
