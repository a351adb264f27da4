package org.anytls4j.anytls.io;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandle;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.dns.DnsAddressResolverGroup;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsServerAddressStreamProviders;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;

import org.anytls4j.common.io.EpollLoops;

import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The event loops, channel types and DNS resolver a set of clients and servers share: epoll where Netty's native
 * transport loads, NIO elsewhere. DNS goes through Netty's asynchronous resolver, never the JDK's blocking one.
 *
 * <p>Threads are daemons named {@code anytls4j-io-*}; {@link #close()} stops them within a bounded time.
 */
public final class IoRuntime implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(IoRuntime.class.getName());

    /** Which I/O implementation to use. */
    public enum Kind { AUTO, NIO, EPOLL }

    private final EventLoopGroup group;
    private final Class<? extends SocketChannel> socketChannel;
    private final Class<? extends ServerSocketChannel> serverSocketChannel;
    private final Class<? extends DatagramChannel> datagramChannel;
    private final AddressResolverGroup<InetSocketAddress> resolver;
    private final Kind kind;
    /** Client connections on NIO loops of other groups (a host's) when this runtime is epoll; made on first use. */
    private LoopIo foreignNio;

    private IoRuntime(Kind requested, int threads, String name) {
        boolean epoll = requested == Kind.EPOLL || requested == Kind.AUTO && EpollLoops.available();
        if (requested == Kind.EPOLL && !EpollLoops.available()) {
            throw new IllegalStateException("the epoll transport is not available here: " + Epoll.unavailabilityCause());
        }
        DefaultThreadFactory threadFactory = new DefaultThreadFactory(name, true);
        EventLoopGroup epollGroup = !epoll ? null : EpollLoops.newGroupOrNull(threads, threadFactory, unusable -> {
            if (requested == Kind.EPOLL) {
                throw new IllegalStateException("the epoll transport cannot be used here", unusable);
            }
            LOG.log(System.Logger.Level.WARNING, "epoll unusable, using NIO: {0}", unusable.toString());
        });
        if (epollGroup != null) {
            this.group = epollGroup;
            this.socketChannel = EpollSocketChannel.class;
            this.serverSocketChannel = EpollServerSocketChannel.class;
            this.datagramChannel = EpollDatagramChannel.class;
            this.kind = Kind.EPOLL;
        } else {
            this.group = new MultiThreadIoEventLoopGroup(threads, threadFactory, NioIoHandler.newFactory());
            this.socketChannel = NioSocketChannel.class;
            this.serverSocketChannel = NioServerSocketChannel.class;
            this.datagramChannel = NioDatagramChannel.class;
            this.kind = Kind.NIO;
        }
        this.resolver = resolverGroup(datagramChannel, socketChannel);
    }

    private static AddressResolverGroup<InetSocketAddress> resolverGroup(
            Class<? extends DatagramChannel> datagramChannel, Class<? extends SocketChannel> socketChannel) {
        return new DnsAddressResolverGroup(new DnsNameResolverBuilder()
                .datagramChannelType(datagramChannel)
                .socketChannelType(socketChannel)
                .nameServerProvider(DnsServerAddressStreamProviders.platformDefault()));
    }

    /**
     * The socket type and resolver for a client connection on {@code loop}, which may belong to another group (a
     * host's, so that a connection and the host's channels share a thread): this runtime's own types when they can
     * register there, NIO on any NIO loop; empty for a loop of another kind.
     */
    public Optional<LoopIo> ioFor(EventLoop loop) {
        if (!(loop instanceof IoEventLoop)) {
            return Optional.empty();
        }
        IoEventLoop ioLoop = (IoEventLoop) loop;
        if (kind == Kind.EPOLL ? ioLoop.isCompatible(EpollIoHandle.class) : ioLoop.isCompatible(NioIoHandle.class)) {
            return Optional.of(new LoopIo(socketChannel, resolver));
        }
        if (kind == Kind.EPOLL && ioLoop.isCompatible(NioIoHandle.class)) {
            synchronized (this) {
                if (foreignNio == null) {
                    foreignNio = new LoopIo(NioSocketChannel.class,
                            resolverGroup(NioDatagramChannel.class, NioSocketChannel.class));
                }
                return Optional.of(foreignNio);
            }
        }
        return Optional.empty();
    }

    /** A runtime with {@code threads} event loops (0 = Netty's default, twice the cores). */
    public static IoRuntime create(Kind kind, int threads, String name) {
        return new IoRuntime(kind, threads, name);
    }

    public static IoRuntime create() {
        return create(Kind.AUTO, 0, "anytls4j-io");
    }

    public EventLoopGroup group() {
        return group;
    }

    public Class<? extends SocketChannel> socketChannel() {
        return socketChannel;
    }

    public Class<? extends ServerSocketChannel> serverSocketChannel() {
        return serverSocketChannel;
    }

    public Class<? extends DatagramChannel> datagramChannel() {
        return datagramChannel;
    }

    /** Non-blocking DNS for outbound connects. */
    public AddressResolverGroup<InetSocketAddress> resolver() {
        return resolver;
    }

    public Kind kind() {
        return kind;
    }

    /** Stops the event loops; returns once they stopped or after five seconds. */
    @Override
    public void close() {
        resolver.close();
        synchronized (this) {
            if (foreignNio != null) {
                foreignNio.resolver().close();
            }
        }
        Future<?> terminated = group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        if (!terminated.awaitUninterruptibly(5, TimeUnit.SECONDS)) {
            LOG.log(System.Logger.Level.WARNING, "event loops did not stop within 5 s");
        }
    }
}
