package org.anytls4j.anytls.client;

import org.anytls4j.anytls.client.pool.CloseCause;
import org.anytls4j.anytls.client.pool.PooledSession;
import org.anytls4j.anytls.session.ClientSessionHandler;
import org.anytls4j.transport.api.TransportException;

import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/** A client session as the pool sees it: usable while its TLS connection is open and no failure closed it. */
final class PooledClientSession implements PooledSession {
    private final String transportName;
    private final ClientSessionHandler session;
    private final Instant created;
    final AtomicLong streamsCarried = new AtomicLong();
    final AtomicLong bytesOut = new AtomicLong();
    final AtomicLong bytesIn = new AtomicLong();
    volatile Instant idleSince;

    PooledClientSession(String transportName, ClientSessionHandler session, Instant created) {
        this.transportName = transportName;
        this.session = session;
        this.created = created;
        this.idleSince = created;
    }

    ClientSessionHandler handler() {
        return session;
    }

    Instant created() {
        return created;
    }

    @Override
    public boolean isUsable() {
        return session.isOpen();
    }

    @Override
    public void close(CloseCause cause) {
        if (session.channel() == null) {
            return;
        }
        TransportException reason = new TransportException(
                cause == CloseCause.SHUTDOWN ? TransportException.Reason.SHUTDOWN : TransportException.Reason.SESSION_LOST,
                TransportException.Phase.DATA, transportName,
                "the session pool closed session " + session.sessionId() + " ("
                        + cause.name().toLowerCase(Locale.ROOT).replace('_', ' ') + ")", null);
        session.channel().eventLoop().execute(() -> session.closeSession(reason));
    }

    @Override
    public String toString() {
        return session.sessionId();
    }
}
