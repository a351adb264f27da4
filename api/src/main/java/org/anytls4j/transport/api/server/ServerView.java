package org.anytls4j.transport.api.server;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One running inbound server, as operators' tools see it. Registered as a service with the properties of
 * {@link ServerConstants}, whose values equal {@link #name()} and {@link #type()}. Read-only: a tool cannot change
 * the server through it. Every method is cheap, thread-safe and never blocks.
 */
@ProviderType
public interface ServerView {
    /** The server's instance name from its configuration, unique among servers of its type. */
    String name();

    /** The kind of server, e.g. {@code anytls}. */
    String type();

    /** The counters and users now; never contains a password or anything derived from one. */
    ServerSnapshot snapshot();
}
