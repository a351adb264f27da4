package org.anytls4j.anytls.client.pool;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The pool's one lock and its rule: state is read and changed under the lock, and the side effects a change decided
 * (closes, completions, dials: {@link PoolActions}) run after the lock is released, so that no session code, no
 * future listener and no dialer ever runs while the pool is locked.
 */
final class PoolLock<S extends PooledSession> {
    private final ReentrantLock lock = new ReentrantLock();
    private final SessionPool<S> pool;

    PoolLock(SessionPool<S> pool) {
        this.pool = pool;
    }

    /** Reads pool state under the lock. */
    <T> T read(Supplier<T> state) {
        lock.lock();
        try {
            return state.get();
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code body} under the lock, then, without it, the side effects the body decided. */
    void locked(Consumer<PoolActions<S>> body) {
        lockedValue(actions -> {
            body.accept(actions);
            return null;
        });
    }

    /** Like {@link #locked(Consumer)}, returning what {@code body} returns. */
    <T> T lockedValue(Function<PoolActions<S>, T> body) {
        PoolActions<S> actions = new PoolActions<>();
        lock.lock();
        try {
            return body.apply(actions);
        } finally {
            lock.unlock();
            actions.run(pool);
        }
    }
}
