package org.anytls4j.management.jmx;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

import org.anytls4j.management.model.Texts;
import org.anytls4j.transport.api.server.ServerSnapshot;
import org.anytls4j.transport.api.server.ServerView;
import org.anytls4j.transport.api.server.UserActivity;

/** The {@link ServerMXBean} of one server, reading a fresh snapshot on every call. */
public final class ServerManagement implements ServerMXBean {
    private final ServerView server;

    public ServerManagement(ServerView server) {
        this.server = server;
    }

    private ServerSnapshot snapshot() {
        return server.snapshot();
    }

    @Override
    public String getName() {
        return server.name();
    }

    @Override
    public String getType() {
        return server.type();
    }

    @Override
    public String getListeningOn() {
        return snapshot().listening().map(Texts::address).orElse("");
    }

    @Override
    public String getConfiguredAddress() {
        return snapshot().configuredAddress();
    }

    @Override
    public boolean isListening() {
        return snapshot().listening().isPresent();
    }

    @Override
    public long getConnectionsAccepted() {
        return snapshot().connectionsAccepted();
    }

    @Override
    public long getSessionsActive() {
        return snapshot().sessionsActive();
    }

    @Override
    public long getSessionsTotal() {
        return snapshot().sessionsTotal();
    }

    @Override
    public long getStreamsActive() {
        return snapshot().streamsActive();
    }

    @Override
    public long getStreamsTotal() {
        return snapshot().streamsTotal();
    }

    @Override
    public long getBytesFromClients() {
        return snapshot().bytesFromClients();
    }

    @Override
    public long getBytesToClients() {
        return snapshot().bytesToClients();
    }

    @Override
    public long getAuthenticationFailures() {
        return snapshot().authenticationFailures();
    }

    @Override
    public long getFallbacks() {
        return snapshot().fallbacks();
    }

    @Override
    public long getOutboundConnectFailures() {
        return snapshot().outboundConnectFailures();
    }

    @Override
    public Map<String, Long> getUserSessionsActive() {
        return perUser(UserActivity::sessionsActive);
    }

    @Override
    public Map<String, Long> getUserSessionsTotal() {
        return perUser(UserActivity::sessionsTotal);
    }

    private Map<String, Long> perUser(ToLongFunction<UserActivity> value) {
        Map<String, Long> byUser = new TreeMap<>();
        snapshot().users().forEach(user -> byUser.put(user.user(), value.applyAsLong(user)));
        return byUser;
    }
}
