package org.anytls4j.transport.api;

import java.util.List;
import java.util.Set;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * The control plane of an outbound transport: what it is, what it can carry, and how it is doing. Opening streams
 * is the data plane's job ({@code org.anytls4j.transport.api.netty.NettyOutboundTransport}), so this package stays
 * free of Netty types.
 *
 * <p>A transport is registered as a service with the properties of {@link TransportConstants}, whose values equal
 * what these methods return. Every method is cheap, thread-safe, never blocks and never hops threads, so a host may
 * call it from an event loop.
 */
@ConsumerType
public interface OutboundTransport {
    /** The unique instance name, as in the {@code transport.name} service property; appears in logs and metrics. */
    String name();

    /** The kind of transport, e.g. {@code anytls} or {@code direct}, as in {@code transport.type}. */
    String type();

    /** The networks this transport carries; an open on another fails with NETWORK_UNSUPPORTED. */
    Set<Network> networks();

    /** What this transport offers beyond the basic contract. */
    Set<Capability> capabilities();

    /** A consistent-enough snapshot of the counters, taken without locks that could block. */
    TransportStats stats();

    /** The passive health, from recent outcomes. */
    TransportHealth health();

    /** Diagnostics of the carrier sessions of a pooled transport; empty for one without sessions. */
    default List<SessionSnapshot> sessions() {
        return List.of();
    }
}
