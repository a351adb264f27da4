package org.anytls4j.management.model;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import org.anytls4j.transport.api.OutboundTransport;
import org.anytls4j.common.config.ConfigurationChanges;

/**
 * A registered transport with the service properties it was registered with: the configured settings (a transport
 * publishes its configuration except private properties; unset ones have their documented defaults). Framework
 * bookkeeping is left out, and so are secret properties (none should be published, see
 * {@link ConfigurationChanges#isSecret}), as a second line of defence.
 */
public final class TransportEntry {
    private final OutboundTransport transport;
    private final Map<String, Object> settings;

    public TransportEntry(OutboundTransport transport, Map<String, ?> serviceProperties) {
        this.transport = Objects.requireNonNull(transport, "transport");
        TreeMap<String, Object> visible = new TreeMap<>();
        serviceProperties.forEach((key, value) -> {
            if (!ConfigurationChanges.isSecret(key) && !bookkeeping(key) && value != null) {
                visible.put(key, value);
            }
        });
        this.settings = java.util.Collections.unmodifiableMap(visible);
    }

    /** Properties the framework adds (ids, object classes, file names), not settings of the transport. */
    private static boolean bookkeeping(String key) {
        return key.startsWith("service.") || key.startsWith("component.") || key.equals("objectClass")
                || key.startsWith("felix.fileinstall.") || key.startsWith("osgi.ds.");
    }

    public String name() {
        return transport.name();
    }

    public OutboundTransport transport() {
        return transport;
    }

    /** Service properties without secrets, sorted by name. */
    public Map<String, Object> settings() {
        return settings;
    }
}
