package org.anytls4j.management.shell;

import java.time.Instant;

import org.anytls4j.management.model.Inventory;
import org.anytls4j.management.model.ServerViews;
import org.anytls4j.transport.api.server.ServerSnapshot;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "anytls", name = "server-info",
        description = "Shows an AnyTLS server's address, counters, and its users with their sessions and bytes")
@Service
public class ServerInfoCommand implements Action {
    @Reference
    Inventory inventory;

    @Argument(index = 0, name = "name", description = "The server's name", required = true)
    @Completion(ServerNameCompleter.class)
    String name;

    @Override
    public Object execute() {
        ServerSnapshot snapshot = TransportLookup.server(inventory, name).snapshot();
        Output.details(ServerViews.info(snapshot, Instant.now()), System.out);
        System.out.println();
        Output.table(ServerViews.users(snapshot.users()), "No user has had a session", System.out);
        return null;
    }
}
