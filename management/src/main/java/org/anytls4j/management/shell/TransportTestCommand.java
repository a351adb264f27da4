package org.anytls4j.management.shell;

import java.time.Duration;
import java.util.List;

import org.anytls4j.management.model.Inventory;
import org.anytls4j.management.model.StreamProbe;
import org.anytls4j.management.model.TransportEntry;
import org.anytls4j.transport.api.netty.NettyOutboundTransport;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "transport", name = "test",
        description = "Opens streams to a destination through a transport and prints each open's latency and outcome")
@Service
public class TransportTestCommand implements Action {
    @Reference
    Inventory inventory;

    @Argument(index = 0, name = "name", description = "The transport.name of the transport", required = true)
    @Completion(TransportNameCompleter.class)
    String name;

    @Argument(index = 1, name = "destination", description = "host:port, or [ipv6]:port", required = true)
    String destination;

    @Option(name = "-n", aliases = "--count", description = "How many streams to open, one after the other (1..1000)")
    int count = 3;

    /** Karaf parses options only before the arguments; this takes {@code -n N} written after them as well. */
    @Argument(index = 2, name = "options", description = "-n N may also follow the destination", multiValued = true)
    List<String> trailing;

    @Option(name = "-t", aliases = "--timeout", description = "Open timeout of each stream, in seconds")
    int timeoutSeconds = 10;

    @Override
    public Object execute() {
        TransportEntry entry = TransportLookup.transport(inventory, name);
        if (!(entry.transport() instanceof NettyOutboundTransport)) {
            throw new IllegalArgumentException("Transport '" + name + "' cannot open streams: it is not a "
                    + "NettyOutboundTransport");
        }
        if (timeoutSeconds < 1) {
            throw new IllegalArgumentException("--timeout must be at least 1 second, got " + timeoutSeconds);
        }
        int opens = TrailingCount.parse(trailing, count);
        StreamProbe probe = new StreamProbe((NettyOutboundTransport) entry.transport(),
                Duration.ofSeconds(timeoutSeconds), System::nanoTime);
        probe.run(destination, opens).lines().forEach(System.out::println);
        return null;
    }
}
