package org.anytls4j.management.model;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.anytls4j.transport.api.OutboundTransport;
import org.anytls4j.transport.api.server.ServerView;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * Every outbound transport and inbound server registered now, by name, for the shell commands. Tracks the SPI
 * services only, so it lists every kind of transport (AnyTLS, direct, any future one).
 */
@Component(service = Inventory.class, immediate = true)
public final class Inventory {
    private final Map<OutboundTransport, TransportEntry> transports = new ConcurrentHashMap<>();
    private final Map<ServerView, ServerView> servers = new ConcurrentHashMap<>();

    @Reference(name = "transport", service = OutboundTransport.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC)
    public void addTransport(OutboundTransport transport, Map<String, Object> properties) {
        transports.put(transport, new TransportEntry(transport, properties));
    }

    public void removeTransport(OutboundTransport transport) {
        transports.remove(transport);
    }

    @Reference(name = "server", service = ServerView.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC)
    public void addServer(ServerView server) {
        servers.put(server, server);
    }

    public void removeServer(ServerView server) {
        servers.remove(server);
    }

    /** Sorted by name. */
    public List<TransportEntry> transports() {
        return transports.values().stream().sorted(Comparator.comparing(TransportEntry::name)).toList();
    }

    public Optional<TransportEntry> transport(String name) {
        return transports.values().stream().filter(entry -> entry.name().equals(name)).findFirst();
    }

    /** Sorted by type, then name. */
    public List<ServerView> servers() {
        return servers.values().stream()
                .sorted(Comparator.comparing(ServerView::type).thenComparing(ServerView::name)).toList();
    }

    public Optional<ServerView> server(String type, String name) {
        return servers.values().stream().filter(s -> s.type().equals(type) && s.name().equals(name)).findFirst();
    }
}
