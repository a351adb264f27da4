package org.anytls4j.anytls.client;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import org.anytls4j.anytls.client.pool.CloseCause;
import org.anytls4j.anytls.client.pool.Lease;
import org.anytls4j.anytls.client.pool.PoolOptions;
import org.anytls4j.anytls.client.pool.PoolScheduler;
import org.anytls4j.anytls.client.pool.PoolStats;
import org.anytls4j.anytls.client.pool.PooledSessionInfo;
import org.anytls4j.anytls.client.pool.SessionPool;
import org.anytls4j.anytls.io.IoRuntime;
import org.anytls4j.anytls.padding.PaddingScheme;
import org.anytls4j.anytls.session.AnyTlsStream;
import org.anytls4j.anytls.tls.CarrierTlsHandlers;
import org.anytls4j.anytls.wire.UdpOverTcp;
import org.anytls4j.transport.api.Capability;
import org.anytls4j.transport.api.Network;
import org.anytls4j.transport.api.OpenRequest;
import org.anytls4j.transport.api.SessionSnapshot;
import org.anytls4j.transport.api.TransportException;
import org.anytls4j.transport.api.TransportHealth;
import org.anytls4j.transport.api.TransportStats;
import org.anytls4j.transport.api.netty.NettyOutboundTransport;

