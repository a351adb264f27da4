package org.anytls4j.anytls.io;

import io.netty.channel.ChannelFactory;
import io.netty.channel.ReflectiveChannelFactory;
import io.netty.channel.socket.SocketChannel;
import io.netty.resolver.AddressResolverGroup;

import java.net.InetSocketAddress;
import java.util.Objects;

/** What a client connection registered on one particular event loop needs: a socket type and a resolver for it. */
public final class LoopIo {
    private final ChannelFactory<? extends SocketChannel> socketChannels;
    private final AddressResolverGroup<InetSocketAddress> resolver;

    LoopIo(Class<? extends SocketChannel> socketChannel, AddressResolverGroup<InetSocketAddress> resolver) {
        // Made once: a bootstrap's channel(Class) looks the constructor up again for every dial.
        this.socketChannels = new ReflectiveChannelFactory<>(Objects.requireNonNull(socketChannel, "socketChannel"));
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    public ChannelFactory<? extends SocketChannel> socketChannels() {
        return socketChannels;
    }

    public AddressResolverGroup<InetSocketAddress> resolver() {
        return resolver;
    }
}
