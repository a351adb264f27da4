package org.anytls4j.anytls.server;

import org.anytls4j.transport.api.server.UserActivity;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Sessions and payload bytes per authenticated user name of one server; updated on event loops, read anywhere. */
final class UserTally {
    private final Map<String, Counters> byUser = new ConcurrentHashMap<>();

    void sessionOpened(String user) {
        Counters counters = byUser.computeIfAbsent(user, u -> new Counters());
        counters.sessionsTotal.increment();
        counters.sessionsActive.increment();
    }

    void sessionClosed(String user) {
        Counters counters = byUser.get(user);
        if (counters != null) {
            counters.sessionsActive.decrement();
        }
    }

    void streamClosed(String user, long bytesFromClient, long bytesToClient) {
        Counters counters = byUser.get(user);
        if (counters != null) {
            counters.bytesFromClient.add(bytesFromClient);
            counters.bytesToClient.add(bytesToClient);
        }
    }

    List<UserActivity> snapshot() {
        return byUser.entrySet().stream()
                .map(entry -> {
                    Counters c = entry.getValue();
                    return UserActivity.of(entry.getKey(), Math.max(0, c.sessionsActive.sum()),
                            c.sessionsTotal.sum(), c.bytesFromClient.sum(), c.bytesToClient.sum());
                })
                .toList();
    }

    private static final class Counters {
        final LongAdder sessionsActive = new LongAdder();
        final LongAdder sessionsTotal = new LongAdder();
        final LongAdder bytesFromClient = new LongAdder();
        final LongAdder bytesToClient = new LongAdder();
    }
}
