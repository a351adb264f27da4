package org.anytls4j.host.direct;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.ResolvedAddressTypes;
import io.netty.resolver.dns.DnsAddressResolverGroup;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsServerAddressStreamProviders;
import io.netty.util.concurrent.DefaultPromise;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.anytls4j.host.io.HostLoops;
import org.anytls4j.common.stats.TransportCounters;
import org.anytls4j.transport.api.Capability;
import org.anytls4j.transport.api.Destination;
import org.anytls4j.transport.api.Network;
import org.anytls4j.transport.api.OpenRequest;
import org.anytls4j.transport.api.TransportException;
import org.anytls4j.transport.api.TransportException.Phase;
import org.anytls4j.transport.api.TransportException.Reason;
import org.anytls4j.transport.api.TransportHealth;
import org.anytls4j.transport.api.TransportStats;
import org.anytls4j.transport.api.UdpMode;
import org.anytls4j.transport.api.netty.NettyOutboundTransport;
import org.anytls4j.transport.api.netty.TransportAttributes;

/**
 * The {@code direct} transport: plain TCP connections and UDP sockets from this machine to the destination, behind
 * the same SPI as any proxy transport, so a host treats "no proxy" like any other route.
 *
 * <p>Opens run on the preferred event loop when it takes NIO sockets ({@code LOOP_AFFINITY}; a host's epoll loop
 * does not, see the end); names are resolved without blocking by Netty's
 * DNS resolver (IPv4 preferred, hosts file first). TCP channels are real sockets, so they half-close
 * ({@code HALF_CLOSE}) and are connected when the open succeeds ({@code CONNECT_CONFIRMATION}). Each open has its
 * own socket, so nothing is shared between requests ({@code ISOLATION}).
 *
 * <p>Two departures from the letter of the contract, both for want of a hook in Netty: a UDP flow is a plain
 * {@code NioDatagramChannel} (a final class), so its {@code remoteAddress()} is the resolved destination of a
 * {@code CONNECTED} flow and null for an {@code ASSOCIATION}; {@code TransportAttributes.REQUEST} names the
 * destination as requested. And a cancel keeps Netty's semantics: the future is cancelled (its cause a {@code CancellationException}) and is
 * counted as {@link Reason#CANCELLED}.
 *
 * <p>Free of OSGi; thread-safe. Uses NIO channels, so the event loops must be able to register them; a preferred
 * loop that runs epoll (a host's) is passed over for one of the transport's own.
 */
public final class DirectTransport implements NettyOutboundTransport, AutoCloseable {
    public static final String TYPE = "direct";
    private static final Set<Network> NETWORKS = Collections.unmodifiableSet(EnumSet.of(Network.TCP, Network.UDP));
    private static final Set<Capability> CAPABILITIES = Collections.unmodifiableSet(EnumSet.of(
            Capability.HALF_CLOSE, Capability.CONNECT_CONFIRMATION, Capability.UDP_ASSOCIATION,
            Capability.LOOP_AFFINITY, Capability.ISOLATION));

    private final String name;
    private final EventLoopGroup group;
    private final Duration connectTimeout;
    private final InetAddress bindAddress;
    private final AddressResolverGroup<InetSocketAddress> resolver;
    private final boolean ownsResolver;
    private final TransportCounters stats;
    private final TrafficCounter traffic;
    private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final List<String> chain;
    private volatile boolean closed;

    private DirectTransport(Builder builder) {
        this.name = builder.name;
        this.group = builder.group;
        this.connectTimeout = builder.connectTimeout;
        this.bindAddress = builder.bindAddress;
        this.ownsResolver = builder.resolver == null;
        this.resolver = ownsResolver ? defaultResolver() : builder.resolver;
        this.stats = new TransportCounters(builder.clock);
        this.traffic = new TrafficCounter(stats);
        this.chain = List.of(name);
    }

