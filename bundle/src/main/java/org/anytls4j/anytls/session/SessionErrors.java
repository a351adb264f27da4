package org.anytls4j.anytls.session;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import org.anytls4j.transport.api.TransportException;
import org.anytls4j.transport.api.TransportException.Phase;
import org.anytls4j.transport.api.TransportException.Reason;

import javax.net.ssl.SSLException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The errors of the session layer, each with the reason and phase a host acts on. */
final class SessionErrors {
    private SessionErrors() {
    }

    static TransportException sessionLost(String transport, String why) {
        return new TransportException(Reason.SESSION_LOST, Phase.DATA, transport, why, null);
    }

    static TransportException carrierFailure(String transport, Throwable cause) {
        if (cause instanceof SSLException || cause instanceof NotSslRecordException
                || cause instanceof DecoderException && cause.getCause() instanceof SSLException) {
            return new TransportException(Reason.UPSTREAM_TLS, Phase.DATA, transport,
                    "TLS failure on the session: " + cause.getMessage(), cause);
        }
        if (cause instanceof DecoderException) {
            return new TransportException(Reason.UPSTREAM_PROTOCOL, Phase.DATA, transport,
                    "malformed AnyTLS data from the peer: " + cause.getMessage(), cause);
        }
        return new TransportException(Reason.SESSION_LOST, Phase.DATA, transport,
                "the session failed: " + cause, cause);
    }

    static TransportException closedBeforeAnswer(String transport) {
        return new TransportException(Reason.UPSTREAM_AUTH, Phase.STREAM_OPEN, transport,
                "the server closed the session without answering anything: the password is probably wrong, or the "
                        + "server is not an AnyTLS server (AnyTLS servers never say why they reject a client)", null);
    }

    static TransportException synackTimeout(String transport, Duration timeout) {
        return new TransportException(Reason.TIMEOUT, Phase.STREAM_OPEN, transport,
                "no SYNACK and no other frame from the server within " + timeout.toMillis()
                        + " ms on a reused session; the session is considered dead", null);
    }

    static TransportException heartbeatTimeout(String transport, Duration timeout) {
        return new TransportException(Reason.SESSION_LOST, Phase.DATA, transport,
                "no answer to a heartbeat within " + timeout.toMillis() + " ms; the session is considered dead",
                null);
    }

    static TransportException openTimeout(String transport, InetSocketAddress destination, long timeoutNanos) {
        return new TransportException(Reason.TIMEOUT, Phase.REMOTE_CONNECT, transport,
                "the server did not confirm the connection to " + describe(destination) + " within "
                        + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms", null);
    }

    static TransportException remoteConnectFailed(String transport, String remoteText) {
        return TransportException.builder(TransportException.fromRemoteError(remoteText), Phase.REMOTE_CONNECT, transport)
                .message("the server could not connect to the destination: " + remoteText)
                .remoteMessage(remoteText)
                .build();
    }

    static TransportException alert(String transport, String remoteText) {
        return TransportException.builder(Reason.UPSTREAM_PROTOCOL, Phase.DATA, transport)
                .message("the server closed the session with an alert: " + remoteText)
                .remoteMessage(remoteText)
                .build();
    }

    static TransportException badDestination(String transport, InetSocketAddress destination,
                                             IllegalArgumentException cause) {
        return new TransportException(Reason.ADDRESS_UNSUPPORTED, Phase.STREAM_OPEN, transport,
                "cannot send destination " + describe(destination) + ": " + cause.getMessage(), cause);
    }

    static TransportException cancelled(String transport, String why) {
        return new TransportException(Reason.CANCELLED, Phase.STREAM_OPEN, transport, why, null);
    }

    static String describe(InetSocketAddress address) {
        String host = address.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
