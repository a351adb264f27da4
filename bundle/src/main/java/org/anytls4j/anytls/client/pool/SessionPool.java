package org.anytls4j.anytls.client.pool;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;

/**
 * The client session pool: the reference algorithm of spec §11.1 plus {@code disableReuse}, a session cap,
 * warming, a maximum session age (see {@link PoolOptions}) and the retirement of idle sessions that went quiet
 * together with one found dead.
 *
 * <p>Each session carries one stream at a time, as in the reference: {@link #acquire()} leases the idle
 * session with the highest sequence number, or dials a new one; {@link Lease#release(boolean)} puts it back
 * with its idle time set to now (the only place a session becomes idle). A cleanup closes sessions idle longer than
 * the idle timeout, oldest first, always keeping the newest {@code minIdleSessions}.
 *
 * <p>The jobs are split: {@link IdleSessions} holds the idle set and decides fitness and expiry as a function of
 * the time it is given, {@link PoolBooks} the live sessions and {@link PoolCounters}, {@link PoolDials} the dials
 * and, through {@link WarmKeeper}, the warm minimum, {@link CleanupTimer} the one timer; this class owns the lock
 * and the decisions that tie them together.
 *
 * <p>Time and scheduling are injected. {@link #cleanup(long)} is a function of the time it is given and returns
 * when it wants to run next; the pool's timer calls it through the {@link PoolScheduler} only while something is
 * idle or warming is on (as in okhttp's pool), so an unused pool keeps no timer.
 *
 * <p>Thread-safe: every method may be called from any thread. State is guarded by one lock; sessions are
 * closed, dials started and futures completed only after the lock is released (see {@link PoolActions}).
 */
public final class SessionPool<S extends PooledSession> implements AutoCloseable {
    private static final Predicate<Object> ANY = session -> true;

    private final PoolClock clock;
    private final PoolLock<S> lock = new PoolLock<>(this);

    // Everything below is guarded by lock.
    private PoolOptions options;
    private final PoolBooks<S> books = new PoolBooks<>();
    private final IdleSessions<S> idle = books.idle;
    private final PoolCounters counters = books.counters;
    private final PoolDials<S> dials;
    private final CleanupTimer timer;
    private boolean shutDown;

    public SessionPool(PoolOptions options, SessionDialer<S> dialer, PoolClock clock, PoolScheduler scheduler) {
        this.options = Objects.requireNonNull(options, "options");
        this.dials = new PoolDials<>(dialer);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.timer = new CleanupTimer(Objects.requireNonNull(scheduler, "scheduler"));
    }

    /**
     * Starts warming, if enabled: dials the idle shortfall and arms the cleanup timer. Without warming the pool
     * needs no start. Idempotent; does nothing once closed.
     */
    public void start() {
        lock.locked(actions -> {
            if (shutDown) {
                return;
            }
            topUpWarmLocked(false, actions);
            armTimerLocked();
        });
    }

    /**
     * Leases a session for one stream: the newest usable idle session, else a newly dialed one. Idle sessions
     * found unusable ({@link CloseCause#ERROR}) or older than {@code maxSessionAge} ({@link CloseCause#MAX_AGE})
     * are closed on the way.
     *
     * <p>Fails with {@link PoolException} of kind {@code EXHAUSTED} when {@code maxSessions} are live or
     * dialing (rather than queueing), {@code SHUT_DOWN} when the pool is or gets closed, and
     * {@code DIAL_FAILED} when the dial fails. If the caller cancels the returned future after the session
     * was dialed, the session goes back to the idle set.
     */
    public CompletionStage<Lease<S>> acquire() {
        return acquire(true, ANY, null);
    }

    /**
     * Like {@link #acquire()}, for a caller that wants its session placed: of the idle sessions the newest that
     * {@code preferred} accepts is leased, else the newest idle one (a session in hand beats a new handshake), and
     * a session dialed for this acquire is dialed with {@code placement} ({@link SessionDialer#dial(long, Object)}).
     * The client transport places sessions on the event loop of the host's channel (loop affinity).
     */
    public CompletionStage<Lease<S>> acquire(Predicate<? super S> preferred, Object placement) {
        return acquire(true, Objects.requireNonNull(preferred, "preferred"), placement);
    }

