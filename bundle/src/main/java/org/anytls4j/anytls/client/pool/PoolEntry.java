package org.anytls4j.anytls.client.pool;

/** A live session's pool state; read and mutated only under the pool's lock. */
final class PoolEntry<S> {
    final S session;
    final long sequence;
    /** Pool-clock time the dial completed. */
    final long createdAt;
    /** Pool-clock time it became idle, or {@code -1} while leased. */
    long idleSince = -1;
    boolean leased;
    long leasesServed;

    PoolEntry(S session, long sequence, long createdAt) {
        this.session = session;
        this.sequence = sequence;
        this.createdAt = createdAt;
    }
}
