package org.anytls4j.common.service;

import java.util.Hashtable;
import java.util.Map;
import java.util.Objects;
import org.anytls4j.transport.api.Capability;
import org.anytls4j.transport.api.Network;
import org.anytls4j.transport.api.OutboundTransport;
import org.anytls4j.transport.api.TransportConstants;

/**
 * The service properties of an outbound transport service: what its configuration publishes, plus every
 * {@link TransportConstants} property taken from the transport's own methods, so that the properties a host filters
 * on always equal what the methods return.
 *
 * <p>Configuration properties are published as Declarative Services would publish them: every one except those
 * whose name starts with a dot. Every secret ({@code .password}, {@code .uri}, {@code .users}) has a leading dot,
 * so no secret is ever published.
 */
public final class TransportServiceProperties {
    private TransportServiceProperties() {
    }

    /** A {@link Hashtable}, ready for {@code BundleContext.registerService} and {@code setProperties}. */
    public static Hashtable<String, Object> of(OutboundTransport transport, Map<String, ?> configuration) {
        Objects.requireNonNull(transport, "transport");
        Hashtable<String, Object> published = new Hashtable<>();
        configuration.forEach((key, value) -> {
            if (!key.startsWith(".") && value != null) {
                published.put(key, value);
            }
        });
        published.put(TransportConstants.TRANSPORT_NAME, transport.name());
        published.put(TransportConstants.TRANSPORT_TYPE, transport.type());
        published.put(TransportConstants.TRANSPORT_NETWORKS,
                transport.networks().stream().map(Network::wireName).sorted().toArray(String[]::new));
        published.put(TransportConstants.TRANSPORT_CAPABILITIES,
                transport.capabilities().stream().map(Capability::wireName).sorted().toArray(String[]::new));
        return published;
    }
}
