package org.anytls4j.anytls.management;

import org.anytls4j.anytls.server.AnyTlsServerRuntime;
import org.anytls4j.anytls.server.ServerStats;
import org.anytls4j.transport.api.server.ServerSnapshot;
import org.anytls4j.transport.api.server.ServerView;

import java.util.Objects;

/** The read-only view of one running AnyTLS server that operators' tools get as a {@link ServerView} service. */
public final class AnyTlsServerView implements ServerView {
    public static final String TYPE = "anytls";

    private final AnyTlsServerRuntime runtime;

    public AnyTlsServerView(AnyTlsServerRuntime runtime) {
        this.runtime = Objects.requireNonNull(runtime, "runtime");
    }

    @Override
    public String name() {
        return runtime.name();
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public ServerSnapshot snapshot() {
        ServerStats.Snapshot stats = runtime.stats();
        return ServerSnapshot.builder(runtime.name(), TYPE, runtime.configuredAddress(), runtime.since())
                .listening(runtime.localAddress())
                .connectionsAccepted(stats.connectionsAccepted())
                .sessionsActive(Math.max(0, stats.sessionsActive()))
                .sessionsTotal(stats.sessionsTotal())
                .streamsActive(Math.max(0, stats.streamsActive()))
                .streamsTotal(stats.streamsTotal())
                .bytesFromClients(stats.bytesFromClients())
                .bytesToClients(stats.bytesToClients())
                .authenticationFailures(stats.authenticationFailures())
                .fallbacks(stats.fallbacks())
                .outboundConnectFailures(stats.outboundConnectFailures())
                .users(runtime.users())
                .build();
    }

    @Override
    public String toString() {
        return "AnyTLS server view " + runtime.name();
    }
}
