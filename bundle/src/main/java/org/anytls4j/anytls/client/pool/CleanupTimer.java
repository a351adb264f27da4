package org.anytls4j.anytls.client.pool;

import java.util.function.Consumer;

/**
 * The pool's one cleanup timer. Each arming gets a token; a cancelled task that runs anyway presents a stale token
 * and is ignored. Guarded by the pool's lock.
 */
final class CleanupTimer {
    private static final System.Logger LOG = System.getLogger(SessionPool.class.getName());

    private final PoolScheduler scheduler;
    private Object token;
    private Cancellable handle;

    CleanupTimer(PoolScheduler scheduler) {
        this.scheduler = scheduler;
    }

    boolean isArmed() {
        return token != null;
    }

    /** Arms the timer {@code delayNanos} from now unless it is armed; {@code onFire} gets the arming's token. */
    void arm(long delayNanos, Consumer<Object> onFire) {
        if (token != null) {
            return;
        }
        Object armed = new Object();
        token = armed;
        // Scheduling under the pool's lock is fine: it only enqueues (an EventLoop or executor never runs the task
        // inline for a positive delay), and it keeps the token and the handle consistent.
        try {
            handle = scheduler.schedule(() -> onFire.accept(armed), delayNanos);
        } catch (RuntimeException e) { // e.g. the event loop is shutting down
            token = null;
            handle = null;
            LOG.log(System.Logger.Level.WARNING, "could not schedule the idle-session cleanup", e);
        }
    }

    void cancel() {
        Cancellable armed = handle;
        handle = null;
        token = null;
        if (armed != null) {
            armed.cancel();
        }
    }

    /** Whether a task presenting {@code fired} is the current one; if so the timer is disarmed. */
    boolean takeFired(Object fired) {
        if (fired != token) {
            return false;
        }
        token = null;
        handle = null;
        return true;
    }
}
