package org.anytls4j.management.shell;

import org.anytls4j.management.model.Inventory;
import org.anytls4j.management.model.TransportViews;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "transport", name = "list", description = "Lists every outbound transport with its health and counters")
@Service
public class TransportListCommand implements Action {
    @Reference
    Inventory inventory;

    @Override
    public Object execute() {
        Output.table(TransportViews.list(inventory.transports()), "No transport is registered", System.out);
        return null;
    }
}
