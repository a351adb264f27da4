package org.anytls4j.anytls.client.pool;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Side effects the pool decides under its lock and carries out after releasing it, in order: closes, then futures,
 * then dials. Each of them can run foreign code that may call back into the pool.
 */
final class PoolActions<S extends PooledSession> {
    private static final System.Logger LOG = System.getLogger(SessionPool.class.getName());

    private final List<Runnable> closes = new ArrayList<>();
    private final List<Runnable> completions = new ArrayList<>();
    private final List<PendingDial<S>> dials = new ArrayList<>();

    void close(S session, CloseCause cause, long sequence) {
        closes.add(() -> {
            try {
                session.close(cause);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "closing session #" + sequence + " (" + cause + ") failed", e);
            }
        });
    }

    void fail(CompletableFuture<Lease<S>> future, PoolException error) {
        completions.add(() -> future.completeExceptionally(error));
    }

    void grant(CompletableFuture<Lease<S>> future, Lease<S> lease) {
        SessionPool<S> pool = lease.pool();
        completions.add(() -> {
            if (!future.complete(lease)) {
                pool.abandon(lease); // the caller gave up (cancelled, timed out): keep the session for others
            }
        });
    }

    void dial(PendingDial<S> dial) {
        dials.add(dial);
    }

    void run(SessionPool<S> pool) {
        closes.forEach(Runnable::run);
        completions.forEach(Runnable::run);
        dials.forEach(pool::startDial);
    }
}
