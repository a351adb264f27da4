package org.anytls4j.anytls.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import org.anytls4j.anytls.client.pool.CloseCause;
import org.anytls4j.anytls.client.pool.Lease;
import org.anytls4j.anytls.client.pool.PoolClock;
import org.anytls4j.anytls.client.pool.PoolException;
import org.anytls4j.anytls.client.pool.PoolOptions;
import org.anytls4j.anytls.client.pool.PoolScheduler;
import org.anytls4j.anytls.client.pool.PoolStats;
import org.anytls4j.anytls.client.pool.PooledSessionInfo;
import org.anytls4j.anytls.client.pool.SessionPool;
import org.anytls4j.anytls.io.IoRuntime;
import org.anytls4j.anytls.padding.PaddingRandom;
import org.anytls4j.anytls.padding.PaddingScheme;
import org.anytls4j.anytls.session.AnyTlsStream;
import org.anytls4j.anytls.session.ClientSessionConnector;
import org.anytls4j.anytls.session.ClientSessionHandler;
import org.anytls4j.anytls.session.ClientSessionListener;
import org.anytls4j.anytls.session.ClientSessionOptions;
import org.anytls4j.anytls.tls.ClientSslContexts;
import org.anytls4j.anytls.tls.ClientTlsOptions;
import org.anytls4j.anytls.wire.AuthBlock;
import org.anytls4j.anytls.wire.UdpOverTcp;
import org.anytls4j.transport.api.Capability;
import org.anytls4j.transport.api.FailureRecord;
import org.anytls4j.transport.api.Network;
import org.anytls4j.transport.api.OpenRequest;
import org.anytls4j.transport.api.SessionSnapshot;
import org.anytls4j.transport.api.TransportException;
import org.anytls4j.transport.api.TransportException.Phase;
import org.anytls4j.transport.api.TransportException.Reason;
import org.anytls4j.transport.api.TransportHealth;
import org.anytls4j.transport.api.TransportStats;
import org.anytls4j.transport.api.UdpMode;
import org.anytls4j.transport.api.netty.NettyOutboundTransport;
import org.anytls4j.transport.api.netty.TransportAttributes;

