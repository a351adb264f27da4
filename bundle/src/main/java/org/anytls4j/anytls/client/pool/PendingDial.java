package org.anytls4j.anytls.client.pool;

import java.util.concurrent.CompletableFuture;

/** A dial in flight: for a waiting acquire, or a warm dial ({@code waiting == null}). */
final class PendingDial<S extends PooledSession> {
    final long sequence;
    final CompletableFuture<Lease<S>> waiting;
    /** Where the acquirer wants the session, passed to the dialer; null for none. */
    final Object placement;
    /** Whether {@link #waiting} has been completed or failed by the pool (guarded by the pool's lock). */
    boolean settled;

    PendingDial(long sequence, CompletableFuture<Lease<S>> waiting, Object placement) {
        this.sequence = sequence;
        this.waiting = waiting;
        this.placement = placement;
    }

    boolean isWarm() {
        return waiting == null;
    }
}
