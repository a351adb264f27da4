package org.anytls4j.transport.api;

/**
 * Names of the service properties every outbound transport service is registered with. A host selects a transport
 * with a filter on them, such as {@code (transport.name=hk1)} or {@code (&(transport.type=anytls)(transport.networks=udp))}.
 */
public final class TransportConstants {
    /** String, required, unique among transports: the instance name; equals {@link OutboundTransport#name()}. */
    public static final String TRANSPORT_NAME = "transport.name";
    /** String, required: the kind of transport, e.g. {@code anytls}, {@code direct}; equals {@link OutboundTransport#type()}. */
    public static final String TRANSPORT_TYPE = "transport.type";
    /** String[]: {@link Network#wireName()} of each network the transport carries. */
    public static final String TRANSPORT_NETWORKS = "transport.networks";
    /** String[]: {@link Capability#wireName()} of each capability the transport offers. */
    public static final String TRANSPORT_CAPABILITIES = "transport.capabilities";
    /** String[]: free grouping labels from configuration (e.g. {@code hk}, {@code premium}), used by group filters. */
    public static final String TRANSPORT_LABELS = "transport.labels";

    private TransportConstants() {
    }
}
