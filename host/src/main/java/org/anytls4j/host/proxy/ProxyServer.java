package org.anytls4j.host.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.anytls4j.common.channel.BulkSockets;
import org.anytls4j.host.io.HostLoops;
import org.anytls4j.common.relay.RelayHandler;
import org.anytls4j.transport.api.netty.NettyOutboundTransport;

/**
 * A local proxy that accepts SOCKS5 (CONNECT, UDP ASSOCIATE; no authentication or username/password) and HTTP
 * CONNECT on one TCP port, and opens every connection through an outbound transport.
 *
 * <p>The transport is asked for on every request, through the supplier given to {@link #builder}: a host that
 * swaps transports at run time (an OSGi reference, a rule engine) does so without restarting the listener. While
 * the supplier returns {@code null}, requests fail with SOCKS5 0x01 / HTTP 503.
 *
 * <p>Free of OSGi. Runs on NIO, on its own event loops or on a group given to the builder (which must be able to
 * register NIO channels). Listens on 127.0.0.1:1080 unless told otherwise.
 *
 * <p>Ending: {@link #reconfigure} changes users and time limits for new connections without touching the listener or
 * open connections; {@link #retire()} stops accepting and lets open connections run to their end; {@link #close()}
 * is the host shutting down, and resets (TCP RST) every open connection so no application mistakes a cut transfer
 * for a complete one.
 */
