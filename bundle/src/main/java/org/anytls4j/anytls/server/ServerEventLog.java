package org.anytls4j.anytls.server;

import org.anytls4j.transport.api.TransportException;
import org.anytls4j.common.log.RateLimitedLog;

import java.net.SocketAddress;
import java.time.Duration;

/**
 * What a server tells its operator: refused authentications and fallbacks at WARNING with the client's address,
 * rate-limited per server (a scan or a misconfigured client leaves a few lines and a "suppressed N similar" summary),
 * and sessions opening and closing with their cause at DEBUG. Never a password nor its hash: the reasons come from
 * the authentication handler, which names what was wrong, not what was sent.
 */
final class ServerEventLog {
    private static final System.Logger LOG = System.getLogger(ServerEventLog.class.getName());
    static final int BURST = 5;
    static final Duration WINDOW = Duration.ofSeconds(60);

    private final String server;
    private final RateLimitedLog refusals;

    ServerEventLog(String server) {
        this(server, RateLimitedLog.onSystemTime(LOG, System.Logger.Level.WARNING, BURST, WINDOW));
    }

    ServerEventLog(String server, RateLimitedLog refusals) {
        this.server = server;
        this.refusals = refusals;
    }

    void authenticationFailed(SocketAddress client, String why) {
        refusals.log("AnyTLS server " + server, () -> "AnyTLS server " + server + ": authentication failed from "
                + client + ": " + why);
    }

    void fellBack(SocketAddress client) {
        refusals.log("AnyTLS server " + server, () -> "AnyTLS server " + server + ": connection from " + client
                + " handed to the fallback");
    }

    void sessionOpened(String sessionId, String user) {
        LOG.log(System.Logger.Level.DEBUG, () -> "AnyTLS server " + server + ": session " + sessionId
                + " opened for user " + user);
    }

    void sessionClosed(String sessionId, String user, TransportException cause) {
        LOG.log(System.Logger.Level.DEBUG, () -> "AnyTLS server " + server + ": session " + sessionId + " of user "
                + user + " closed" + (cause == null ? "" : ": " + cause.reason() + " " + cause.getMessage()));
    }
}