    private static AddressResolverGroup<InetSocketAddress> defaultResolver() {
        return new DnsAddressResolverGroup(new DnsNameResolverBuilder()
                .datagramChannelType(NioDatagramChannel.class)
                .socketChannelType(NioSocketChannel.class)
                .resolvedAddressTypes(ResolvedAddressTypes.IPV4_PREFERRED)
                .nameServerProvider(DnsServerAddressStreamProviders.platformDefault()));
    }

    /**
     * @param name  the {@code transport.name}
     * @param group event loops for opens without a preferred loop, and for DNS; owned by the caller
     */
    public static Builder builder(String name, EventLoopGroup group) {
        return new Builder(name, group);
    }

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

    @Override
    public TransportStats stats() {
        TransportStats.Builder snapshot = stats.snapshot();
        TransportStats counted = snapshot.build();
        // The carrier is the connection itself: its wire bytes are the payload bytes.
        return snapshot.carrierBytesOut(counted.bytesOut()).carrierBytesIn(counted.bytesIn()).build();
    }

    @Override
    public TransportHealth health() {
        return stats.health();
    }

    @Override
    public Future<Channel> open(OpenRequest request, ChannelHandler handler, EventLoop preferredLoop) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(handler, "handler");
        // This transport's sockets are NIO (DirectSocketChannel keeps the requested address); an epoll host loop
        // cannot take them, so such an open runs on this transport's own loops instead.
        EventLoop loop = preferredLoop != null && !HostLoops.runsEpoll(preferredLoop) ? preferredLoop : group.next();
        Promise<Channel> result = new OpenPromise(loop);
        stats.attempted();
        if (closed) {
            fail(result, new TransportException(Reason.SHUTDOWN, Phase.QUEUE, name, "the transport is closed", null));
            return result;
        }
        boolean udp = request.network() == Network.UDP;
        Destination destination = request.destination();
        Channel channel = udp ? new NioDatagramChannel() : new DirectSocketChannel(destination.toSocketAddress());
        long timeoutMillis = request.openTimeout().filter(t -> t.compareTo(connectTimeout) < 0)
                .orElse(connectTimeout).toMillis();
        channel.config().setOption(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                timeoutMillis));
        channel.pipeline().addLast("traffic", traffic);
        if (udp) {
            // Netty's default 2048-byte receive buffer would cut larger datagrams silently.
            channel.config().setOption(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(65536));
            channel.pipeline().addLast("peers", new DatagramPeerCodec(name, request.udpMode(), destination,
                    resolver.getResolver(loop)));
        }
        channel.pipeline().addLast(handler);

        ScheduledFuture<?> timer = loop.schedule(
                () -> fail(result, DirectFailures.timedOut(name, destination, timeoutMillis)),
                timeoutMillis, TimeUnit.MILLISECONDS);
        result.addListener(done -> {
            timer.cancel(false);
            if (!done.isSuccess()) {
                channel.close(); // nothing half-built survives a failed or cancelled open
            }
        });
        loop.register(channel).addListener(registered -> {
            if (!registered.isSuccess()) {
                fail(result, new TransportException(Reason.INTERNAL, Phase.CARRIER_CONNECT, name,
                        "cannot register a channel: " + registered.cause(), registered.cause()));
                return;
            }
            if (udp && request.udpMode() == UdpMode.ASSOCIATION) {
                ChannelFuture bound = channel.bind(new InetSocketAddress(bindAddressOrAny(), 0));
                bound.addListener(done -> connected(request, channel, null, done.cause(), result));
            } else {
                resolve(loop, destination, result, address -> {
                    ChannelFuture connecting = channel.connect(address,
                            bindAddress == null ? null : new InetSocketAddress(bindAddress, 0));
                    connecting.addListener(done -> connected(request, channel, address, done.cause(), result));
                });
            }
        });
        return result;
    }

    private void resolve(EventLoop loop, Destination destination, Promise<Channel> result,
            Consumer<InetSocketAddress> then) {
        if (!destination.isDomain()) {
            then.accept(destination.toSocketAddress());
            return;
        }
        AddressResolver<InetSocketAddress> names = resolver.getResolver(loop);
        names.resolve(destination.toSocketAddress()).addListener(resolved -> {
            if (resolved.isSuccess()) {
                then.accept((InetSocketAddress) resolved.getNow());
            } else {
                fail(result, DirectFailures.openFailed(name, destination, resolved.cause()));
            }
        });
    }

    private void connected(OpenRequest request, Channel channel, InetSocketAddress upstream, Throwable failure,
            Promise<Channel> result) {
        if (failure != null) {
            fail(result, DirectFailures.openFailed(name, request.destination(), failure));
            return;
        }
        channel.attr(TransportAttributes.REQUEST).set(request);
        channel.attr(TransportAttributes.CHAIN).set(chain);
        channel.attr(TransportAttributes.CONFIRMED).set(Boolean.TRUE);
        if (upstream != null) {
            // An association has no single upstream: its peers are named datagram by datagram.
            channel.attr(TransportAttributes.UPSTREAM).set(upstream);
        }
        if (!result.trySuccess(channel)) {
            channel.close(); // cancelled or timed out in the meantime
            return;
        }
        boolean udp = request.network() == Network.UDP;
        stats.succeeded(udp);
        channels.add(channel);
        channel.closeFuture().addListener(closedChannel -> stats.closed(udp));
    }

    private InetAddress bindAddressOrAny() {
        if (bindAddress != null) {
            return bindAddress;
        }
        return new InetSocketAddress(0).getAddress();
    }

    /**
     * Fails the open unless it is already done or cancelled, counting the failure first: a host that reads the
     * stats once the future has failed finds it counted. Every caller runs on the open's event loop (or before the
     * promise escapes), so nothing else completes it between the check and the failure.
     */
    private void fail(Promise<Channel> result, TransportException failure) {
        if (!result.isDone() && result.setUncancellable()) {
            stats.failed(failure);
            result.setFailure(failure);
        }
    }

    /** An open's promise that has counted its cancellation by the time {@code cancel} returns. */
    private final class OpenPromise extends DefaultPromise<Channel> {
        OpenPromise(EventLoop loop) {
            super(loop);
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            if (!super.cancel(mayInterruptIfRunning)) {
                return false;
            }
            stats.failed(new TransportException(Reason.CANCELLED, Phase.CARRIER_CONNECT, name,
                    "the open was cancelled", null));
            return true;
        }
    }

    /** Refuses new opens, closes the channels it opened and, if it made its own resolver, that one. */
    @Override
    public void close() {
        closed = true;
        channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        if (ownsResolver) {
            resolver.close();
        }
    }

    @Override
    public String toString() {
        return "DirectTransport[" + name + "]";
    }

    /** Collects the settings of a {@link DirectTransport}; not thread-safe. */
    public static final class Builder {
        private final String name;
        private final EventLoopGroup group;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private InetAddress bindAddress;
        private AddressResolverGroup<InetSocketAddress> resolver;
        private Clock clock = Clock.systemUTC();

        private Builder(String name, EventLoopGroup group) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("transport name must not be blank, was '" + name + "'");
            }
            this.name = name;
            this.group = Objects.requireNonNull(group, "group");
        }

        /** Limit for resolving and connecting, when the request's own open timeout is not shorter; default 10 s. */
        public Builder connectTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "connectTimeout");
            if (timeout.isZero() || timeout.isNegative() || timeout.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("connectTimeout must be positive and at most "
                        + Integer.MAX_VALUE + " ms, got " + timeout);
            }
            this.connectTimeout = timeout;
            return this;
        }

        /** Local address of outgoing TCP and UDP sockets (port chosen by the system); default: any. */
        public Builder bindAddress(InetAddress address) {
            this.bindAddress = Objects.requireNonNull(address, "bindAddress");
            return this;
        }

        /** A non-blocking resolver, owned by the caller; default: the transport's own DNS resolver. */
        public Builder resolver(AddressResolverGroup<InetSocketAddress> resolver) {
            this.resolver = Objects.requireNonNull(resolver, "resolver");
            return this;
        }

        /** Time source for statistics and health; default the system UTC clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public DirectTransport build() {
            return new DirectTransport(this);
        }
    }
}
