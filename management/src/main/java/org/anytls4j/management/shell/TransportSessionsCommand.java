package org.anytls4j.management.shell;

import java.time.Instant;

import org.anytls4j.management.model.Inventory;
import org.anytls4j.management.model.TransportViews;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "transport", name = "sessions", description = "Lists the carrier sessions of a pooled transport")
@Service
public class TransportSessionsCommand implements Action {
    @Reference
    Inventory inventory;

    @Argument(index = 0, name = "name", description = "The transport.name of the transport", required = true)
    @Completion(TransportNameCompleter.class)
    String name;

    @Override
    public Object execute() {
        Output.table(TransportViews.sessions(TransportLookup.transport(inventory, name).transport(), Instant.now()),
                "No carrier session", System.out);
        return null;
    }
}
