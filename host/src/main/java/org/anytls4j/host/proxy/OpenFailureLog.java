package org.anytls4j.host.proxy;

import java.time.Duration;
import org.anytls4j.transport.api.OpenRequest;
import org.anytls4j.transport.api.TransportException;
import org.anytls4j.transport.api.TransportException.Reason;
import org.anytls4j.common.log.RateLimitedLog;

/**
 * One INFO line per failed open, naming the proxy, the transport, the destination, the reason and the phase, so that
 * an operator sees why a request failed without turning DEBUG on. Rate-limited per transport: a burst (a dead
 * server, a scan through the proxy) leaves {@value #BURST} lines per minute and transport, then one
 * "suppressed N similar" line. Cancelled opens (the client went away) are not failures of anything and stay quiet.
 */
final class OpenFailureLog {
    private static final System.Logger LOG = System.getLogger(OpenFailureLog.class.getName());
    static final int BURST = 10;
    static final Duration WINDOW = Duration.ofSeconds(60);

    private final String proxy;
    private final RateLimitedLog log;

    OpenFailureLog(String proxy) {
        this(proxy, RateLimitedLog.onSystemTime(LOG, System.Logger.Level.INFO, BURST, WINDOW));
    }

    OpenFailureLog(String proxy, RateLimitedLog log) {
        this.proxy = proxy;
        this.log = log;
    }

    /** Logs that {@code request} through {@code transport} failed with {@code cause} (rate-limited per transport). */
    void failed(String transport, OpenRequest request, Throwable cause) {
        Reason reason = reasonOf(cause);
        if (reason == Reason.CANCELLED) {
            return;
        }
        log.log("proxy '" + proxy + "' transport '" + transport + "'", () -> line(transport, request, reason, cause));
    }

    private String line(String transport, OpenRequest request, Reason reason, Throwable cause) {
        StringBuilder text = new StringBuilder("proxy '").append(proxy).append("': open of ")
                .append(request.network().wireName()).append(' ').append(request.destination())
                .append(" through transport '").append(transport).append("' failed: ").append(reason);
        if (cause instanceof TransportException) {
            TransportException failure = (TransportException) cause;
            text.append(" in ").append(failure.phase());
            if (failure.detail() != null && !failure.detail().isEmpty()) {
                text.append(" (").append(failure.detail()).append(')');
            }
            failure.remoteMessage().ifPresent(remote -> text.append(" (remote: ").append(remote).append(')'));
        } else {
            text.append(" (").append(cause).append(')');
        }
        return text.append(", client ").append(request.context().connectionId()).toString();
    }

    static Reason reasonOf(Throwable cause) {
        if (cause instanceof TransportException) {
            return ((TransportException) cause).reason();
        }
        // The contract allows only TransportExceptions; anything else is a transport bug.
        return cause instanceof java.util.concurrent.CancellationException ? Reason.CANCELLED : Reason.INTERNAL;
    }
}
