package org.anytls4j.management.shell;

import org.anytls4j.management.model.Inventory;
import org.anytls4j.management.model.ServerViews;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "anytls", name = "server-list", description = "Lists the AnyTLS servers with their sessions and users")
@Service
public class ServerListCommand implements Action {
    @Reference
    Inventory inventory;

    @Override
    public Object execute() {
        Output.table(ServerViews.list(inventory.servers().stream()
                .filter(server -> ServerCommands.TYPE.equals(server.type())).toList()),
                "No AnyTLS server is running", System.out);
        return null;
    }
}
