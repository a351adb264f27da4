package org.anytls4j.anytls.client.pool;

/**
 * One live session as the pool sees it; upstream address, bytes and peer version come from the session.
 *
 * @param session the session itself
 * @param sequence its sequence number (higher is newer)
 * @param createdAtNanos pool-clock time the dial completed
 * @param idleSinceNanos pool-clock time it became idle, or {@code -1} while leased
 * @param leased whether a stream holds it now
 * @param leasesServed how many streams it has been handed to, including the current one
 */
public record PooledSessionInfo<S extends PooledSession>(
        S session, long sequence, long createdAtNanos, long idleSinceNanos, boolean leased, long leasesServed) {
}
