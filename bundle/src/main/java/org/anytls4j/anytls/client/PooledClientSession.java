package org.anytls4j.anytls.client;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import org.anytls4j.anytls.client.pool.CloseCause;
import org.anytls4j.anytls.client.pool.PooledSession;
import org.anytls4j.anytls.session.AnyTlsStream;
import org.anytls4j.anytls.session.ClientSessionHandler;
import org.anytls4j.transport.api.SessionSnapshot;
import org.anytls4j.transport.api.TransportException;

import java.net.InetSocketAddress;
import java.time.Duration;
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

    /** A confirmed open on this session, from any thread; the session owns {@code firstPayload} from here on. */
    Future<AnyTlsStream> openStream(InetSocketAddress destination, ChannelHandler handler, ByteBuf firstPayload,
                                    boolean reused, Duration openTimeout) {
        return openStream(destination, handler, firstPayload, reused, openTimeout, false);
    }

    /**
     * Like {@link #openStream(InetSocketAddress, ChannelHandler, ByteBuf, boolean, Duration)}, with early data when
     * asked for and the session allows it: a fresh session, or a reused one that heard from the server within the
     * early-data window. A reused session quiet for longer may be dead, and an open that moves to a fresh session
     * must not have handed the application a channel yet (its bytes could not follow it), so such an open waits for
     * its SYNACK like any other.
     */
    Future<AnyTlsStream> openStream(InetSocketAddress destination, ChannelHandler handler, ByteBuf firstPayload,
                                    boolean reused, Duration openTimeout, boolean earlyData) {
        return session.openStream(destination, handler, firstPayload, reused, openTimeout, earlyData);
    }

    /** The server's version as other sessions learned it (see {@link ClientSessionHandler#expectPeerVersion}). */
    void expectPeerVersion(int version) {
        session.expectPeerVersion(version);
    }

    /** The version the server announced on this session; 0 until then. Read it on the session's event loop. */
    int peerVersion() {
        return session.peerVersion();
    }

    /** The event loop the session's carrier runs on, and with it every stream of the session. */
    EventLoop eventLoop() {
        return session.channel().eventLoop();
    }

    String id() {
        return session.sessionId();
    }

    /** What a host sees of this session; {@code leased} = a stream is using it. */
    SessionSnapshot snapshot(InetSocketAddress server, boolean leased, String paddingSchemeMd5) {
        SessionSnapshot.Builder snapshot = SessionSnapshot.builder(session.sessionId(), server, created)
                .activeStreams(session.activeStreamCount())
                .streamsServed(streamsCarried.get())
                .bytesOut(bytesOut.get())
                .bytesIn(bytesIn.get())
                .peerVersion(session.peerVersion())
                .paddingSchemeMd5(paddingSchemeMd5);
        if (!leased) {
            snapshot.idleSince(idleSince);
        }
        return snapshot.build();
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
        if (cause == CloseCause.SHUTDOWN || cause == CloseCause.ERROR || cause == CloseCause.SUSPECT) {
            session.channel().eventLoop().execute(() -> session.closeSession(reason));
        } else {
            // Retired while healthy (reuse off, too old, idle): a stream whose writes ended may still be receiving.
            session.channel().eventLoop().execute(() -> session.closeWhenStreamsEnd(reason));
        }
    }

    @Override
    public String toString() {
        return session.sessionId();
    }
}