    /**
     * Like {@link #acquire()}, but always dials a new session, leaving the idle ones alone: for retrying an open
     * whose reused session turned out dead, where another idle session could be just as dead.
     */
    public CompletionStage<Lease<S>> acquireFresh() {
        return acquire(false, ANY, null);
    }

    private CompletionStage<Lease<S>> acquire(boolean mayReuse, Predicate<? super S> preferred, Object placement) {
        CompletableFuture<Lease<S>> result = new CompletableFuture<>();
        lock.locked(actions -> {
            acquireLocked(result, mayReuse ? preferred : null, placement, actions);
            topUpWarmLocked(false, actions);
        });
        return result;
    }

    /** @param preferred which idle sessions to lease first; null for none at all (always dial) */
    private void acquireLocked(CompletableFuture<Lease<S>> result, Predicate<? super S> preferred, Object placement,
                               PoolActions<S> actions) {
        if (shutDown) {
            counters.acquireFailed();
            actions.fail(result, new PoolException(PoolException.Kind.SHUT_DOWN, "session pool is closed"));
            return;
        }
        long now = clock.nanoTime();
        PoolEntry<S> reusable = preferred != null && !options.disableReuse() ? takeIdleLocked(now, preferred, actions)
                : null;
        if (reusable != null) {
            PoolBooks.lease(reusable);
            counters.granted(true);
            actions.grant(result, new Lease<>(this, reusable.session, reusable.sequence, true, now));
            if (placement != null && !preferred.test(reusable.session)) {
                dialForPlacementLocked(placement, actions);
            }
            return;
        }
        if (atMaxSessionsLocked()) {
            counters.acquireFailed();
            actions.fail(result, new PoolException(PoolException.Kind.EXHAUSTED,
                    "session pool exhausted: maxSessions=" + options.maxSessions() + " reached ("
                            + books.liveCount() + " live, " + dials.inFlight() + " dialing, none idle)"));
            return;
        }
        actions.dial(dials.forAcquire(result, placement));
    }

    /**
     * An acquirer that wanted its session at {@code placement} got one from elsewhere: a session is dialled there
     * in the background, within {@code maxSessions}, so that the next acquire from there finds one.
     */
    private void dialForPlacementLocked(Object placement, PoolActions<S> actions) {
        PendingDial<S> dial = atMaxSessionsLocked() ? null : dials.forPlacement(placement);
        if (dial != null) {
            actions.dial(dial);
        }
    }

    private boolean atMaxSessionsLocked() { // maxSessions 0 = no limit
        int max = options.maxSessions();
        return max > 0 && books.liveCount() + dials.inFlight() >= max;
    }

    private PoolEntry<S> takeIdleLocked(long now, Predicate<? super S> preferred, PoolActions<S> actions) {
        List<IdleSessions.Unfit<S>> unfit = new ArrayList<>();
        PoolEntry<S> entry = idle.takeNewestFit(now, options, preferred, unfit);
        books.removeAll(unfit, actions);
        return entry;
    }

    /** Called by {@link Lease#release(boolean)}, once per lease. */
    void release(Lease<S> lease, boolean healthy) {
        lock.locked(actions -> {
            PoolEntry<S> entry = books.entryOf(lease);
            if (entry == null || !entry.leased) {
                return; // the session died or the pool closed while the stream ran: nothing left to return
            }
            entry.leased = false;
            if (!healthy) {
                counters.releasedUnhealthy();
            }
            long now = clock.nanoTime();
            CloseCause cause = !healthy ? CloseCause.ERROR
                    : options.disableReuse() ? CloseCause.REUSE_DISABLED
                    : IdleSessions.unfitness(entry, now, options);
            if (cause != null) {
                books.remove(entry, cause, true, actions);
            } else {
                idle.add(entry, now);
                armTimerLocked();
            }
            topUpWarmLocked(false, actions);
        });
    }

