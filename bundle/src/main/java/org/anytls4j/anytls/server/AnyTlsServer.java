package org.anytls4j.anytls.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.anytls4j.common.channel.BulkSockets;
import org.anytls4j.anytls.io.IoRuntime;
import org.anytls4j.anytls.padding.PaddingScheme;
import org.anytls4j.anytls.session.FallbackHandler;
import org.anytls4j.anytls.session.ServerAuthHandler;
import org.anytls4j.anytls.session.ServerSessionHandler;
import org.anytls4j.anytls.session.ServerSessionOptions;
import org.anytls4j.anytls.session.ServerUsers;
import org.anytls4j.transport.api.server.UserActivity;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * An AnyTLS server (inbound): TLS, authentication with optional fallback, sessions, and one outbound TCP connection
 * per stream, relayed both ways. Free of OSGi; the server component configures and runs one per configuration.
 *
 * <p>Its configuration can be replaced while it runs ({@link #reconfigure}): every new connection, session and
 * stream reads the configuration current at that moment, so open sessions keep what they started with.
 */
public final class AnyTlsServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(AnyTlsServer.class.getName());

    private volatile Builder config;
    private final ServerActivity activity;
    private final Instant since = Instant.now();
    private final ChannelGroup connections = new DefaultChannelGroup("anytls-server", GlobalEventExecutor.INSTANCE);
    private final AtomicLong sessionIds = new AtomicLong();
    /** The latest bind attempt; its channel is the listener once it succeeded. */
    private volatile ChannelFuture binding;
    private volatile boolean closed;

    private AnyTlsServer(Builder builder) {
        this.config = builder;
        this.activity = new ServerActivity(builder.name);
    }

    public static Builder builder(String name, IoRuntime io, Supplier<SslContext> tls, ServerUsers users) {
        return new Builder(name, io, tls, users);
    }

    /**
     * Binds the listener; the future's channel tells the bound address (port 0 picks a free port). A failed bind
     * may be retried by calling this again. A bind that completes after {@link #close(Duration)} closes its
     * listener at once, so a server closed while binding never ends up listening.
     */
    public ChannelFuture start() {
        ChannelFuture bound = bindListener(config.bindAddress);
        binding = bound;
        // close() writes `closed` then reads `binding`; we wrote `binding` and now read `closed`: with both
        // volatile, at least one side sees the other, so a racing close never leaves a listener open.
        if (closed) {
            bound.channel().close();
        }
        return bound;
    }

    /**
     * Listens on {@code address} and, once that bind succeeded, closes the previous listener; if the bind fails the
     * previous listener stays. Open connections are not affected either way.
     */
    public ChannelFuture moveTo(SocketAddress address) {
        ChannelFuture next = bindListener(address);
        ChannelPromise moved = next.channel().newPromise();
        next.addListener((ChannelFuture done) -> {
            if (!done.isSuccess()) {
                moved.setFailure(done.cause());
                return;
            }
            ChannelFuture previous = binding;
            binding = next;
            if (closed) {
                next.channel().close();
            }
            if (previous == null) {
                moved.setSuccess();
                return;
            }
            // Completes once the old listener is closed, so that no connection reaches it afterwards.
            previous.channel().close().addListener(closedOld -> moved.setSuccess());
        });
        return moved;
    }

    private ChannelFuture bindListener(SocketAddress address) {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(config.io.group())
                .channel(config.io.serverSocketChannel())
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, BulkSockets.receiveBuffers())
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, BulkSockets.writeWaterMark())
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        activity.connectionAccepted();
                        connections.add(channel);
                        if (closed) {
                            channel.close(); // accepted while the listener was closing
                            return;
                        }
                        Builder current = config;
                        SslHandler tls = current.tls.get().newHandler(channel.alloc());
                        tls.setHandshakeTimeoutMillis(current.handshakeTimeout.toMillis());
                        channel.pipeline().addLast("tls", tls);
                        channel.pipeline().addLast("auth", new ServerAuthHandler(current.users,
                                current.authTimeout, current.fallback, user -> newSession(current, user), activity));
                    }
                });
        ChannelFuture bound = bootstrap.bind(address);
        bound.addListener((ChannelFuture done) -> {
            if (done.isSuccess()) {
                LOG.log(System.Logger.Level.INFO, "AnyTLS server {0} listening on {1}", config.name,
                        done.channel().localAddress());
            }
        });
        return bound;
    }

    private ServerSessionHandler newSession(Builder config, String user) {
        ServerSessionOptions options = ServerSessionOptions.builder(config.name, () -> newStreamHandler(config))
                .paddingScheme(config.paddingScheme)
                .maxStreamsPerSession(config.maxStreamsPerSession)
                .idleSessionTimeout(config.idleSessionTimeout)
                .build();
        String sessionId = config.name + "-" + sessionIds.incrementAndGet();
        ServerSessionHandler session = new ServerSessionHandler(sessionId, user, options, activity);
        activity.sessionOpened(session);
        return session;
    }

    private ServerStreamHandler newStreamHandler(Builder config) {
        Bootstrap outbound = new Bootstrap()
                .channel(config.io.socketChannel())
                .resolver(config.io.resolver())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.RCVBUF_ALLOCATOR, BulkSockets.receiveBuffers())
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, BulkSockets.writeWaterMark())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.connectTimeout.toMillis());
        return new ServerStreamHandler(outbound, config.connectTimeout, activity.stats(), config.udp);
    }

    /** The listening address, or null while not listening (before {@link #start()} completed, after close). */
    public InetSocketAddress localAddress() {
        ChannelFuture bound = binding;
        if (bound == null || !bound.isSuccess() || !bound.channel().isActive()) {
            return null;
        }
        return (InetSocketAddress) bound.channel().localAddress();
    }

    public String name() {
        return config.name;
    }

    public ServerStats.Snapshot stats() {
        return activity.stats().snapshot();
    }

    /** Sessions and bytes per user name that has had a session; never a credential. */
    public List<UserActivity> users() {
        return activity.users();
    }

    /** When this server was made: its counters start there. */
    public Instant since() {
        return since;
    }

    /**
     * Replaces the configuration for what starts from now on (connections, sessions, streams); the listen
     * address and the I/O runtime of {@code next} are ignored (see {@link #moveTo}).
     */
    public void reconfigure(Builder next) {
        this.config = next.withDefaultUdp();
    }

    /**
     * Closes the sessions of the users {@code removed} names, each on its own event loop.
     *
     * @return how many sessions were closed
     */
    public int closeSessionsOf(Set<String> removed, String why) {
        return activity.closeSessionsOf(removed, why);
    }

    /** Closes the listener first, then every connection; waits at most {@code timeout}. Not on an event loop. */
    public void close(Duration timeout) {
        close(Duration.ZERO, timeout);
    }

    /**
     * Stops accepting at once, lets open streams finish for at most {@code gracePeriod}, then closes every
     * connection; returns within about {@code gracePeriod + timeout}. Not on an event loop.
     */
    public void close(Duration gracePeriod, Duration timeout) {
        closed = true;
        ChannelFuture bound = binding;
        if (bound != null) {
            // Closing a listener that is still binding is fine: the bind then fails and nothing listens.
            bound.channel().close().awaitUninterruptibly(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
        }
        activity.awaitStreamsDrained(gracePeriod);
        long deadline = System.nanoTime() + timeout.toNanos();
        long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        if (!connections.close().awaitUninterruptibly(left, TimeUnit.MILLISECONDS)) {
            LOG.log(System.Logger.Level.WARNING, "{0}: connections still closing after {1} ms", config.name,
                    timeout.toMillis());
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }

    /** Everything a server is made of; required parts go in {@link AnyTlsServer#builder}. */
    public static final class Builder {
        private final String name;
        private final IoRuntime io;
        private final Supplier<SslContext> tls;
        private final ServerUsers users;
        private SocketAddress bindAddress = new InetSocketAddress("127.0.0.1", 8443);
        private Supplier<PaddingScheme> paddingScheme = () -> PaddingScheme.DEFAULT;
        private Duration authTimeout = Duration.ofSeconds(10);
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private Duration idleSessionTimeout = Duration.ZERO;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private int maxStreamsPerSession = 1024;
        private FallbackHandler fallback;
        private UdpStreamHandlerFactory udp;
        private Duration udpIdleTimeout = Duration.ofSeconds(60);
        private boolean udpCustomised;

        private Builder(String name, IoRuntime io, Supplier<SslContext> tls, ServerUsers users) {
            this.name = Objects.requireNonNull(name, "name");
            this.io = Objects.requireNonNull(io, "io");
            this.tls = Objects.requireNonNull(tls, "tls");
            this.users = Objects.requireNonNull(users, "users");
        }

        public Builder bind(SocketAddress address) {
            this.bindAddress = address;
            return this;
        }

        public Builder paddingScheme(Supplier<PaddingScheme> scheme) {
            this.paddingScheme = scheme;
            return this;
        }

        public Builder authTimeout(Duration timeout) {
            this.authTimeout = timeout;
            return this;
        }

        public Builder handshakeTimeout(Duration timeout) {
            this.handshakeTimeout = timeout;
            return this;
        }

        public Builder idleSessionTimeout(Duration timeout) {
            this.idleSessionTimeout = timeout;
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        public Builder maxStreamsPerSession(int max) {
            this.maxStreamsPerSession = max;
            return this;
        }

        /** Where connections that fail authentication go; null (the default) closes them. */
        public Builder fallback(FallbackHandler fallback) {
            this.fallback = fallback;
            return this;
        }

        /** Replaces the UDP-over-TCP v2 handler; null refuses UDP streams with an error SYNACK. */
        public Builder udp(UdpStreamHandlerFactory udp) {
            this.udp = udp;
            this.udpCustomised = true;
            return this;
        }

        /** A UDP flow without traffic for this long is closed (default 60 s). */
        public Builder udpIdleTimeout(Duration timeout) {
            this.udpIdleTimeout = timeout;
            return this;
        }

        public AnyTlsServer build() {
            return new AnyTlsServer(withDefaultUdp());
        }

        private Builder withDefaultUdp() {
            if (!udpCustomised && udp == null) {
                Bootstrap datagrams = new Bootstrap().channel(io.datagramChannel());
                Duration idle = udpIdleTimeout;
                udp = () -> new UdpOverTcpServerHandler(datagrams, io.resolver(), idle);
            }
            return this;
        }
    }
}
