package org.anytls4j.anytls.client.pool;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * The client session pool: the reference algorithm of spec §11.1 plus {@code disableReuse}, a session cap,
 * warming and a maximum session age (see {@link PoolOptions}).
 *
 * <p>Each session carries one stream at a time, as in the reference: {@link #acquire()} leases the idle
 * session with the highest sequence number, or dials a new one; {@link Lease#release(boolean)} puts it back
 * with its idle time set to now. A cleanup closes sessions idle longer than the idle timeout, oldest first,
 * always keeping the newest {@code minIdleSessions}.
 *
 * <p>Time and scheduling are injected. {@link #cleanup(long)} is a function of the time it is given and
 * returns when it wants to run next; the pool's own timer calls it through the {@link PoolScheduler}, and
 * only while there is something idle or warming is on (okhttp's pool works the same way), so an unused pool
 * keeps no timer.
 *
 * <p>Thread-safe: every method may be called from any thread. State is guarded by one lock; sessions are
 * closed, dials started and futures completed only after the lock is released, because each of those can
 * run foreign code that may call back into the pool.
 */
public final class SessionPool<S extends PooledSession> implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(SessionPool.class.getName());
    private static final Predicate<Object> ANY = session -> true;

    private final SessionDialer<S> dialer;
    private final PoolClock clock;
    private final PoolScheduler scheduler;
    private final ReentrantLock lock = new ReentrantLock();

    // Everything below is guarded by lock.
    private PoolOptions options;
    private long lastSequence;
    /** Idle sessions by sequence: the last entry is the newest. */
    private final NavigableMap<Long, Entry<S>> idle = new TreeMap<>();
    /** Idle and leased sessions; identity, because a session's equals is not ours to trust. */
    private final Map<S, Entry<S>> live = new IdentityHashMap<>();
    private final Set<Dial<S>> dials = new HashSet<>();
    private int warmDials;
    /** Set when a warm dial fails, so that warming retries on the next cleanup tick rather than spinning. */
    private boolean warmingSuspended;
    private boolean shutDown;
    /** Identifies the timer task that is current; a cancelled task that runs anyway sees a different token. */
    private Object timerToken;
    private Cancellable timer;

    private long sessionsCreated;
    private final EnumMap<CloseCause, Long> sessionsClosed = new EnumMap<>(CloseCause.class);
    private long leasesGranted;
    private long acquiresFailed;
    private long leasesReused;
    private long leasesReleasedUnhealthy;

    public SessionPool(PoolOptions options, SessionDialer<S> dialer, PoolClock clock, PoolScheduler scheduler) {
        this.options = Objects.requireNonNull(options, "options");
        this.dialer = Objects.requireNonNull(dialer, "dialer");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    }

    /**
     * Starts warming, if enabled: dials the idle shortfall and arms the cleanup timer. Without warming the pool
     * needs no start. Idempotent; does nothing once closed.
     */
    public void start() {
        Actions<S> actions = new Actions<>();
        lock.lock();
        try {
            if (shutDown) {
                return;
            }
            topUpWarmLocked(false, actions);
            ensureTimerLocked();
        } finally {
            lock.unlock();
        }
        actions.run(this);
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
        return acquire(ANY, null);
    }

    /**
     * Like {@link #acquire()}, for a caller that wants its session placed: only idle sessions that {@code fits}
     * accepts are leased (the others stay idle for other callers), and a session dialed for this acquire is dialed
     * with {@code placement} ({@link SessionDialer#dial(long, Object)}). The client transport places sessions on
     * the event loop of the host's channel (loop affinity).
     */
    public CompletionStage<Lease<S>> acquire(Predicate<? super S> fits, Object placement) {
        Objects.requireNonNull(fits, "fits");
        CompletableFuture<Lease<S>> result = new CompletableFuture<>();
        Actions<S> actions = new Actions<>();
        lock.lock();
        try {
            acquireLocked(result, fits, placement, actions);
            topUpWarmLocked(false, actions);
        } finally {
            lock.unlock();
        }
        actions.run(this);
        return result;
    }

    private void acquireLocked(CompletableFuture<Lease<S>> result, Predicate<? super S> fits, Object placement,
                               Actions<S> actions) {
        if (shutDown) {
            acquiresFailed++;
            actions.fail(result, new PoolException(PoolException.Kind.SHUT_DOWN, "session pool is closed"));
            return;
        }
        long now = clock.nanoTime();
        Entry<S> reusable = takeIdleLocked(now, fits, actions);
        if (reusable != null) {
            reusable.leased = true;
            reusable.idleSince = -1;
            reusable.leasesServed++;
            leasesGranted++;
            leasesReused++;
            actions.grant(result, new Lease<>(this, reusable.session, reusable.sequence, true));
            return;
        }
        int max = options.maxSessions();
        if (max > 0 && live.size() + dials.size() >= max) {
            acquiresFailed++;
            actions.fail(result, new PoolException(PoolException.Kind.EXHAUSTED,
                    "session pool exhausted: maxSessions=" + max + " reached (" + live.size() + " live, "
                            + dials.size() + " dialing, none idle)"));
            return;
        }
        Dial<S> dial = new Dial<>(++lastSequence, result, placement);
        dials.add(dial);
        actions.dial(dial);
    }

    /**
     * Removes and returns the newest idle session fit for a stream that {@code fits} accepts, closing unfit ones
     * met on the way; the ones {@code fits} declines stay idle.
     */
    private Entry<S> takeIdleLocked(long now, Predicate<? super S> fits, Actions<S> actions) {
        if (options.disableReuse()) {
            return null;
        }
        for (Entry<S> entry : new ArrayList<>(idle.descendingMap().values())) {
            CloseCause unfit = !entry.session.isUsable() ? CloseCause.ERROR
                    : isTooOld(entry, now) ? CloseCause.MAX_AGE : null;
            if (unfit != null) {
                removeLocked(entry, unfit, true, actions);
            } else if (fits.test(entry.session)) {
                idle.remove(entry.sequence);
                return entry;
            }
        }
        return null;
    }

    /** Called by {@link Lease#release(boolean)}, once per lease. */
    void release(Lease<S> lease, boolean healthy) {
        Actions<S> actions = new Actions<>();
        lock.lock();
        try {
            Entry<S> entry = live.get(lease.session());
            if (entry == null || entry.sequence != lease.sequence() || !entry.leased) {
                return; // the session died or the pool closed while the stream ran: nothing left to return
            }
            entry.leased = false;
            if (!healthy) {
                leasesReleasedUnhealthy++;
            }
            long now = clock.nanoTime();
            CloseCause cause = !healthy ? CloseCause.ERROR
                    : options.disableReuse() ? CloseCause.REUSE_DISABLED
                    : !entry.session.isUsable() ? CloseCause.ERROR
                    : isTooOld(entry, now) ? CloseCause.MAX_AGE
                    : null;
            if (cause != null) {
                removeLocked(entry, cause, true, actions);
            } else {
                entry.idleSince = now;
                idle.put(entry.sequence, entry);
                ensureTimerLocked();
            }
            topUpWarmLocked(false, actions);
        } finally {
            lock.unlock();
            actions.run(this);
        }
    }

    /** Takes back a lease whose acquirer had already given up, so it counts as never granted. */
    private void abandon(Lease<S> lease) {
        lock.lock();
        try {
            Entry<S> entry = live.get(lease.session());
            if (entry != null && entry.sequence == lease.sequence() && entry.leased) {
                entry.leasesServed--;
                leasesGranted--;
                if (lease.reused()) {
                    leasesReused--;
                }
            }
        } finally {
            lock.unlock();
        }
        lease.release(true);
    }

    /**
     * Tells the pool that {@code session} closed on its own (connection lost, protocol error, closed by its
     * owner). It leaves the pool at once and is never handed out again; the pool does not close it again.
     * Unknown or already removed sessions are ignored, so the session owner may call this from its close path
     * even when the pool itself closed the session.
     */
    public void sessionClosed(S session, CloseCause cause) {
        Objects.requireNonNull(cause, "cause");
        Actions<S> actions = new Actions<>();
        lock.lock();
        try {
            Entry<S> entry = live.get(session);
            if (entry == null) {
                return;
            }
            removeLocked(entry, cause, false, actions);
            topUpWarmLocked(false, actions);
        } finally {
            lock.unlock();
            actions.run(this);
        }
    }

    /**
     * Runs the idle cleanup as of {@code nowNanos} (pool-clock time). Walking the idle sessions from newest to
     * oldest: an unusable one is closed ({@link CloseCause#ERROR}), one past {@code maxSessionAge} is closed
     * ({@link CloseCause#MAX_AGE}), one idle for at most {@code idleSessionTimeout} is kept, an expired one is
     * kept with its idle time reset to now while fewer than {@code minIdleSessions} have been kept (as the
     * reference does), and any other expired one is closed ({@link CloseCause#IDLE_TIMEOUT}). Sessions are
     * closed oldest first. With warming on, the idle shortfall is then dialed, even after a failed warm dial.
     *
     * @return nanoseconds until the cleanup should run again: {@code idleSessionCheckInterval} while something
     *         is idle or warming is on, otherwise {@code -1} (nothing to watch until a session becomes idle)
     */
    public long cleanup(long nowNanos) {
        Actions<S> actions = new Actions<>();
        long nextDelay;
        lock.lock();
        try {
            nextDelay = cleanupLocked(nowNanos, actions);
        } finally {
            lock.unlock();
        }
        actions.run(this);
        return nextDelay;
    }

    private long cleanupLocked(long now, Actions<S> actions) {
        if (shutDown) {
            return -1;
        }
        PoolOptions opts = options;
        long idleTimeout = opts.idleSessionTimeout().toNanos();
        int kept = 0;
        List<Entry<S>> doomed = new ArrayList<>();
        List<CloseCause> causes = new ArrayList<>();
        Iterator<Entry<S>> newestFirst = idle.descendingMap().values().iterator();
        while (newestFirst.hasNext()) {
            Entry<S> entry = newestFirst.next();
            CloseCause cause = null;
            if (opts.disableReuse()) {
                cause = CloseCause.REUSE_DISABLED;
            } else if (!entry.session.isUsable()) {
                cause = CloseCause.ERROR;
            } else if (isTooOld(entry, now)) {
                cause = CloseCause.MAX_AGE;
            } else if (now - entry.idleSince <= idleTimeout) {
                kept++;
            } else if (kept < opts.minIdleSessions()) {
                entry.idleSince = now;
                kept++;
            } else {
                cause = CloseCause.IDLE_TIMEOUT;
            }
            if (cause != null) {
                doomed.add(entry);
                causes.add(cause);
            }
        }
        for (int i = doomed.size() - 1; i >= 0; i--) { // oldest first
            removeLocked(doomed.get(i), causes.get(i), true, actions);
        }
        topUpWarmLocked(true, actions);
        return timerWantedLocked() ? opts.idleSessionCheckInterval().toNanos() : -1;
    }

    /**
     * Applies new pool options to the live pool. Leased sessions are left alone; new limits apply to what
     * happens next (the next cleanup, acquire or release). If reuse gets disabled, idle sessions are closed
     * ({@link CloseCause#REUSE_DISABLED}); if the check interval changes, the timer is re-armed one new
     * interval from now.
     */
    public void updateOptions(PoolOptions newOptions) {
        Objects.requireNonNull(newOptions, "newOptions");
        Actions<S> actions = new Actions<>();
        lock.lock();
        try {
            PoolOptions old = options;
            options = newOptions;
            if (shutDown) {
                return;
            }
            if (newOptions.disableReuse()) {
                for (Entry<S> entry : new ArrayList<>(idle.values())) {
                    removeLocked(entry, CloseCause.REUSE_DISABLED, true, actions);
                }
            }
            if (!old.idleSessionCheckInterval().equals(newOptions.idleSessionCheckInterval())) {
                cancelTimerLocked();
            }
            if (newOptions.warmIdleSessions() && !old.warmIdleSessions()) {
                warmingSuspended = false;
            }
            topUpWarmLocked(false, actions);
            ensureTimerLocked();
        } finally {
            lock.unlock();
        }
        actions.run(this);
    }

    /** The options in force. */
    public PoolOptions options() {
        lock.lock();
        try {
            return options;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Closes the pool: every idle and leased session is closed with {@link CloseCause#SHUTDOWN}, the timer is
     * cancelled, acquires waiting for a dial fail with {@code SHUT_DOWN}, and sessions whose dial completes
     * later are closed as they arrive. Idempotent.
     */
    @Override
    public void close() {
        Actions<S> actions = new Actions<>();
        lock.lock();
        try {
            if (shutDown) {
                return;
            }
            shutDown = true;
            cancelTimerLocked();
            List<Entry<S>> all = new ArrayList<>(live.values());
            all.sort(Comparator.comparingLong(entry -> entry.sequence));
            for (Entry<S> entry : all) {
                removeLocked(entry, CloseCause.SHUTDOWN, true, actions);
            }
            for (Dial<S> dial : dials) {
                if (dial.waiting != null && !dial.settled) {
                    dial.settled = true;
                    acquiresFailed++;
                    actions.fail(dial.waiting, new PoolException(PoolException.Kind.SHUT_DOWN,
                            "session pool closed while dialing session #" + dial.sequence));
                }
            }
        } finally {
            lock.unlock();
        }
        actions.run(this);
    }

    /** A consistent snapshot of gauges and counters; cheap. */
    public PoolStats stats() {
        lock.lock();
        try {
            return new PoolStats(idle.size(), live.size() - idle.size(), live.size(), dials.size(), sessionsCreated,
                    sessionsClosed, leasesGranted, acquiresFailed, leasesReused, leasesReleasedUnhealthy);
        } finally {
            lock.unlock();
        }
    }

    /** The live sessions, oldest (lowest sequence) first. */
    public List<PooledSessionInfo<S>> snapshot() {
        lock.lock();
        try {
            List<PooledSessionInfo<S>> infos = new ArrayList<>(live.size());
            for (Entry<S> entry : live.values()) {
                infos.add(new PooledSessionInfo<>(entry.session, entry.sequence, entry.createdAt, entry.idleSince,
                        entry.leased, entry.leasesServed));
            }
            infos.sort(Comparator.comparingLong(PooledSessionInfo::sequence));
            return List.copyOf(infos);
        } finally {
            lock.unlock();
        }
    }

    // ---- dialing -------------------------------------------------------------------------------------------

    /** Starts a dial; called without the lock. */
    private void startDial(Dial<S> dial) {
        CompletionStage<S> stage;
        try {
            stage = Objects.requireNonNull(dialer.dial(dial.sequence, dial.placement),
                    () -> "dialer returned null for session #" + dial.sequence);
        } catch (RuntimeException e) {
            onDialed(dial, null, e);
            return;
        }
        stage.whenComplete((session, error) -> onDialed(dial, session, error));
    }

    private void onDialed(Dial<S> dial, S session, Throwable error) {
        Actions<S> actions = new Actions<>();
        lock.lock();
        try {
            dials.remove(dial);
            if (dial.waiting == null) {
                warmDials--;
            }
            if (error != null || session == null) {
                dialFailedLocked(dial, error == null ? new NullPointerException("dial produced no session") : error,
                        actions);
                return;
            }
            sessionsCreated++;
            long now = clock.nanoTime();
            if (shutDown) {
                countClosedLocked(CloseCause.SHUTDOWN);
                actions.close(session, CloseCause.SHUTDOWN, dial.sequence);
            } else if (!session.isUsable()) {
                countClosedLocked(CloseCause.ERROR);
                actions.close(session, CloseCause.ERROR, dial.sequence);
                dialFailedLocked(dial, new IllegalStateException("session #" + dial.sequence
                        + " was no longer usable when its dial completed"), actions);
            } else if (dial.waiting == null) {
                if (options.disableReuse()) { // reuse got disabled while the warm dial ran
                    countClosedLocked(CloseCause.REUSE_DISABLED);
                    actions.close(session, CloseCause.REUSE_DISABLED, dial.sequence);
                } else {
                    Entry<S> entry = new Entry<>(session, dial.sequence, now);
                    entry.idleSince = now;
                    live.put(session, entry);
                    idle.put(entry.sequence, entry);
                    ensureTimerLocked();
                }
            } else {
                Entry<S> entry = new Entry<>(session, dial.sequence, now);
                entry.leased = true;
                entry.leasesServed = 1;
                live.put(session, entry);
                dial.settled = true;
                leasesGranted++;
                actions.grant(dial.waiting, new Lease<>(this, session, dial.sequence, false));
            }
        } finally {
            lock.unlock();
            actions.run(this);
        }
    }

    private void dialFailedLocked(Dial<S> dial, Throwable error, Actions<S> actions) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (dial.waiting == null) {
            if (!shutDown) {
                warmingSuspended = true;
                // The cause's text is enough at WARNING; repeated every tick while the server is down.
                LOG.log(System.Logger.Level.WARNING, "warm dial of session #" + dial.sequence + " failed ("
                        + cause + "); warming resumes at the next cleanup");
            }
        } else if (!dial.settled) {
            dial.settled = true;
            acquiresFailed++;
            actions.fail(dial.waiting, new PoolException(PoolException.Kind.DIAL_FAILED,
                    "dialing session #" + dial.sequence + " failed: " + cause, cause));
        }
    }

    /**
     * With warming on, dials enough sessions that idle plus warm dials in flight reach {@code minIdleSessions},
     * within {@code maxSessions}. After a failed warm dial only the cleanup ({@code fromCleanup}) retries.
     */
    private void topUpWarmLocked(boolean fromCleanup, Actions<S> actions) {
        PoolOptions opts = options;
        if (shutDown || !opts.warmIdleSessions() || opts.disableReuse()) {
            return;
        }
        if (fromCleanup) {
            warmingSuspended = false;
        } else if (warmingSuspended) {
            return;
        }
        int shortfall = opts.minIdleSessions() - idle.size() - warmDials;
        if (opts.maxSessions() > 0) {
            shortfall = Math.min(shortfall, opts.maxSessions() - live.size() - dials.size());
        }
        for (int i = 0; i < shortfall; i++) {
            Dial<S> dial = new Dial<>(++lastSequence, null, null);
            dials.add(dial);
            warmDials++;
            actions.dial(dial);
        }
    }

    // ---- bookkeeping ---------------------------------------------------------------------------------------

    private boolean isTooOld(Entry<S> entry, long now) {
        long maxAge = options.maxSessionAge().toNanos();
        return maxAge > 0 && now - entry.createdAt >= maxAge;
    }

    private void removeLocked(Entry<S> entry, CloseCause cause, boolean closeIt, Actions<S> actions) {
        live.remove(entry.session);
        idle.remove(entry.sequence, entry);
        countClosedLocked(cause);
        if (closeIt) {
            actions.close(entry.session, cause, entry.sequence);
        }
    }

    private void countClosedLocked(CloseCause cause) {
        sessionsClosed.merge(cause, 1L, Long::sum);
    }

    private boolean timerWantedLocked() {
        return !shutDown && (!idle.isEmpty() || (options.warmIdleSessions() && options.minIdleSessions() > 0));
    }

    /** Arms the cleanup timer one check interval from now if it is wanted and not armed. */
    private void ensureTimerLocked() {
        if (timerToken != null || !timerWantedLocked()) {
            return;
        }
        Object token = new Object();
        timerToken = token;
        // Scheduling under the lock is fine: it only enqueues (an EventLoop or executor never runs the task
        // inline for a positive delay), and it keeps the token and the handle consistent.
        try {
            timer = scheduler.schedule(() -> onTimer(token), options.idleSessionCheckInterval().toNanos());
        } catch (RuntimeException e) { // e.g. the event loop is shutting down
            timerToken = null;
            timer = null;
            LOG.log(System.Logger.Level.WARNING, "could not schedule the idle-session cleanup", e);
        }
    }

    private void cancelTimerLocked() {
        Cancellable armed = timer;
        timer = null;
        timerToken = null;
        if (armed != null) {
            armed.cancel();
        }
    }

    private void onTimer(Object token) {
        Actions<S> actions = new Actions<>();
        lock.lock();
        try {
            if (token != timerToken) {
                return; // cancelled or replaced after it was due
            }
            timerToken = null;
            timer = null;
            if (cleanupLocked(clock.nanoTime(), actions) >= 0) {
                ensureTimerLocked();
            }
        } finally {
            lock.unlock();
            actions.run(this);
        }
    }

    // ---- internal types ------------------------------------------------------------------------------------

    /** A live session's pool state; mutated only under the lock. */
    private static final class Entry<S> {
        final S session;
        final long sequence;
        final long createdAt;
        long idleSince = -1;
        boolean leased;
        long leasesServed;

        Entry(S session, long sequence, long createdAt) {
            this.session = session;
            this.sequence = sequence;
            this.createdAt = createdAt;
        }
    }

    /** A dial in flight: for a waiting acquire, or a warm dial ({@code waiting == null}). */
    private static final class Dial<S extends PooledSession> {
        final long sequence;
        final CompletableFuture<Lease<S>> waiting;
        /** Where the acquirer wants the session, passed to the dialer; null for none. */
        final Object placement;
        /** Whether {@link #waiting} has been completed or failed by the pool (guarded by the pool's lock). */
        boolean settled;

        Dial(long sequence, CompletableFuture<Lease<S>> waiting, Object placement) {
            this.sequence = sequence;
            this.waiting = waiting;
            this.placement = placement;
        }
    }

    /** Side effects decided under the lock and carried out after it is released, in order: closes, then futures, then dials. */
    private static final class Actions<S extends PooledSession> {
        private final List<Runnable> closes = new ArrayList<>();
        private final List<Runnable> completions = new ArrayList<>();
        private final List<Dial<S>> dials = new ArrayList<>();

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

        void dial(Dial<S> dial) {
            dials.add(dial);
        }

        void run(SessionPool<S> pool) {
            closes.forEach(Runnable::run);
            completions.forEach(Runnable::run);
            dials.forEach(pool::startDial);
        }
    }
}
