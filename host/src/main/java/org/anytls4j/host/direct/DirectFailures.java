package org.anytls4j.host.direct;

import io.netty.channel.ConnectTimeoutException;
import io.netty.resolver.dns.DnsNameResolverTimeoutException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;
import org.anytls4j.transport.api.Destination;
import org.anytls4j.transport.api.TransportException;
import org.anytls4j.transport.api.TransportException.Phase;
import org.anytls4j.transport.api.TransportException.Reason;

/**
 * Turns what the JDK and Netty throw while resolving and connecting into {@link TransportException}s.
 *
 * <p>The phase of every open failure is {@link Phase#CARRIER_CONNECT}: for a direct transport the connection to
 * the destination is its only carrier, and a failed connect sent nothing anywhere, so the request is safe to retry
 * elsewhere ({@link TransportException#retryable()}), which {@link Phase#REMOTE_CONNECT} would deny.
 */
final class DirectFailures {
    private DirectFailures() {
    }

    static TransportException openFailed(String transport, Destination destination, Throwable cause) {
        if (cause instanceof TransportException) {
            return (TransportException) cause;
        }
        Reason reason = reasonOf(cause);
        return new TransportException(reason, Phase.CARRIER_CONNECT, transport,
                describe(reason) + " " + destination + ": " + cause.getMessage(), cause);
    }

    static TransportException timedOut(String transport, Destination destination, long millis) {
        return new TransportException(Reason.TIMEOUT, Phase.CARRIER_CONNECT, transport,
                "no connection to " + destination + " within " + millis + " ms", null);
    }

    static Reason reasonOf(Throwable cause) {
        if (cause instanceof UnknownHostException) {
            // Netty reports a DNS timeout as an unknown host caused by the timeout; the time limit is the fact
            // to act on, as in TransportException.fromRemoteError.
            return cause.getCause() instanceof DnsNameResolverTimeoutException ? Reason.TIMEOUT : Reason.DESTINATION_DNS;
        }
        if (cause instanceof DnsNameResolverTimeoutException
                || cause instanceof ConnectTimeoutException
                || cause instanceof SocketTimeoutException) {
            return Reason.TIMEOUT;
        }
        String message = cause.getMessage() == null ? "" : cause.getMessage().toLowerCase(Locale.ROOT);
        if (cause instanceof ConnectException && message.contains("refused")) {
            return Reason.DESTINATION_REFUSED;
        }
        if (cause instanceof SocketException
                && (message.contains("protocol family") || message.contains("address family"))) {
            // An IPv6 destination on a host without IPv6, or the reverse.
            return Reason.ADDRESS_UNSUPPORTED;
        }
        if (cause instanceof ConnectException || cause instanceof NoRouteToHostException
                || cause instanceof SocketException) {
            return Reason.DESTINATION_UNREACHABLE;
        }
        return Reason.INTERNAL;
    }

    private static String describe(Reason reason) {
        switch (reason) {
            case DESTINATION_DNS:
                return "cannot resolve";
            case DESTINATION_REFUSED:
                return "connection refused by";
            case TIMEOUT:
                return "timed out connecting to";
            default:
                return "cannot connect to";
        }
    }
}
