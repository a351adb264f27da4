package org.anytls4j.management.shell;

import java.util.List;

import org.anytls4j.management.model.Inventory;
import org.anytls4j.management.model.TransportEntry;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/** Completes the names of the transports registered now. */
@Service
public class TransportNameCompleter implements Completer {
    @Reference
    Inventory inventory;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter names = new StringsCompleter();
        inventory.transports().stream().map(TransportEntry::name).forEach(names.getStrings()::add);
        return names.complete(session, commandLine, candidates);
    }
}
