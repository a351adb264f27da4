package org.anytls4j.host.direct;

import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;

/**
 * A NIO socket whose {@link #remoteAddress()} is the destination as requested, so a domain stays a domain (rule 5
 * of the {@code NettyOutboundTransport} contract); the resolved address is in {@code TransportAttributes.UPSTREAM}.
 */
final class DirectSocketChannel extends NioSocketChannel {
    private final InetSocketAddress requested;

    DirectSocketChannel(InetSocketAddress requested) {
        this.requested = requested;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return isActive() ? requested : null;
    }
}
