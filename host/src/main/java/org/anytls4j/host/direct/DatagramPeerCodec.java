package org.anytls4j.host.direct;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DatagramPacket;
import io.netty.resolver.AddressResolver;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import org.anytls4j.transport.api.Destination;
import org.anytls4j.transport.api.TransportException;
import org.anytls4j.transport.api.TransportException.Phase;
import org.anytls4j.transport.api.TransportException.Reason;
import org.anytls4j.transport.api.UdpMode;
import org.anytls4j.transport.api.netty.TransportDatagram;

/**
 * Between a direct UDP socket and the host: turns {@link DatagramPacket}s into {@link TransportDatagram}s and back.
 *
 * <p>In {@link UdpMode#ASSOCIATION} mode each outbound datagram names its peer; a domain is resolved without
 * blocking (the resolver caches by TTL), and a reply from the resolved address is reported with the domain the
 * host used (source unmapping, SPI design §4.4), so SOCKS5 clients see the name they sent to. In
 * {@link UdpMode#CONNECTED} mode the socket is connected and every datagram is to and from the destination.
 * Runs on the channel's event loop only.
 */
final class DatagramPeerCodec extends ChannelDuplexHandler {
    /** Enough for any client that talks to a sane number of peers; the oldest mapping goes first. */
    private static final int MAX_UNMAPPED_PEERS = 1024;

    private final String transport;
    private final UdpMode mode;
    private final Destination destination;
    private final AddressResolver<InetSocketAddress> resolver;
    private final Map<InetSocketAddress, Destination> domainsByAddress =
            new LinkedHashMap<>(16, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<InetSocketAddress, Destination> eldest) {
                    return size() > MAX_UNMAPPED_PEERS;
                }
            };

    DatagramPeerCodec(String transport, UdpMode mode, Destination destination,
            AddressResolver<InetSocketAddress> resolver) {
        this.transport = transport;
        this.mode = mode;
        this.destination = destination;
        this.resolver = resolver;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket)) {
            ctx.fireChannelRead(msg);
            return;
        }
        DatagramPacket packet = (DatagramPacket) msg;
        Destination peer = mode == UdpMode.CONNECTED ? destination
                : domainsByAddress.getOrDefault(packet.sender(), Destination.of(packet.sender()));
        ctx.fireChannelRead(new TransportDatagram(packet.content(), peer));
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof TransportDatagram)) {
            ReferenceCountUtil.release(msg);
            promise.setFailure(new IllegalArgumentException("A direct UDP flow writes TransportDatagram, not "
                    + (msg == null ? "null" : msg.getClass().getName())));
            return;
        }
        TransportDatagram datagram = (TransportDatagram) msg;
        if (mode == UdpMode.CONNECTED) {
            ctx.write(datagram.content(), promise);
            return;
        }
        Destination peer = datagram.peer();
        if (peer.port() == 0) {
            datagram.release();
            promise.setFailure(new IllegalArgumentException("Cannot send a datagram to port 0: " + peer));
            return;
        }
        if (!peer.isDomain()) {
            ctx.write(new DatagramPacket(datagram.content(), peer.toSocketAddress()), promise);
            return;
        }
        resolver.resolve(peer.toSocketAddress()).addListener(resolved -> {
            if (!resolved.isSuccess()) {
                datagram.release();
                promise.setFailure(new TransportException(Reason.DESTINATION_DNS, Phase.DATA, transport,
                        "cannot resolve " + peer + ": " + resolved.cause().getMessage(), resolved.cause()));
                return;
            }
            InetSocketAddress address = (InetSocketAddress) resolved.getNow();
            domainsByAddress.put(address, peer);
            // The host's flush may have passed while the name was being resolved.
            ctx.writeAndFlush(new DatagramPacket(datagram.content(), address), promise);
        });
    }
}
