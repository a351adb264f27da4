package org.anytls4j.management.shell;

import java.util.List;

import org.anytls4j.management.model.Inventory;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/** Completes the names of the AnyTLS servers running now. */
@Service
public class ServerNameCompleter implements Completer {
    @Reference
    Inventory inventory;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter names = new StringsCompleter();
        inventory.servers().stream().filter(server -> ServerCommands.TYPE.equals(server.type()))
                .forEach(server -> names.getStrings().add(server.name()));
        return names.complete(session, commandLine, candidates);
    }
}
