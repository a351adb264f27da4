package org.anytls4j.anytls.io;

import io.netty.channel.socket.SocketChannel;
import io.netty.resolver.AddressResolverGroup;

import java.net.InetSocketAddress;
import java.util.Objects;

/** What a client connection registered on one particular event loop needs: a socket type and a resolver for it. */
public final class LoopIo {
    private final Class<? extends SocketChannel> socketChannel;
    private final AddressResolverGroup<InetSocketAddress> resolver;

    LoopIo(Class<? extends SocketChannel> socketChannel, AddressResolverGroup<InetSocketAddress> resolver) {
        this.socketChannel = Objects.requireNonNull(socketChannel, "socketChannel");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    public Class<? extends SocketChannel> socketChannel() {
        return socketChannel;
    }

    public AddressResolverGroup<InetSocketAddress> resolver() {
        return resolver;
    }
}