    /** Takes back a lease whose acquirer had already given up, so it counts as never granted. */
    void abandon(Lease<S> lease) {
        lock.locked(actions -> {
            PoolEntry<S> entry = books.entryOf(lease);
            if (entry != null && entry.leased) {
                entry.leasesServed--;
                counters.ungranted(lease.reused());
            }
        });
        lease.release(true);
    }

    /**
     * Tells the pool that the reused session of {@code dead} proved dead (no answer to an open within the SYNACK
     * timeout, or it closed before answering). The session leaves the pool and is closed ({@link CloseCause#ERROR})
     * if it is still there, and so is every session that was already idle when {@code dead} was granted
     * ({@link CloseCause#SUSPECT}): they sat through the same quiet spell, and trying them one by one would cost
     * each of the next opens a SYNACK timeout. Sessions that carried a stream since then stay.
     *
     * @return how many idle sessions were retired as suspect
     */
    public int retireIdleAlongside(Lease<S> dead) {
        return lock.lockedValue(actions -> {
            PoolEntry<S> entry = books.entryOf(dead);
            if (entry != null) {
                books.remove(entry, CloseCause.ERROR, true, actions);
            }
            List<IdleSessions.Unfit<S>> suspects = idle.idleSinceBefore(dead.grantedAtNanos());
            books.removeAll(suspects, actions);
            topUpWarmLocked(false, actions);
            return suspects.size();
        });
    }

    /**
     * Tells the pool that {@code session} closed on its own (connection lost, protocol error, closed by its
     * owner). It leaves the pool at once and is never handed out again; the pool does not close it again.
     * Unknown or already removed sessions are ignored, so the session owner may call this from its close path
     * even when the pool itself closed the session.
     */
    public void sessionClosed(S session, CloseCause cause) {
        Objects.requireNonNull(cause, "cause");
        lock.locked(actions -> {
            PoolEntry<S> entry = books.entryOf(session);
            if (entry == null) {
                return;
            }
            books.remove(entry, cause, false, actions);
            topUpWarmLocked(false, actions);
        });
    }

    /**
     * Runs the idle cleanup as of {@code nowNanos} (pool-clock time): closes what
     * {@link IdleSessions#expire(long, PoolOptions)} finds unfit, oldest first, then, with warming on, dials the
     * idle shortfall, even after a failed warm dial.
     *
     * @return nanoseconds until the cleanup should run again: {@code idleSessionCheckInterval} while something
     *         is idle or warming is on, otherwise {@code -1} (nothing to watch until a session becomes idle)
     */
    public long cleanup(long nowNanos) {
        return lock.lockedValue(actions -> cleanupLocked(nowNanos, actions));
    }

    private long cleanupLocked(long now, PoolActions<S> actions) {
        if (shutDown) {
            return -1;
        }
        books.removeAll(idle.expire(now, options), actions);
        topUpWarmLocked(true, actions);
        return timerWantedLocked() ? options.idleSessionCheckInterval().toNanos() : -1;
    }

    /**
     * Applies new pool options to the live pool. Leased sessions are left alone; new limits apply to what
     * happens next (the next cleanup, acquire or release). If reuse gets disabled, idle sessions are closed
     * ({@link CloseCause#REUSE_DISABLED}); if the check interval changes, the timer is re-armed one new
     * interval from now.
     */
    public void updateOptions(PoolOptions newOptions) {
        Objects.requireNonNull(newOptions, "newOptions");
        lock.locked(actions -> {
            PoolOptions old = options;
            options = newOptions;
            if (shutDown) {
                return;
            }
            if (newOptions.disableReuse()) {
                for (PoolEntry<S> entry : idle.all()) {
                    books.remove(entry, CloseCause.REUSE_DISABLED, true, actions);
                }
            }
            if (!old.idleSessionCheckInterval().equals(newOptions.idleSessionCheckInterval())) {
                timer.cancel();
            }
            if (newOptions.warmIdleSessions() && !old.warmIdleSessions()) {
                dials.warmingSwitchedOn();
            }
            topUpWarmLocked(false, actions);
            armTimerLocked();
        });
    }

