package org.anytls4j.management.shell;

import java.util.stream.Collectors;

import org.anytls4j.management.model.Inventory;
import org.anytls4j.management.model.TransportEntry;
import org.anytls4j.transport.api.server.ServerView;

/** Finds a transport or server by name, or fails with the names there are. */
final class TransportLookup {
    private TransportLookup() {
    }

    static TransportEntry transport(Inventory inventory, String name) {
        return inventory.transport(name).orElseThrow(() -> new IllegalArgumentException("No transport named '"
                + name + "'; registered: " + known(inventory.transports().stream().map(TransportEntry::name)
                .collect(Collectors.joining(", ")))));
    }

    static ServerView server(Inventory inventory, String name) {
        return inventory.server(ServerCommands.TYPE, name).orElseThrow(() -> new IllegalArgumentException(
                "No AnyTLS server named '" + name + "'; running: " + known(inventory.servers().stream()
                .filter(server -> ServerCommands.TYPE.equals(server.type())).map(ServerView::name)
                .collect(Collectors.joining(", ")))));
    }

    private static String known(String names) {
        return names.isEmpty() ? "none" : names;
    }
}
