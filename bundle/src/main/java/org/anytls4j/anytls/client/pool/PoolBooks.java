package org.anytls4j.anytls.client.pool;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pool's books: every live session (idle or leased) with its entry, the idle set among them, and the counters.
 * Removing a session and counting its close happen here, together, so that the three never disagree. Guarded by
 * the pool's lock.
 */
final class PoolBooks<S extends PooledSession> {
    final IdleSessions<S> idle = new IdleSessions<>();
    final PoolCounters counters = new PoolCounters();
    /** Idle and leased sessions; identity, because a session's equals is not ours to trust. */
    private final Map<S, PoolEntry<S>> live = new IdentityHashMap<>();

    int liveCount() {
        return live.size();
    }

    /** The entry of the session a lease holds, or null if that session left the pool meanwhile. */
    PoolEntry<S> entryOf(Lease<S> lease) {
        PoolEntry<S> entry = live.get(lease.session());
        return entry != null && entry.sequence == lease.sequence() ? entry : null;
    }

    PoolEntry<S> entryOf(S session) {
        return live.get(session);
    }

    /** A newly dialed session joins the pool, leased to the acquire it was dialed for. */
    PoolEntry<S> addLeased(S session, long sequence, long now) {
        PoolEntry<S> entry = new PoolEntry<>(session, sequence, now);
        lease(entry);
        live.put(session, entry);
        return entry;
    }

    /** A newly dialed session joins the pool idle (a warm dial). */
    void addIdle(S session, long sequence, long now) {
        PoolEntry<S> entry = new PoolEntry<>(session, sequence, now);
        live.put(session, entry);
        idle.add(entry, now);
    }

    static <S> void lease(PoolEntry<S> entry) {
        entry.leased = true;
        entry.idleSince = -1;
        entry.leasesServed++;
    }

    void remove(PoolEntry<S> entry, CloseCause cause, boolean closeIt, PoolActions<S> actions) {
        live.remove(entry.session);
        idle.remove(entry);
        counters.closed(cause);
        if (closeIt) {
            actions.close(entry.session, cause, entry.sequence);
        }
    }

    void removeAll(List<IdleSessions.Unfit<S>> unfit, PoolActions<S> actions) {
        for (IdleSessions.Unfit<S> each : unfit) {
            remove(each.entry(), each.cause(), true, actions);
        }
    }

    /** A dialed session that never joined the pool is closed, and counted. */
    void closeUnpooled(S session, CloseCause cause, long sequence, PoolActions<S> actions) {
        counters.closed(cause);
        actions.close(session, cause, sequence);
    }

    List<PoolEntry<S>> oldestFirst() {
        List<PoolEntry<S>> all = new ArrayList<>(live.values());
        all.sort(Comparator.comparingLong(entry -> entry.sequence));
        return all;
    }

    PoolStats stats(int dialing) {
        return counters.stats(idle.size(), live.size(), dialing);
    }

    List<PooledSessionInfo<S>> snapshot() {
        List<PooledSessionInfo<S>> infos = new ArrayList<>(live.size());
        for (PoolEntry<S> entry : oldestFirst()) {
            infos.add(new PooledSessionInfo<>(entry.session, entry.sequence, entry.createdAt, entry.idleSince,
                    entry.leased, entry.leasesServed));
        }
        return List.copyOf(infos);
    }
}
