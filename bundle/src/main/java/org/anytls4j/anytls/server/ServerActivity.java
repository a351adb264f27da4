package org.anytls4j.anytls.server;

import io.netty.channel.Channel;
import org.anytls4j.anytls.session.AnyTlsStream;
import org.anytls4j.anytls.session.ServerEvents;
import org.anytls4j.anytls.session.ServerSessionHandler;
import org.anytls4j.transport.api.TransportException;
import org.anytls4j.transport.api.server.UserActivity;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * What one server's connections, sessions and streams have done and are doing: its counters, the per-user tally,
 * the event log and the set of live sessions. The sessions report here ({@link ServerEvents}); the server asks it
 * for snapshots, for the sessions of a user, and whether the streams have drained.
 */
final class ServerActivity implements ServerEvents {
    private static final System.Logger LOG = System.getLogger(AnyTlsServer.class.getName());

    private final String serverName;
    private final ServerStats stats = new ServerStats();
    private final UserTally users = new UserTally();
    private final ServerEventLog eventLog;
    private final Set<ServerSessionHandler> sessions = ConcurrentHashMap.newKeySet();
    /** Notified whenever a stream closes, for {@link #awaitStreamsDrained} to wait on. */
    private final Object streamsChanged = new Object();

    ServerActivity(String serverName) {
        this.serverName = serverName;
        this.eventLog = new ServerEventLog(serverName);
    }

    void connectionAccepted() {
        stats.connectionsAccepted.increment();
    }

    void sessionOpened(ServerSessionHandler session) {
        stats.sessionsTotal.increment();
        stats.sessionsActive.increment();
        users.sessionOpened(session.user());
        eventLog.sessionOpened(session.sessionId(), session.user());
        sessions.add(session);
    }

    ServerStats stats() {
        return stats;
    }

    List<UserActivity> users() {
        return users.snapshot();
    }

    @Override
    public void authenticated(SocketAddress client, String user) {
        LOG.log(System.Logger.Level.DEBUG, "{0}: user {1} authenticated from {2}", serverName, user, client);
    }

    @Override
    public void authenticationFailed(SocketAddress client, String why) {
        stats.authenticationFailures.increment();
        eventLog.authenticationFailed(client, why);
    }

    @Override
    public void fellBack(SocketAddress client) {
        stats.fallbacks.increment();
        eventLog.fellBack(client);
    }

    @Override
    public void sessionClosed(ServerSessionHandler session) {
        sessions.remove(session);
        stats.sessionsActive.decrement();
        users.sessionClosed(session.user());
        eventLog.sessionClosed(session.sessionId(), session.user(), session.closeCause());
    }

    @Override
    public void streamOpened(ServerSessionHandler session, AnyTlsStream stream) {
        stats.streamsTotal.increment();
        stats.streamsActive.increment();
    }

    @Override
    public void streamClosed(ServerSessionHandler session, AnyTlsStream stream) {
        stats.streamsActive.decrement();
        stats.bytesFromClients.add(stream.bytesRead());
        stats.bytesToClients.add(stream.bytesWritten());
        users.streamClosed(session.user(), stream.bytesRead(), stream.bytesWritten());
        synchronized (streamsChanged) {
            streamsChanged.notifyAll();
        }
    }

    /**
     * Closes the sessions of the users {@code removed} names, each on its own event loop.
     *
     * @return how many sessions were closed
     */
    int closeSessionsOf(Set<String> removed, String why) {
        int count = 0;
        for (ServerSessionHandler session : sessions) {
            Channel channel = session.channel();
            if (channel != null && removed.contains(session.user())) {
                count++;
                TransportException cause = new TransportException(TransportException.Reason.UPSTREAM_AUTH,
                        TransportException.Phase.DATA, serverName, why, null);
                channel.eventLoop().execute(() -> session.closeSession(cause));
            }
        }
        return count;
    }

    /** Waits until no stream is open or {@code gracePeriod} has passed; logs how many were left. Not on a loop. */
    void awaitStreamsDrained(Duration gracePeriod) {
        long deadline = System.nanoTime() + gracePeriod.toNanos();
        synchronized (streamsChanged) {
            long left;
            while (stats.snapshot().streamsActive() > 0 && (left = deadline - System.nanoTime()) > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(streamsChanged, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        long unfinished = stats.snapshot().streamsActive();
        if (unfinished > 0 && !gracePeriod.isZero()) {
            LOG.log(System.Logger.Level.INFO, "{0}: closing {1} streams still open after the {2} ms grace period",
                    serverName, unfinished, gracePeriod.toMillis());
        }
    }
}
