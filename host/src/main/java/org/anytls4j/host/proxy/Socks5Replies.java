package org.anytls4j.host.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.socksx.v5.DefaultSocks5CommandResponse;
import io.netty.handler.codec.socksx.v5.Socks5AddressType;
import io.netty.handler.codec.socksx.v5.Socks5CommandResponse;
import io.netty.handler.codec.socksx.v5.Socks5CommandStatus;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Optional;
import org.anytls4j.transport.api.TransportException.Reason;

/** SOCKS5 command replies (RFC 1928 §6) for a CONNECT or UDP ASSOCIATE. */
final class Socks5Replies implements TunnelReplies {
    static final Socks5Replies INSTANCE = new Socks5Replies();

    private Socks5Replies() {
    }

    /** Success with BND.ADDR/BND.PORT = the outbound channel's local address, when it has one. */
    @Override
    public ChannelFuture success(Channel inbound, Channel outbound) {
        return inbound.writeAndFlush(success(outbound.localAddress()));
    }

    /** A success reply naming {@code bound}, or 0.0.0.0:0 when it is not an IP socket address. */
    static Socks5CommandResponse success(SocketAddress bound) {
        if (bound instanceof InetSocketAddress && ((InetSocketAddress) bound).getAddress() != null) {
            InetSocketAddress address = (InetSocketAddress) bound;
            Socks5AddressType type = address.getAddress() instanceof Inet4Address
                    ? Socks5AddressType.IPv4 : Socks5AddressType.IPv6;
            return new DefaultSocks5CommandResponse(Socks5CommandStatus.SUCCESS, type,
                    address.getAddress().getHostAddress(), address.getPort());
        }
        return new DefaultSocks5CommandResponse(Socks5CommandStatus.SUCCESS, Socks5AddressType.IPv4);
    }

    @Override
    public void failure(Channel inbound, Reason reason) {
        Optional<Socks5CommandStatus> status = ReplyCodes.socks5(reason);
        if (status.isEmpty()) {
            inbound.close();
            return;
        }
        inbound.writeAndFlush(new DefaultSocks5CommandResponse(status.get(), Socks5AddressType.IPv4))
                .addListener(ChannelFutureListener.CLOSE);
    }
}
