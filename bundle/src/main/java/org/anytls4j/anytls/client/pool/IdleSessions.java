package org.anytls4j.anytls.client.pool;

import java.util.function.Predicate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The idle sessions, newest (highest sequence) first out, and the rules that decide which of them are still fit
 * to carry a stream. Pure bookkeeping: it closes nothing itself, it tells the pool what to close and why. Guarded
 * by the pool's lock.
 */
final class IdleSessions<S extends PooledSession> {
    /** An idle session the pool must close, and why. */
    record Unfit<S>(PoolEntry<S> entry, CloseCause cause) {
    }

    private final NavigableMap<Long, PoolEntry<S>> bySequence = new TreeMap<>();

    int size() {
        return bySequence.size();
    }

    boolean isEmpty() {
        return bySequence.isEmpty();
    }

    Collection<PoolEntry<S>> all() {
        return new ArrayList<>(bySequence.values());
    }

    /** The session becomes idle as of {@code now}: this is the one place a session turns idle. */
    void add(PoolEntry<S> entry, long now) {
        entry.leased = false;
        entry.idleSince = now;
        bySequence.put(entry.sequence, entry);
    }

    void remove(PoolEntry<S> entry) {
        bySequence.remove(entry.sequence, entry);
    }

    /**
     * Removes and returns the newest idle session fit for a stream, preferring the newest that {@code preferred}
     * accepts, or null when none is fit; the unfit ones met on the way are removed too and added to {@code unfit}.
     */
    PoolEntry<S> takeNewestFit(long now, PoolOptions options, Predicate<? super S> preferred,
                               List<Unfit<S>> unfit) {
        PoolEntry<S> newestFit = null;
        for (PoolEntry<S> entry : new ArrayList<>(bySequence.descendingMap().values())) {
            CloseCause cause = unfitness(entry, now, options);
            if (cause != null) {
                bySequence.remove(entry.sequence);
                unfit.add(new Unfit<>(entry, cause));
            } else if (preferred.test(entry.session)) {
                newestFit = entry;
                break;
            } else if (newestFit == null) {
                newestFit = entry;
            }
        }
        if (newestFit != null) {
            bySequence.remove(newestFit.sequence);
        }
        return newestFit;
    }

    /**
     * The idle cleanup as of {@code now}, walking from newest to oldest: an unusable session is unfit
     * ({@link CloseCause#ERROR}), one past {@code maxSessionAge} too ({@link CloseCause#MAX_AGE}); one idle for at
     * most {@code idleSessionTimeout} is kept; an expired one is kept with its idle time reset to now while fewer
     * than {@code minIdleSessions} have been kept (as the reference does); any other expired one is unfit
     * ({@link CloseCause#IDLE_TIMEOUT}). With reuse disabled every idle session is unfit.
     *
     * @return the unfit sessions, oldest first, still in the idle set: the pool removes them
     */
    List<Unfit<S>> expire(long now, PoolOptions options) {
        long idleTimeout = options.idleSessionTimeout().toNanos();
        int kept = 0;
        List<Unfit<S>> newestFirst = new ArrayList<>();
        Iterator<PoolEntry<S>> entries = bySequence.descendingMap().values().iterator();
        while (entries.hasNext()) {
            PoolEntry<S> entry = entries.next();
            CloseCause cause = options.disableReuse() ? CloseCause.REUSE_DISABLED : unfitness(entry, now, options);
            if (cause == null) {
                if (now - entry.idleSince <= idleTimeout) {
                    kept++;
                } else if (kept < options.minIdleSessions()) {
                    entry.idleSince = now;
                    kept++;
                } else {
                    cause = CloseCause.IDLE_TIMEOUT;
                }
            }
            if (cause != null) {
                newestFirst.add(new Unfit<>(entry, cause));
            }
        }
        List<Unfit<S>> oldestFirst = new ArrayList<>(newestFirst.size());
        for (int i = newestFirst.size() - 1; i >= 0; i--) {
            oldestFirst.add(newestFirst.get(i));
        }
        return oldestFirst;
    }

    /**
     * The sessions idle since before {@code nanos}, oldest first, still in the idle set. Given the time a session that
     * was just found dead left the idle set, these are the ones that sat unused through the same quiet spell that
     * killed it (a NAT or firewall forgetting idle flows), and so are suspect too ({@link CloseCause#SUSPECT}); one
     * that joined the idle set since (a stream ended on it, or warming dialled it) has shown it works.
     */
    List<Unfit<S>> idleSinceBefore(long nanos) {
        List<Unfit<S>> suspects = new ArrayList<>();
        for (PoolEntry<S> entry : bySequence.values()) {
            if (entry.idleSince < nanos) {
                suspects.add(new Unfit<>(entry, CloseCause.SUSPECT));
            }
        }
        return suspects;
    }

    /** Why a session may not carry another stream, or null if it may. */
    static CloseCause unfitness(PoolEntry<? extends PooledSession> entry, long now, PoolOptions options) {
        if (!entry.session.isUsable()) {
            return CloseCause.ERROR;
        }
        long maxAge = options.maxSessionAge().toNanos();
        return maxAge > 0 && now - entry.createdAt >= maxAge ? CloseCause.MAX_AGE : null;
    }
}