import javax.net.ssl.SSLException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The AnyTLS outbound transport: streams and UDP flows over pooled AnyTLS sessions to one server.
 *
 * <p>Each {@link #open} takes the newest idle session of the pool or dials a new one (TCP, TLS, authentication),
 * opens a stream on it and completes once the server confirmed the connection to the destination (SYNACK, or at
 * once for v1 servers, which cannot confirm). An early-data request ({@link OpenRequest#earlyData()}) on a session
 * dialled for it, or on a reused one that heard from the server within {@code earlyDataWindow}, completes as soon as
 * its SYN and address are sent (they do not wait for the first bytes); on a reused session quiet for longer
 * it waits for the SYNACK like any other, so that it can still move if the session turns out dead (below). The request's open timeout bounds all of it, the dial included; a session dialled for an open that
 * timed out goes to the pool like any other. When the stream's writes end (it closed, or the host half-closed it),
 * a healthy session goes back to the pool while the stream may still receive.
 *
 * <p>With a preferred event loop that its I/O can register on (a loop of its own group, or any NIO loop, such as a
 * host's) the stream runs on that loop when it can: on an idle session whose carrier runs there, else on the newest
 * idle session of another loop (reuse beats a new handshake), else on a session dialled there
 * ({@code LOOP_AFFINITY}); other preferred loops are a hint only. A UDP request opens a stream to the UDP-over-TCP
 * v2 destination and carries {@code TransportDatagram}s.
 *
 * <p><b>A dead pooled session costs at most one SYNACK timeout.</b> A reused session may have died silently (a NAT
 * forgot it, a laptop slept). On a v2 server, an open that hears nothing for a quarter of {@code synackTimeout} sends a
 * HeartRequest, and if nothing at all comes back within {@code synackTimeout} the session is closed; if it closes for any reason before the SYNACK, likewise. The
 * open then moves to a newly dialled session within what is left of its open timeout, and every session that was
 * idle when the dead one was taken is retired with it. So the worst-case extra delay of an open is
 * {@code synackTimeout} plus one new session (connect, TLS handshake, authentication), and only the first open after
 * the loss pays it. Nothing is retried once the application has the channel, nor on a session dialled for the open
 * (that failure is real), nor on a v1 server, which confirms nothing. The host's handler joins the stream only when
 * it is confirmed, so a retried open never touched it.
 *
 * <p>Free of OSGi: built from {@link ClientTransportOptions}. Thread-safe.
 */
public final class AnyTlsClientTransport implements NettyOutboundTransport, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(AnyTlsClientTransport.class.getName());
    public static final String TYPE = "anytls";
    private static final Set<Network> NETWORKS = Collections.unmodifiableSet(EnumSet.of(Network.TCP, Network.UDP));
    private static final Set<Capability> CAPABILITIES = Collections.unmodifiableSet(EnumSet.of(
            Capability.CONNECT_CONFIRMATION, Capability.REMOTE_RESOLUTION, Capability.UDP_ASSOCIATION,
            Capability.UDP_OVER_STREAM, Capability.MULTIPLEXED, Capability.EARLY_DATA, Capability.LOOP_AFFINITY));

    private final ClientTransportOptions options;
    private final IoRuntime io;
    private final OpenFailures failures;
    private final ClientCounters counters;
    private final AtomicReference<PaddingScheme> paddingScheme;
    private final SessionPool<PooledClientSession> pool;
    private final TransportDrain drain = new TransportDrain(this::close);
    private volatile boolean closed;
    /** The version the server announced on the last confirmed open; 0 before one. */
    private volatile int serverVersion;

    private AnyTlsClientTransport(ClientTransportOptions options, IoRuntime io, CarrierTlsHandlers tls,
                                  ClientCounters counters) {
        this.options = options;
        this.io = io;
        this.failures = new OpenFailures(options.name());
        this.counters = counters;
        this.paddingScheme = new AtomicReference<>(options.paddingScheme());
        ClientSessionDialer dialer = new ClientSessionDialer(options, io, tls, paddingScheme::get,
                this::paddingSchemePushed, this::sessionClosed);
        PoolScheduler scheduler = options.poolScheduler() != null ? options.poolScheduler()
                : PoolScheduler.of(io.group().next());
        this.pool = new SessionPool<>(options.pool(), dialer, options.poolClock(), scheduler);
        this.pool.start();
    }

    /** Options with defaults; their {@code build()} makes the transport. */
    public static ClientTransportOptions.Builder builder(String name, IoRuntime io) {
        return ClientTransportOptions.builder(name, io);
    }

    /**
     * @throws IllegalArgumentException when the TLS settings cannot be turned into a TLS context (a trusted
     *                                  certificate that does not load)
     */
    public static AnyTlsClientTransport create(ClientTransportOptions options, IoRuntime io) {
        return create(options, io, new ClientCounters(options.wallClock()));
    }

    /** A transport that counts into {@code counters}: those of the transport it replaces. */
    static AnyTlsClientTransport create(ClientTransportOptions options, IoRuntime io, ClientCounters counters) {
        Objects.requireNonNull(io, "io");
        CarrierTlsHandlers tls;
        try {
            tls = CarrierTlsHandlers.create(options.tls());
        } catch (SSLException e) {
            throw new IllegalArgumentException("transport '" + options.name() + "': cannot set up TLS: "
                    + e.getMessage(), e);
        }
        return new AnyTlsClientTransport(options, io, tls, counters);
    }

    // ---- control plane ----

    @Override
    public String name() {
        return options.name();
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

    public ClientTransportOptions options() {
        return options;
    }

    /** The AnyTLS server this transport talks to. */
    public InetSocketAddress server() {
        return options.server();
    }

    /** The scheme the next session pads with; the server replaces it when its md5 differs (§9.6). */
    public PaddingScheme paddingScheme() {
        return paddingScheme.get();
    }

    public PoolOptions poolOptions() {
        return pool.options();
    }

    /** Applies new pool options to the live pool; open streams are not touched. */
    public void updatePoolOptions(PoolOptions next) {
        pool.updateOptions(next);
    }

    public PoolStats poolStats() {
        return pool.stats();
    }

    ClientCounters counters() {
        return counters;
    }

    @Override
    public TransportStats stats() {
        return counters.stats(List.of(pool.stats()));
    }

    @Override
    public TransportHealth health() {
        return counters.opens.health();
    }

    @Override
    public List<SessionSnapshot> sessions() {
        List<SessionSnapshot> snapshots = new ArrayList<>();
        for (PooledSessionInfo<PooledClientSession> info : pool.snapshot()) {
            snapshots.add(info.session().snapshot(options.server(), info.leased(), paddingScheme().md5Hex()));
        }
        return snapshots;
    }

    // ---- data plane ----

    @Override
    public Future<Channel> open(OpenRequest request, ChannelHandler handler, EventLoop preferredLoop) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(handler, "handler");
        counters.opens.attempted();
        drain.taken();
        EventLoop loop = preferredLoop != null ? preferredLoop : io.group().next();
        if (closed || loop.isShuttingDown()) {
            TransportException cause = failures.closed();
            counters.opens.failed(cause);
            drain.ended();
            return OpenFailures.onRunningExecutor(preferredLoop, cause);
        }
        Promise<Channel> result = loop.newPromise();
        boolean udp = request.network() == Network.UDP;
        TransportException unsendable = udp ? UdpRequestHeader.unsendable(request, name()) : null;
        if (unsendable != null) {
            fail(result, unsendable);
            return result;
        }
        Duration timeout = request.openTimeout().orElse(options.openTimeout());
        // Loop affinity only where this transport's I/O can register on the host's loop; a hint otherwise.
        EventLoop placement = preferredLoop != null && io.ioFor(preferredLoop).isPresent() ? preferredLoop : null;
        ClientOpen open = new ClientOpen(request, handler, udp, placement, timeout,
                System.nanoTime() + timeout.toNanos(), result);
        ScheduledFuture<?> timer = loop.schedule(() -> fail(result, failures.timedOut(timeout, open.leased)),
                timeout.toNanos(), TimeUnit.NANOSECONDS);
        result.addListener(done -> {
            timer.cancel(false);
            if (done.isCancelled()) { // by the caller: fail() never ran for it
                counters.opens.failed(failures.from(done.cause()));
                drain.ended();
            }
        });
        acquire(open, false);
        // Closed as this open began (the pool refused it): a stopped loop's failed promise tells no listener.
        return result.isDone() && loop.isShuttingDown() ? OpenFailures.onRunningExecutor(preferredLoop, result.cause())
                : result;
    }

    /**
     * Leases a session for {@code open}: any fit one, or ({@code fresh}) a newly dialled one. With loop affinity
     * ({@link ClientOpen#placement}) only a session whose carrier runs on the host's loop is taken, or one is dialled
     * there, so that the stream's events and the host's channel share one thread and relayed chunks never cross
     * threads.
     */
    private void acquire(ClientOpen open, boolean fresh) {
        Promise<Channel> result = open.result;
        EventLoop placement = open.placement;
        CompletionStage<Lease<PooledClientSession>> leasing = fresh ? pool.acquireFresh()
                : placement != null ? pool.acquire(session -> session.eventLoop() == placement, placement)
                : pool.acquire();
        leasing.whenComplete((lease, error) -> {
            if (error != null) {
                fail(result, failures.fromPool(error));
                return;
            }
            long remaining = open.deadlineNanos - System.nanoTime();
            if (result.isDone() || remaining <= 0) {
                // Timed out or cancelled while the session was dialled: the session serves the next open.
                lease.release(true);
                fail(result, failures.timedOut(open.timeout, false));
                return;
            }
            open.leased = true;
            openOnSession(open, lease, Duration.ofNanos(remaining));
        });
    }

    private void openOnSession(ClientOpen open, Lease<PooledClientSession> lease, Duration remaining) {
        OpenRequest request = open.request;
        Promise<Channel> result = open.result;
        boolean udp = open.udp;
        PooledClientSession session = lease.session();
        InetSocketAddress target = udp ? UdpOverTcp.V2_DESTINATION : request.destination().toSocketAddress();
        ByteBuf udpRequest = udp ? UdpRequestHeader.encode(request) : null;
        session.expectPeerVersion(serverVersion);
        StreamInitializer initializer = new StreamInitializer(request, open.handler, session.id(), name(),
                options.server());
        boolean earlyData = request.earlyData() && !udp;
        Future<AnyTlsStream> opening = session.openStream(target, initializer, udpRequest, lease.reused(), remaining,
                earlyData);
        result.addListener(done -> {
            if (!done.isSuccess()) {
                opening.cancel(false); // cancelled or timed out by the transport: the session drops the open
            }
        });
        opening.addListener(done -> {
            if (!done.isSuccess()) {
                boolean sessionDied = !session.isUsable();
                lease.release(!sessionDied);
                if (sessionDied && lease.reused() && !result.isDone() && !closed) {
                    retryOnFreshSession(open, lease, done.cause());
                    return;
                }
                fail(result, failures.from(done.cause()));
                return;
            }
            AnyTlsStream stream = opening.getNow();
            if (session.peerVersion() > 0) { // on the session's loop, where the version is written
                serverVersion = session.peerVersion();
            }
            session.streamsCarried.incrementAndGet();
            // Count before completing: whoever waits on the future must see the counters already updated.
            if (!result.setUncancellable()) {
                // Timed out or cancelled meanwhile, and counted so: give the stream back.
                stream.closeFuture().addListener(closed -> lease.release(session.isUsable()));
                stream.close();
                return;
            }
            counters.opens.succeeded(udp);
            // The session serves the next stream as soon as this one's writes ended (a host half-closed it): the
            // reply may still be arriving, which needs no lease, only the open session.
            stream.writesEnded().addListener(ended -> {
                session.idleSince = options.wallClock().instant();
                lease.release(session.isUsable());
            });
            stream.closeFuture().addListener(closed -> {
                counters.opens.bytesOut(stream.bytesWritten());
                counters.opens.bytesIn(stream.bytesRead());
                session.bytesOut.addAndGet(stream.bytesWritten());
                session.bytesIn.addAndGet(stream.bytesRead());
                counters.opens.closed(udp);
                drain.ended();
            });
            result.trySuccess(stream);
        });
    }

    /**
     * The reused session of {@code dead} died before it confirmed the open (its SYNACK watchdog fired, or it closed):
     * nothing reached the application yet, so the open moves to a newly dialled session within what is left of its
     * open timeout. Idle sessions that sat through the same quiet spell are retired with it, so the next opens do not
     * each wait out a SYNACK timeout. An open on a fresh session is never retried: its failure is real.
     */
    private void retryOnFreshSession(ClientOpen open, Lease<PooledClientSession> dead, Throwable why) {
        int retired = pool.retireIdleAlongside(dead);
        counters.deadSessionRetries.increment();
        LOG.log(System.Logger.Level.DEBUG, "transport {0}: reused session {1} died before confirming an open ({2});"
                + " retrying on a fresh session, {3} idle session(s) retired with it", name(), dead.session(),
                why.getMessage(), retired);
        open.leased = false; // until the fresh session is there, a timeout is one of finding a session
        acquire(open, true);
    }

    /** Fails the open unless it is already done, counting it first: a host that reads the stats then finds it. */
    private void fail(Promise<Channel> result, TransportException cause) {
        if (result.setUncancellable()) {
            counters.opens.failed(cause);
            result.tryFailure(cause);
            drain.ended();
        }
    }

    private void sessionClosed(PooledClientSession session, CloseCause cause) {
        pool.sessionClosed(session, cause);
    }

    private void paddingSchemePushed(PaddingScheme scheme) {
        counters.paddingUpdates.increment();
        paddingScheme.set(scheme);
    }

    /**
     * Stops reusing sessions and closes this transport once its last open ended: streams already open finish
     * undisturbed. Used when a configuration change replaces the transport.
     *
     * @return completes when the transport closed
     */
    public CompletableFuture<Void> drain() {
        pool.updateOptions(pool.options().toBuilder().warmIdleSessions(false).disableReuse(true).build());
        return drain.start();
    }

    /** Closes every session and fails opens still waiting; safe to call twice. */
    @Override
    public void close() {
        closed = true;
        pool.close();
        drain.closed();
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return "AnyTlsClientTransport[" + name() + " -> " + options.server().getHostString() + ":"
                + options.server().getPort() + "]";
    }
}