public final class ProxyServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ProxyServer.class.getName());

    private volatile ProxyOptions options;
    private final InetSocketAddress bindAddress;
    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private volatile Channel listener;
    /** Every accepted connection still open. */
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    /** Completes once retired and the last connection ended; null until {@link #retire()}. */
    private volatile Promise<Void> drained;

    private ProxyServer(Builder builder) {
        this.options = new ProxyOptions(builder.name, builder.users, builder.outbound, builder.openTimeout,
                builder.handshakeTimeout, builder.halfCloseLinger, builder.earlyData);
        this.bindAddress = builder.bindAddress;
        this.ownsGroup = builder.group == null;
        this.group = ownsGroup ? HostLoops.newGroup(builder.ioThreads,
                new DefaultThreadFactory("anytls4j-host-" + builder.name, true)) : builder.group;
    }

    /**
     * @param name     names the proxy in logs and in the {@code inbound} of every request
     * @param outbound the transport to use for the next request, or {@code null} when there is none; called on
     *                 event-loop threads, so it must be cheap and must not block
     */
    public static Builder builder(String name, Supplier<NettyOutboundTransport> outbound) {
        return new Builder(name, outbound);
    }

    /** Starts listening; the future fails if the address cannot be bound (then {@link #start()} may be retried). */
    public ChannelFuture start() {
        ChannelFuture bound = new ServerBootstrap()
                .group(group)
                .channel(HostLoops.serverSocketChannel(group))
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, BulkSockets.receiveBuffers())
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, BulkSockets.writeWaterMark())
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        ProxyOptions current = options;
                        connections.add(channel);
                        channel.closeFuture().addListener(closed -> stopIfDrained());
                        channel.pipeline()
                                .addLast(HandshakeDeadline.NAME, new HandshakeDeadline(current.handshakeTimeout()))
                                .addLast("detect", new ProtocolDetector(current));
                    }
                })
                .bind(bindAddress);
        listener = bound.channel();
        bound.addListener(done -> {
            if (done.isSuccess()) {
                LOG.log(System.Logger.Level.INFO, () -> "proxy '" + options.name() + "' listening on "
                        + localAddress());
            }
        });
        return bound;
    }

    /** The bound address (with the real port when 0 was asked for), or null before {@link #start()} succeeded. */
    public InetSocketAddress localAddress() {
        Channel current = listener;
        return current == null ? null : (InetSocketAddress) current.localAddress();
    }

    public String name() {
        return options.name();
    }

    /**
     * New users and time limits for the connections accepted from now on; the listener and the open connections
     * (which keep the settings they started with) are not touched.
     */
    public void reconfigure(ProxyUsers users, Duration openTimeout, Duration handshakeTimeout) {
        options = options.with(Objects.requireNonNull(users, "users"), Builder.positive(openTimeout, "openTimeout"),
                Builder.positive(handshakeTimeout, "handshakeTimeout"));
    }

    /** The number of accepted connections still open. */
    public int openConnections() {
        return connections.size();
    }

    /**
     * Stops accepting at once; open connections run to their own end, and then the server's own event loops stop.
     * The future completes when the last connection has ended. Not on an event-loop thread.
     */
    public Future<Void> retire() {
        Promise<Void> done = GlobalEventExecutor.INSTANCE.newPromise();
        drained = done;
        Channel current = listener;
        if (current != null) {
            current.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        stopIfDrained();
        return done;
    }

    private void stopIfDrained() {
        Promise<Void> done = drained;
        if (done != null && connections.isEmpty() && done.trySuccess(null) && ownsGroup) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        }
    }

    /**
     * The host shutting down: stops listening, resets (TCP RST) every open connection, since their transfers are cut,
     * and stops the server's own event loops, waiting at most five seconds. Not on an event-loop thread.
     */
    @Override
    public void close() {
        Channel current = listener;
        if (current != null) {
            current.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        for (Channel connection : connections) {
            RelayHandler.reset(connection);
        }
        connections.newCloseFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
        if (ownsGroup) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    @Override
    public String toString() {
        return "ProxyServer[" + options.name() + " on " + (listener == null ? bindAddress : localAddress()) + ", "
                + options.users() + "]";
    }

    /** Collects the settings of a {@link ProxyServer}; not thread-safe. */
    public static final class Builder {
        private final String name;
        private final Supplier<NettyOutboundTransport> outbound;
        private InetSocketAddress bindAddress = new InetSocketAddress("127.0.0.1", 1080);
        private ProxyUsers users = ProxyUsers.none();
        private Duration openTimeout = Duration.ofSeconds(10);
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private Duration halfCloseLinger = Duration.ofSeconds(1);
        private boolean earlyData = true;
        private EventLoopGroup group;
        private int ioThreads = 2;

        private Builder(String name, Supplier<NettyOutboundTransport> outbound) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("name must not be blank, was '" + name + "'");
            }
            this.name = name;
            this.outbound = Objects.requireNonNull(outbound, "outbound");
        }

        /** Where to listen; default 127.0.0.1:1080. Port 0 picks a free port (see {@link #localAddress()}). */
        public Builder bind(InetSocketAddress address) {
            this.bindAddress = Objects.requireNonNull(address, "address");
            return this;
        }

        /** Who may use the proxy; default {@link ProxyUsers#none()}, no authentication. */
        public Builder users(ProxyUsers users) {
            this.users = Objects.requireNonNull(users, "users");
            return this;
        }

        /** Budget of each open through the transport; default 10 s. */
        public Builder openTimeout(Duration timeout) {
            this.openTimeout = positive(timeout, "openTimeout");
            return this;
        }

        /** How long a client may take from connecting to a complete request; default 10 s. */
        public Builder handshakeTimeout(Duration timeout) {
            this.handshakeTimeout = positive(timeout, "handshakeTimeout");
            return this;
        }

        /**
         * How long a relay keeps the other direction open after one side ended its input, when the outbound channel
         * cannot pass a half-close on; default 1 s.
         */
        public Builder halfCloseLinger(Duration linger) {
            this.halfCloseLinger = positive(linger, "halfCloseLinger");
            return this;
        }

        /** Event loops to run on, owned by the caller; default: the server's own ({@link #ioThreads}). */
        /**
         * Whether a TCP open asks for early data when the transport offers {@code EARLY_DATA} (default on): the
         * client gets its success reply at once and the far end dials while the client sends; a destination the far end
         * cannot reach then closes the client's connection (and is logged) instead of getting a failure reply.
         * Off: the reply waits for the transport's confirmed open, as with transports without the capability.
         */
        public Builder earlyData(boolean earlyData) {
            this.earlyData = earlyData;
            return this;
        }

        public Builder eventLoopGroup(EventLoopGroup group) {
            this.group = Objects.requireNonNull(group, "group");
            return this;
        }

        /** Threads of the server's own event loops, when no group is given; 1 or more, default 2. */
        public Builder ioThreads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("ioThreads must be at least 1, got " + threads);
            }
            this.ioThreads = threads;
            return this;
        }

        public ProxyServer build() {
            return new ProxyServer(this);
        }

        static Duration positive(Duration value, String what) {
            Objects.requireNonNull(value, what);
            if (value.isZero() || value.isNegative()) {
                throw new IllegalArgumentException(what + " must be positive, got " + value);
            }
            return value;
        }
    }
}
