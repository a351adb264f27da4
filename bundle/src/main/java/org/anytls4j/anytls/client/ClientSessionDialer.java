package org.anytls4j.anytls.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.EventLoop;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.anytls4j.anytls.io.LoopIo;
import io.netty.util.concurrent.Future;
import org.anytls4j.anytls.client.pool.CloseCause;
import org.anytls4j.anytls.client.pool.SessionDialer;
import org.anytls4j.anytls.io.IoRuntime;
import org.anytls4j.anytls.padding.PaddingScheme;
import org.anytls4j.anytls.session.AnyTlsStream;
import org.anytls4j.anytls.session.ClientSessionConnector;
import org.anytls4j.anytls.session.ClientSessionHandler;
import org.anytls4j.anytls.session.ClientSessionListener;
import org.anytls4j.anytls.session.ClientSessionOptions;
import org.anytls4j.anytls.tls.CarrierTlsHandlers;
import org.anytls4j.anytls.wire.AuthBlock;
import org.anytls4j.transport.api.TransportException;
import org.anytls4j.transport.api.TransportException.Phase;
import org.anytls4j.transport.api.TransportException.Reason;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Dials sessions for the pool (TCP, TLS, authentication through a {@link ClientSessionConnector}) and tells the
 * pool when one of them dies. The only place where the client transport meets the session layer's connector and
 * listener.
 */
final class ClientSessionDialer implements SessionDialer<PooledClientSession> {
    private static final System.Logger LOG = System.getLogger(ClientSessionDialer.class.getName());

    private final ClientTransportOptions options;
    private final IoRuntime io;
    private final ClientSessionConnector connector;
    private final Clock wallClock;
    private final Map<ClientSessionHandler, PooledClientSession> sessions = new ConcurrentHashMap<>();
    private final BiConsumer<PooledClientSession, CloseCause> sessionClosed;

    /**
     * @param paddingScheme the scheme new sessions start with
     * @param schemePushed  called when a server pushes another scheme
     * @param sessionClosed called once for each dialled session that died, with the pool's view of why
     */
    ClientSessionDialer(ClientTransportOptions options, IoRuntime io, CarrierTlsHandlers tls,
                        Supplier<PaddingScheme> paddingScheme, Consumer<PaddingScheme> schemePushed,
                        BiConsumer<PooledClientSession, CloseCause> sessionClosed) {
        this.options = options;
        this.io = io;
        this.wallClock = options.wallClock();
        this.sessionClosed = sessionClosed;
        ClientSessionOptions sessionOptions = ClientSessionOptions.builder(options.name())
                .synackTimeout(options.synackTimeout())
                .earlyDataWindow(options.earlyDataWindow())
                .heartbeat(options.heartbeatInterval(), options.heartbeatTimeout())
                .paddingScheme(paddingScheme, schemePushed)
                .random(options.random())
                .build();
        this.connector = new ClientSessionConnector(
                new Bootstrap() /* channel type and resolver per dial: they depend on the loop */,
                options.server(), options.connectTimeout(),
                tls::newHandler,
                AuthBlock.passwordHash(options.password()), sessionOptions);
    }

    @Override
    public CompletionStage<PooledClientSession> dial(long sequence) {
        return dial(sequence, null);
    }

    /** @param placement the event loop the carrier should run on (loop affinity), or null for one of the transport's */
    @Override
    public CompletionStage<PooledClientSession> dial(long sequence, Object placement) {
        CompletableFuture<PooledClientSession> dialed = new CompletableFuture<>();
        EventLoop preferred = placement instanceof EventLoop ? (EventLoop) placement : null;
        Optional<LoopIo> placed = preferred == null ? Optional.empty() : io.ioFor(preferred);
        // The transport asks only for loops it can use; any other placement falls back to a loop of its own.
        EventLoop loop = placed.isPresent() ? preferred : io.group().next();
        LoopIo loopIo = placed.orElseGet(() -> io.ioFor(loop).orElseThrow());
        UnaryOperator<Bootstrap> forLoop =
                bootstrap -> bootstrap.channelFactory(loopIo.socketChannels()).resolver(loopIo.resolver());
        Future<ClientSessionHandler> connecting = connector.connect(loop, forLoop,
                options.name() + "#" + sequence, listener);
        connecting.addListener(done -> {
            if (!done.isSuccess()) {
                dialed.completeExceptionally(done.cause());
                return;
            }
            ClientSessionHandler handler = connecting.getNow();
            PooledClientSession session = new PooledClientSession(options.name(), handler, wallClock.instant());
            sessions.put(handler, session);
            if (handler.isOpen()) {
                LOG.log(System.Logger.Level.DEBUG, () -> "session " + handler.sessionId() + " to "
                        + options.server() + " opened");
                dialed.complete(session);
                return;
            }
            // Died between dial and hand-over (a rejected password does this): report why.
            sessions.remove(handler);
            dialed.completeExceptionally(handler.closeCause() != null ? handler.closeCause()
                    : new TransportException(Reason.SESSION_LOST, Phase.CARRIER_HANDSHAKE, options.name(),
                            "the session closed right after it was established", null));
        });
        return dialed;
    }

    private final ClientSessionListener listener = new ClientSessionListener() {
        @Override
        public void streamClosed(ClientSessionHandler session, AnyTlsStream stream) {
            // Leases are released by the stream's close future, which also runs for failed opens.
        }

        @Override
        public void sessionClosed(ClientSessionHandler session, TransportException cause) {
            LOG.log(System.Logger.Level.DEBUG,
                    () -> "session " + session.sessionId() + " closed: " + cause.getMessage());
            PooledClientSession pooled = sessions.remove(session);
            if (pooled != null) {
                sessionClosed.accept(pooled,
                        cause.reason() == Reason.SHUTDOWN ? CloseCause.SHUTDOWN : CloseCause.ERROR);
            }
        }
    };
}