    /** The options in force. */
    public PoolOptions options() {
        return lock.read(() -> options);
    }

    /**
     * Closes the pool: every idle and leased session is closed with {@link CloseCause#SHUTDOWN}, the timer is
     * cancelled, acquires waiting for a dial fail with {@code SHUT_DOWN}, and sessions whose dial completes
     * later are closed as they arrive. Idempotent.
     */
    @Override
    public void close() {
        lock.locked(actions -> {
            if (shutDown) {
                return;
            }
            shutDown = true;
            timer.cancel();
            for (PoolEntry<S> entry : books.oldestFirst()) {
                books.remove(entry, CloseCause.SHUTDOWN, true, actions);
            }
            dials.failWaitingOnShutdown(counters, actions);
        });
    }

    /** A consistent snapshot of gauges and counters; cheap. */
    public PoolStats stats() {
        return lock.read(() -> books.stats(dials.inFlight()));
    }

    /** The live sessions, oldest (lowest sequence) first. */
    public List<PooledSessionInfo<S>> snapshot() {
        return lock.read(books::snapshot);
    }

    /** Starts a dial; called without the lock. */
    void startDial(PendingDial<S> dial) {
        CompletionStage<S> stage;
        try {
            stage = dials.start(dial);
        } catch (RuntimeException e) {
            onDialed(dial, null, e);
            return;
        }
        stage.whenComplete((session, error) -> onDialed(dial, session, error));
    }

    private void onDialed(PendingDial<S> dial, S session, Throwable error) {
        lock.locked(actions -> {
            dials.ended(dial);
            if (error != null || session == null) {
                dials.failed(dial, error == null ? new NullPointerException("dial produced no session") : error,
                        shutDown, counters, actions);
                return;
            }
            counters.created();
            long now = clock.nanoTime();
            if (shutDown) {
                books.closeUnpooled(session, CloseCause.SHUTDOWN, dial.sequence, actions);
            } else if (!session.isUsable()) {
                books.closeUnpooled(session, CloseCause.ERROR, dial.sequence, actions);
                dials.failed(dial, new IllegalStateException("session #" + dial.sequence
                        + " was no longer usable when its dial completed"), false, counters, actions);
            } else if (dial.isBackground()) {
                if (options.disableReuse()) { // reuse got disabled while the background dial ran
                    books.closeUnpooled(session, CloseCause.REUSE_DISABLED, dial.sequence, actions);
                } else {
                    books.addIdle(session, dial.sequence, now);
                    armTimerLocked();
                }
            } else {
                books.addLeased(session, dial.sequence, now);
                dial.settled = true;
                counters.granted(false);
                actions.grant(dial.waiting, new Lease<>(this, session, dial.sequence, false, now));
            }
        });
    }

    /** With warming on, dials the idle shortfall; after a failed warm dial only the cleanup retries. */
    private void topUpWarmLocked(boolean fromCleanup, PoolActions<S> actions) {
        if (shutDown) {
            return;
        }
        dials.warmShortfall(options, fromCleanup, idle.size(), books.liveCount()).forEach(actions::dial);
    }

    private boolean timerWantedLocked() {
        return !shutDown && (!idle.isEmpty() || (options.warmIdleSessions() && options.minIdleSessions() > 0));
    }

    /** Arms the cleanup timer one check interval from now if it is wanted and not armed. */
    private void armTimerLocked() {
        if (!timer.isArmed() && timerWantedLocked()) {
            timer.arm(options.idleSessionCheckInterval().toNanos(), this::onTimer);
        }
    }

    private void onTimer(Object token) {
        lock.locked(actions -> {
            if (!timer.takeFired(token)) {
                return; // cancelled or replaced after it was due
            }
            if (cleanupLocked(clock.nanoTime(), actions) >= 0) {
                armTimerLocked();
            }
        });
    }
}