import javax.net.ssl.SSLException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * The AnyTLS outbound transport: streams and UDP flows over pooled AnyTLS sessions to one server.
 *
 * <p>Each {@link #open} takes the newest idle session of the pool or dials a new one (TCP, TLS, authentication),
 * opens a stream on it and completes once the server confirmed the connection to the destination (SYNACK, or at
 * once for v1 servers, which cannot confirm). When the stream closes, a healthy session goes back to the pool.
 * A UDP request opens a stream to the UDP-over-TCP v2 destination and carries {@code TransportDatagram}s.
 *
 * <p>Free of OSGi: the client component builds one per configuration with {@link #builder}; tools and tests do the
 * same. Thread-safe.
 */
public final class AnyTlsClientTransport implements NettyOutboundTransport, AutoCloseable {
    public static final String TYPE = "anytls";
    private static final Set<Network> NETWORKS = Collections.unmodifiableSet(EnumSet.of(Network.TCP, Network.UDP));
    private static final Set<Capability> CAPABILITIES = Collections.unmodifiableSet(EnumSet.of(
            Capability.CONNECT_CONFIRMATION, Capability.REMOTE_RESOLUTION, Capability.UDP_ASSOCIATION,
            Capability.UDP_OVER_STREAM, Capability.MULTIPLEXED));
    /** Consecutive upstream failures after which health is DOWN. */
    private static final int DOWN_AFTER_FAILURES = 3;

    private final String name;
    private final IoRuntime io;
    private final InetSocketAddress server;
    private final ClientSessionConnector connector;
    private final SessionPool<PooledClientSession> pool;
    private final Duration openTimeout;
    private final Clock wallClock;
    private final AtomicReference<PaddingScheme> paddingScheme;
    private final Map<ClientSessionHandler, PooledClientSession> sessions = new ConcurrentHashMap<>();
    private final Counters counters = new Counters();
    private final Instant since;
    private volatile boolean closed;
    private volatile boolean draining;
    private final CompletableFuture<Void> drained = new CompletableFuture<>();

    private AnyTlsClientTransport(Builder builder, SslContext sslContext) {
        this.name = builder.name;
        this.io = builder.io;
        this.server = builder.server;
        this.openTimeout = builder.openTimeout;
        this.wallClock = builder.wallClock;
        this.since = wallClock.instant();
        this.paddingScheme = new AtomicReference<>(builder.initialPaddingScheme);
        ClientSessionOptions sessionOptions = ClientSessionOptions.builder(name)
                .synackTimeout(builder.synackTimeout)
                .heartbeat(builder.heartbeatInterval, builder.heartbeatTimeout)
                .paddingScheme(paddingScheme::get, this::paddingSchemePushed)
                .random(builder.random)
                .build();
        ClientTlsOptions tls = builder.tls;
        this.connector = new ClientSessionConnector(
                new Bootstrap().channel(io.socketChannel()).resolver(io.resolver()),
                server, builder.connectTimeout,
                (alloc, host, port) -> ClientSslContexts.newHandler(sslContext, tls, alloc, host, port),
                AuthBlock.passwordHash(builder.password), sessionOptions);
        this.pool = new SessionPool<>(builder.poolOptions, this::dial, builder.poolClock, builder.poolScheduler);
        this.pool.start();
    }

    public static Builder builder(String name, IoRuntime io) {
        return new Builder(name, io);
    }

    // ---- control plane ----

    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Set<Network> networks() {
        return NETWORKS;
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    /** The AnyTLS server this transport talks to. */
    public InetSocketAddress server() {
        return server;
    }

    /** The scheme the next session pads with; the server replaces it when its md5 differs (§9.6). */
    public PaddingScheme paddingScheme() {
        return paddingScheme.get();
    }

    public PoolOptions poolOptions() {
        return pool.options();
    }

    /** Applies new pool options to the live pool; open streams are not touched. */
    public void updatePoolOptions(PoolOptions options) {
        pool.updateOptions(options);
    }

    public PoolStats poolStats() {
        return pool.stats();
    }

    @Override
    public TransportStats stats() {
        PoolStats poolStats = pool.stats();
        TransportStats.Builder stats = TransportStats.builder()
                .since(since)
                .opensAttempted(counters.attempted.sum())
                .opensSucceeded(counters.succeeded.sum())
                .opensFailed(counters.failed.sum())
                .streamsActive(counters.streamsActive.sum())
                .datagramFlowsActive(counters.flowsActive.sum())
                .pendingOpens(counters.pending.sum())
                .bytesOut(counters.bytesOut.sum())
                .bytesIn(counters.bytesIn.sum())
                .sessionsOpened(poolStats.sessionsCreated())
                .sessionsClosed(poolStats.totalSessionsClosed())
                .sessionsFailed(poolStats.sessionsClosed(CloseCause.ERROR))
                .sessionsActive(poolStats.activeSessions())
                .sessionsIdle(poolStats.idleSessions())
                .extra("anytls.sessions.reused", poolStats.leasesReused())
                .extra("anytls.sessions.closed.idleTimeout", poolStats.sessionsClosed(CloseCause.IDLE_TIMEOUT))
                .extra("anytls.sessions.closed.maxAge", poolStats.sessionsClosed(CloseCause.MAX_AGE))
                .extra("anytls.sessions.closed.shutdown", poolStats.sessionsClosed(CloseCause.SHUTDOWN))
                .extra("anytls.sessions.closed.error", poolStats.sessionsClosed(CloseCause.ERROR))
                .extra("anytls.padding.updates", counters.paddingUpdates.sum());
        for (Map.Entry<Reason, LongAdder> failure : counters.failuresByReason.entrySet()) {
            long count = failure.getValue().sum();
            if (count > 0) {
                stats.failures(failure.getKey(), count);
            }
        }
        Instant lastSuccess = counters.lastSuccess;
        if (lastSuccess != null) {
            stats.lastSuccess(lastSuccess);
        }
        FailureRecord lastFailure = counters.lastFailure;
        if (lastFailure != null) {
            stats.lastFailure(lastFailure);
        }
        return stats.build();
    }

    @Override
    public TransportHealth health() {
        Instant changed = counters.healthSince;
        if (changed == null) {
            return TransportHealth.unknown();
        }
        int failures = counters.consecutiveUpstreamFailures;
        FailureRecord lastFailure = counters.lastFailure;
        TransportHealth.State state = failures >= DOWN_AFTER_FAILURES ? TransportHealth.State.DOWN
                : failures > 0 ? TransportHealth.State.DEGRADED : TransportHealth.State.UP;
        TransportHealth.Builder health = TransportHealth.builder(state, changed).consecutiveFailures(failures);
        if (lastFailure != null && failures > 0) {
            health.lastFailureReason(lastFailure.reason()).detail(lastFailure.message());
        }
        return health.build();
    }

    @Override
    public List<SessionSnapshot> sessions() {
        List<SessionSnapshot> snapshots = new ArrayList<>();
        for (PooledSessionInfo<PooledClientSession> info : pool.snapshot()) {
            PooledClientSession session = info.session();
            SessionSnapshot.Builder snapshot = SessionSnapshot.builder(session.handler().sessionId(), server,
                            session.created())
                    .activeStreams(session.handler().activeStreamCount())
                    .streamsServed(session.streamsCarried.get())
                    .bytesOut(session.bytesOut.get())
                    .bytesIn(session.bytesIn.get())
                    .peerVersion(session.handler().peerVersion())
                    .paddingSchemeMd5(paddingScheme().md5Hex());
            if (!info.leased()) {
                snapshot.idleSince(session.idleSince);
            }
            snapshots.add(snapshot.build());
        }
        return snapshots;
    }

    // ---- data plane ----

    @Override
    public Future<Channel> open(OpenRequest request, ChannelHandler handler, EventLoop preferredLoop) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(handler, "handler");
        EventLoop loop = preferredLoop != null ? preferredLoop : io.group().next();
        Promise<Channel> result = loop.newPromise();
        counters.attempted.increment();
        counters.pending.increment();
        result.addListener(done -> {
            counters.pending.decrement();
            finishDrainIfIdle();
        });
        if (closed) {
            fail(result, new TransportException(Reason.SHUTDOWN, Phase.QUEUE, name, "the transport is closed", null));
            return result;
        }
        boolean udp = request.network() == Network.UDP;
        if (udp) {
            TransportException unsendable = checkUdpDestination(request);
            if (unsendable != null) {
                fail(result, unsendable);
                return result;
            }
        }
        InetSocketAddress target = udp ? UdpOverTcp.V2_DESTINATION : request.destination().toSocketAddress();
        ChannelHandler streamHandler = new StreamInitializer(request, handler);
        long timeoutNanos = request.openTimeout().orElse(openTimeout).toNanos();
        pool.acquire().whenComplete((lease, error) -> {
            if (error != null) {
                fail(result, poolFailure(error));
                return;
            }
            if (result.isDone()) {
                lease.release(true); // cancelled while we waited for a session
                return;
            }
            openOnSession(request, lease, target, streamHandler, udp, timeoutNanos, result);
        });
        return result;
    }

    private void openOnSession(OpenRequest request, Lease<PooledClientSession> lease, InetSocketAddress target,
                               ChannelHandler streamHandler, boolean udp, long timeoutNanos, Promise<Channel> result) {
        PooledClientSession session = lease.session();
        // The UoT request header leaves with the open, not lazily with the first datagram as the reference client
        // does: a server that waits for the header before its SYNACK then still answers at once, so a quiet flow
        // never trips the SYNACK watchdog of a reused session (golden udp-reused-late). Checked in open().
        ByteBuf udpRequest = udp ? udpRequestHeader(request) : null;
        Future<AnyTlsStream> opening = session.handler().openStream(target, streamHandler, udpRequest,
                lease.reused(), java.time.Duration.ofNanos(timeoutNanos));
        result.addListener(done -> {
            if (done.isCancelled()) {
                opening.cancel(false);
            }
        });
        opening.addListener(done -> {
            if (!done.isSuccess()) {
                lease.release(session.isUsable());
                fail(result, asTransportException(done.cause()));
                return;
            }
            AnyTlsStream stream = opening.getNow();
            session.streamsCarried.incrementAndGet();
            (udp ? counters.flowsActive : counters.streamsActive).increment();
            stream.closeFuture().addListener(closed -> {
                (udp ? counters.flowsActive : counters.streamsActive).decrement();
                finishDrainIfIdle();
                counters.bytesOut.add(stream.bytesWritten());
                counters.bytesIn.add(stream.bytesRead());
                session.bytesOut.addAndGet(stream.bytesWritten());
                session.bytesIn.addAndGet(stream.bytesRead());
                session.idleSince = wallClock.instant();
                lease.release(session.isUsable());
            });
            // Count before completing: whoever waits on the future must see the counters already updated.
            if (result.setUncancellable()) {
                succeeded();
                result.trySuccess(stream);
            } else {
                stream.close();
            }
        });
    }

    /** Refuses a UDP destination the request header cannot carry before any session is taken for it. */
    private TransportException checkUdpDestination(OpenRequest request) {
        try {
            UdpOverTcp.requestLength(request.destination().toSocketAddress());
            return null;
        } catch (IllegalArgumentException e) {
            return new TransportException(Reason.ADDRESS_UNSUPPORTED, Phase.STREAM_OPEN, name,
                    "cannot send UDP destination " + request.destination() + ": " + e.getMessage(), e);
        }
    }

    private static ByteBuf udpRequestHeader(OpenRequest request) {
        InetSocketAddress destination = request.destination().toSocketAddress();
        ByteBuf header = ByteBufAllocator.DEFAULT.buffer(UdpOverTcp.requestLength(destination));
        UdpOverTcp.encodeRequest(header, request.udpMode() == UdpMode.CONNECTED, destination);
        return header;
    }

    private CompletableFuture<PooledClientSession> dial(long sequence) {
        CompletableFuture<PooledClientSession> dialed = new CompletableFuture<>();
        Future<ClientSessionHandler> connecting = connector.connect(io.group().next(), name + "#" + sequence,
                listener);
        connecting.addListener(done -> {
            if (done.isSuccess()) {
                ClientSessionHandler handler = connecting.getNow();
                PooledClientSession session = new PooledClientSession(name, handler, wallClock.instant());
                sessions.put(handler, session);
                if (handler.isOpen()) {
                    dialed.complete(session);
                } else {
                    // Died between dial and hand-over (a rejected password does this): report why.
                    sessions.remove(handler);
                    dialed.completeExceptionally(handler.closeCause() != null ? handler.closeCause()
                            : new TransportException(Reason.SESSION_LOST, Phase.CARRIER_HANDSHAKE, name,
                                    "the session closed right after it was established", null));
                }
            } else {
                dialed.completeExceptionally(done.cause());
            }
        });
        return dialed;
    }

    private final ClientSessionListener listener = new ClientSessionListener() {
        @Override
        public void streamClosed(ClientSessionHandler session, AnyTlsStream stream) {
            // The lease is released by the stream's close future, which also runs for failed opens.
        }

        @Override
        public void sessionClosed(ClientSessionHandler session, TransportException cause) {
            PooledClientSession pooled = sessions.remove(session);
            if (pooled != null) {
                pool.sessionClosed(pooled, cause.reason() == Reason.SHUTDOWN ? CloseCause.SHUTDOWN : CloseCause.ERROR);
            }
        }
    };

    private void paddingSchemePushed(PaddingScheme scheme) {
        counters.paddingUpdates.increment();
        paddingScheme.set(scheme);
    }

    private TransportException poolFailure(Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        if (cause instanceof PoolException) {
            PoolException poolError = (PoolException) cause;
            switch (poolError.kind()) {
                case EXHAUSTED:
                    return new TransportException(Reason.RESOURCE_EXHAUSTED, Phase.QUEUE, name,
                            poolError.getMessage(), poolError);
                case SHUT_DOWN:
                    return new TransportException(Reason.SHUTDOWN, Phase.QUEUE, name, poolError.getMessage(),
                            poolError);
                default:
                    if (poolError.getCause() instanceof TransportException) {
                        return (TransportException) poolError.getCause();
                    }
                    return asTransportException(poolError.getCause() != null ? poolError.getCause() : poolError);
            }
        }
        return asTransportException(cause);
    }

    private TransportException asTransportException(Throwable cause) {
        if (cause instanceof TransportException) {
            return (TransportException) cause;
        }
        if (cause instanceof java.util.concurrent.CancellationException) {
            return new TransportException(Reason.CANCELLED, Phase.STREAM_OPEN, name, "the open was cancelled", cause);
        }
        return new TransportException(Reason.INTERNAL, Phase.STREAM_OPEN, name, String.valueOf(cause), cause);
    }

    private void fail(Promise<Channel> result, TransportException cause) {
        // Count before completing: whoever waits on the future must see the counters already updated.
        if (result.setUncancellable()) {
            counters.failed(cause, wallClock.instant());
            result.tryFailure(cause);
        }
    }

    private void succeeded() {
        counters.succeeded(wallClock.instant());
    }

    /**
     * Stops reusing sessions and closes this transport once its last stream ended: streams already open finish
     * undisturbed. Used when a configuration change replaces the transport.
     *
     * @return completes when the transport closed
     */
    public CompletableFuture<Void> drain() {
        draining = true;
        PoolOptions current = pool.options();
        pool.updateOptions(current.toBuilder().warmIdleSessions(false).disableReuse(true).build());
        finishDrainIfIdle();
        return drained;
    }

    private void finishDrainIfIdle() {
        if (draining && counters.streamsActive.sum() + counters.flowsActive.sum() + counters.pending.sum() == 0) {
            close();
        }
    }

    /** Closes every session and fails opens still waiting; safe to call twice. */
    @Override
    public void close() {
        closed = true;
        pool.close();
        drained.complete(null);
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return "AnyTlsClientTransport[" + name + " -> " + server.getHostString() + ":" + server.getPort() + "]";
    }

    /** Sets the SPI attributes before the host's handler runs, and wraps UDP flows in the datagram codec. */
    private final class StreamInitializer extends ChannelInitializer<Channel> {
        private final OpenRequest request;
        private final ChannelHandler handler;

        StreamInitializer(OpenRequest request, ChannelHandler handler) {
            this.request = request;
            this.handler = handler;
        }

        @Override
        protected void initChannel(Channel stream) {
            stream.attr(TransportAttributes.REQUEST).set(request);
            stream.attr(TransportAttributes.UPSTREAM).set(server);
            stream.attr(TransportAttributes.SESSION_ID).set(((AnyTlsStream) stream).sessionId());
            stream.attr(TransportAttributes.CHAIN).set(List.of(name));
            if (request.network() == Network.UDP) {
                stream.pipeline().addLast("uot", new UdpOverTcpClientCodec(request.udpMode(), request.destination()));
            }
            stream.pipeline().addLast(handler);
        }
    }

    /** Counters behind {@link #stats()} and {@link #health()}. */
    private static final class Counters {
        final LongAdder attempted = new LongAdder();
        final LongAdder succeeded = new LongAdder();
        final LongAdder failed = new LongAdder();
        final LongAdder pending = new LongAdder();
        final LongAdder streamsActive = new LongAdder();
        final LongAdder flowsActive = new LongAdder();
        final LongAdder bytesOut = new LongAdder();
        final LongAdder bytesIn = new LongAdder();
        final LongAdder paddingUpdates = new LongAdder();
        final Map<Reason, LongAdder> failuresByReason = new EnumMap<>(Reason.class);
        volatile Instant lastSuccess;
        volatile FailureRecord lastFailure;
        volatile Instant healthSince;
        volatile int consecutiveUpstreamFailures;

        Counters() {
            for (Reason reason : Reason.values()) {
                failuresByReason.put(reason, new LongAdder());
            }
        }

        synchronized void succeeded(Instant now) {
            succeeded.increment();
            lastSuccess = now;
            if (healthSince == null || consecutiveUpstreamFailures > 0) {
                healthSince = now;
            }
            consecutiveUpstreamFailures = 0;
        }

        synchronized void failed(TransportException cause, Instant now) {
            failed.increment();
            failuresByReason.get(cause.reason()).increment();
            lastFailure = FailureRecord.of(now, cause);
            if (isUpstreamFailure(cause.reason())) {
                if (consecutiveUpstreamFailures == 0 || healthSince == null) {
                    healthSince = now;
                }
                consecutiveUpstreamFailures++;
            }
        }

        private static boolean isUpstreamFailure(Reason reason) {
            switch (reason) {
                case UPSTREAM_UNREACHABLE:
                case UPSTREAM_TLS:
                case UPSTREAM_AUTH:
                case UPSTREAM_PROTOCOL:
                case SESSION_LOST:
                    return true;
                default:
                    return false;
            }
        }
    }

    /** Everything a transport is made of; the client component fills it from its configuration. */
    public static final class Builder {
        private final String name;
        private final IoRuntime io;
        private InetSocketAddress server;
        private String password;
        private ClientTlsOptions tls = ClientTlsOptions.defaults();
        private PoolOptions poolOptions = PoolOptions.defaults();
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration synackTimeout = Duration.ofSeconds(3);
        private Duration heartbeatInterval = Duration.ZERO;
        private Duration heartbeatTimeout = Duration.ofSeconds(10);
        private Duration openTimeout = Duration.ofSeconds(15);
        private PaddingScheme initialPaddingScheme = PaddingScheme.DEFAULT;
        private PaddingRandom random = PaddingRandom.secure();
        private PoolClock poolClock = PoolClock.system();
        private PoolScheduler poolScheduler;
        private Clock wallClock = Clock.systemUTC();

        private Builder(String name, IoRuntime io) {
            this.name = Objects.requireNonNull(name, "name");
            this.io = Objects.requireNonNull(io, "io");
        }

        /** The AnyTLS server; a host name is resolved when a session is dialled, never here. */
        public Builder server(String host, int port) {
            this.server = InetSocketAddress.createUnresolved(host, port);
            return this;
        }

        public Builder password(String password) {
            this.password = password;
            return this;
        }

        public Builder tls(ClientTlsOptions tls) {
            this.tls = tls;
            return this;
        }

        public Builder pool(PoolOptions options) {
            this.poolOptions = options;
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        public Builder synackTimeout(Duration timeout) {
            this.synackTimeout = timeout;
            return this;
        }

        public Builder heartbeat(Duration interval, Duration timeout) {
            this.heartbeatInterval = interval;
            this.heartbeatTimeout = timeout;
            return this;
        }

        /** How long an open may take when the request sets no timeout of its own. */
        public Builder openTimeout(Duration timeout) {
            this.openTimeout = timeout;
            return this;
        }

        /** The scheme of the first session (a server may push another, §9.6). */
        public Builder paddingScheme(PaddingScheme scheme) {
            this.initialPaddingScheme = scheme;
            return this;
        }

        public Builder random(PaddingRandom random) {
            this.random = random;
            return this;
        }

        /** Time for the pool; tests drive it by hand. */
        public Builder poolTime(PoolClock clock, PoolScheduler scheduler) {
            this.poolClock = clock;
            this.poolScheduler = scheduler;
            return this;
        }

        public Builder wallClock(Clock clock) {
            this.wallClock = clock;
            return this;
        }

        /**
         * @throws IllegalArgumentException when the server or password is missing or the TLS settings cannot be
         *                                  turned into a TLS context (a trusted certificate that does not load)
         */
        public AnyTlsClientTransport build() {
            if (server == null) {
                throw new IllegalArgumentException("transport '" + name + "' needs a server");
            }
            if (password == null || password.isEmpty()) {
                throw new IllegalArgumentException("transport '" + name + "' needs a password");
            }
            if (poolScheduler == null) {
                poolScheduler = PoolScheduler.of(io.group().next());
            }
            SslContext sslContext;
            try {
                sslContext = ClientSslContexts.create(tls);
            } catch (SSLException e) {
                throw new IllegalArgumentException("transport '" + name + "': cannot set up TLS: " + e.getMessage(), e);
            }
            return new AnyTlsClientTransport(this, sslContext);
        }
    }
}
