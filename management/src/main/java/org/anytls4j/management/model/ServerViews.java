package org.anytls4j.management.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.anytls4j.transport.api.server.ServerSnapshot;
import org.anytls4j.transport.api.server.ServerView;
import org.anytls4j.transport.api.server.UserActivity;

/** What {@code anytls:server-list} and {@code anytls:server-info} show; the server MXBean reads the same snapshot. */
public final class ServerViews {
    public static final List<String> LIST_COLUMNS = List.of("Name", "Listening on", "Sessions active / total",
            "Streams active / total", "Users (sessions active / total)", "Auth failures", "Fallbacks");
    public static final List<String> USER_COLUMNS = List.of("User", "Sessions active / total",
            "Bytes from / to client");

    private ServerViews() {
    }

    public static Table list(List<ServerView> servers) {
        List<List<String>> rows = new ArrayList<>();
        for (ServerView server : servers) {
            ServerSnapshot s = server.snapshot();
            rows.add(List.of(s.name(), listening(s), Texts.pair(s.sessionsActive(), s.sessionsTotal()),
                    Texts.pair(s.streamsActive(), s.streamsTotal()), users(s), Long.toString(s.authenticationFailures()),
                    Long.toString(s.fallbacks())));
        }
        return new Table(LIST_COLUMNS, rows);
    }

    /** {@code demo 1/3, zoe 0/1}, or {@code -} before any session. */
    static String users(ServerSnapshot snapshot) {
        if (snapshot.users().isEmpty()) {
            return "-";
        }
        return String.join(", ", snapshot.users().stream()
                .map(u -> u.user() + " " + u.sessionsActive() + "/" + u.sessionsTotal()).toList());
    }

    static String listening(ServerSnapshot snapshot) {
        return snapshot.listening().map(Texts::address)
                .orElse("not listening (" + snapshot.configuredAddress() + ")");
    }

    public static Map<String, String> info(ServerSnapshot s, Instant now) {
        Map<String, String> lines = new LinkedHashMap<>();
        lines.put("Name", s.name());
        lines.put("Type", s.type());
        lines.put("Listening on", listening(s));
        lines.put("Configured address", s.configuredAddress());
        lines.put("Counting since", s.since() + " (" + Texts.since(s.since(), now) + " ago)");
        lines.put("Connections accepted", Long.toString(s.connectionsAccepted()));
        lines.put("Sessions active", Long.toString(s.sessionsActive()));
        lines.put("Sessions total", Long.toString(s.sessionsTotal()));
        lines.put("Streams active", Long.toString(s.streamsActive()));
        lines.put("Streams total", Long.toString(s.streamsTotal()));
        lines.put("Bytes from clients", Long.toString(s.bytesFromClients()));
        lines.put("Bytes to clients", Long.toString(s.bytesToClients()));
        lines.put("Authentication failures", Long.toString(s.authenticationFailures()));
        lines.put("Fallbacks", Long.toString(s.fallbacks()));
        lines.put("Outbound connect failures", Long.toString(s.outboundConnectFailures()));
        return lines;
    }

    public static Table users(List<UserActivity> users) {
        List<List<String>> rows = new ArrayList<>();
        for (UserActivity user : users) {
            rows.add(List.of(user.user(), Texts.pair(user.sessionsActive(), user.sessionsTotal()),
                    Texts.pair(user.bytesFromClient(), user.bytesToClient())));
        }
        return new Table(USER_COLUMNS, rows);
    }
}
