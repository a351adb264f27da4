/**
 * The client session pool of the AnyTLS specification (§11), generic over {@link
 * org.anytls4j.anytls.client.pool.PooledSession} so that its whole policy runs on an injected clock and
 * scheduler, without a network.
 *
 * <p>Like the reference, a session carries one stream at a time: opening a stream leases the newest idle
 * session (highest sequence number) or dials a new one, and closing the stream returns it. On top of the
 * reference the pool offers {@code disableReuse}, a cap on sessions, warming and a maximum session age.
 */
package org.anytls4j.anytls.client.pool;
