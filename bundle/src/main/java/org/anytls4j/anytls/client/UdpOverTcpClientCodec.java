package org.anytls4j.anytls.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import org.anytls4j.anytls.wire.UdpOverTcp;
import org.anytls4j.anytls.wire.UotPacket;
import org.anytls4j.anytls.wire.WireFormatException;
import org.anytls4j.transport.api.Destination;
import org.anytls4j.transport.api.UdpMode;
import org.anytls4j.transport.api.netty.TransportDatagram;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Turns a UDP-over-TCP v2 stream (§13.1) into a channel of {@link TransportDatagram}s for the host: outbound
 * datagrams become length-prefixed packets (connected mode; their own peer is ignored) or address-prefixed packets
 * (association mode); inbound packets become datagrams tagged with their peer. In connected mode every reply is
 * tagged with the destination exactly as the host named it, so a domain stays a domain; in association mode with
 * the peer the server reports (ours reports the domain the host sent to).
 *
 * <p>A datagram that cannot be sent (larger than 65535 bytes, a peer with port 0 or a domain servers cannot read)
 * fails its own write with a message naming the problem; nothing is sent and the flow stays usable. A malformed
 * packet from the server closes this flow only.
 */
public final class UdpOverTcpClientCodec extends ChannelDuplexHandler {
    private final UdpMode mode;
    private final Destination destination;
    private CompositeByteBuf received;
    private boolean failed;

    /**
     * @param mode        how the flow addresses its peers; must match the request header sent when it opened
     * @param destination the request's destination, the peer of every reply in connected mode
     */
    public UdpOverTcpClientCodec(UdpMode mode, Destination destination) {
        this.mode = Objects.requireNonNull(mode, "mode");
        this.destination = Objects.requireNonNull(destination, "destination");
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        received = ctx.alloc().compositeBuffer();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (received != null) {
            received.release();
            received = null;
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof TransportDatagram)) {
            String type = msg.getClass().getName();
            ReferenceCountUtil.release(msg);
            promise.setFailure(new IllegalArgumentException(
                    "a UDP flow carries TransportDatagram, not " + type));
            return;
        }
        TransportDatagram datagram = (TransportDatagram) msg;
        Destination target = mode == UdpMode.CONNECTED ? destination : datagram.peer();
        ByteBuf payload = datagram.content();
        int size = payload.readableBytes();
        if (size > UdpOverTcp.MAX_PAYLOAD_LENGTH) {
            datagram.release();
            promise.setFailure(new IllegalArgumentException("datagram of " + size + " bytes to "
                    + target + " is larger than the " + UdpOverTcp.MAX_PAYLOAD_LENGTH
                    + " bytes UDP over TCP can carry; nothing was sent"));
            return;
        }
        ByteBuf packet;
        try {
            if (mode == UdpMode.CONNECTED) {
                packet = UdpOverTcp.connectPacket(ctx.alloc(), payload);
            } else {
                if (target.port() == 0) {
                    datagram.release();
                    promise.setFailure(new IllegalArgumentException("datagram peer " + target
                            + " has port 0; a UDP association needs a port 1..65535 for each datagram"));
                    return;
                }
                packet = UdpOverTcp.packet(ctx.alloc(), target.toSocketAddress(), payload);
            }
        } catch (IllegalArgumentException e) {
            // The encoders released the payload.
            promise.setFailure(new IllegalArgumentException("cannot send a datagram to " + target + ": "
                    + e.getMessage(), e));
            return;
        }
        ctx.write(packet, promise);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (failed || received == null || !(msg instanceof ByteBuf)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        received.addComponent(true, (ByteBuf) msg);
        try {
            while (ctx.channel().isOpen()) {
                TransportDatagram datagram = mode == UdpMode.CONNECTED ? nextConnectDatagram(ctx)
                        : nextAssociationDatagram(ctx);
                if (datagram == null) {
                    break;
                }
                ctx.fireChannelRead(datagram);
            }
            if (received != null) {
                received.discardReadComponents();
            }
        } catch (WireFormatException e) {
            failed = true;
            ctx.fireExceptionCaught(e);
            ctx.close();
        }
    }

    private TransportDatagram nextConnectDatagram(ChannelHandlerContext ctx) {
        ByteBuf payload = UdpOverTcp.tryDecodeConnectPacket(received);
        return payload == null ? null : new TransportDatagram(detach(ctx, payload), destination);
    }

    private TransportDatagram nextAssociationDatagram(ChannelHandlerContext ctx) {
        UotPacket packet = UdpOverTcp.tryDecodePacket(received);
        if (packet == null) {
            return null;
        }
        try {
            Destination peer = peerOf(packet.peer());
            return new TransportDatagram(detach(ctx, packet.content().retain()), peer);
        } finally {
            packet.release();
        }
    }

    /**
     * Copies a payload out of {@link #received}: the host may keep a datagram after this read, and a slice would go
     * on pointing into the composite, whose indices shift when its read components are discarded.
     */
    private static ByteBuf detach(ChannelHandlerContext ctx, ByteBuf slice) {
        try {
            return ctx.alloc().buffer(slice.readableBytes()).writeBytes(slice);
        } finally {
            slice.release();
        }
    }

    private static Destination peerOf(InetSocketAddress peer) {
        try {
            // Our server reports replies under the domain the client named; other servers report the address.
            return peer.isUnresolved()
                    ? Destination.ofHostAnyPort(peer.getHostString(), peer.getPort())
                    : Destination.ofAnyPort(peer.getAddress(), peer.getPort());
        } catch (IllegalArgumentException e) {
            throw new WireFormatException("UoT packet from the server names peer '" + peer.getHostString()
                    + "' that is not a valid destination: " + e.getMessage());
        }
    }
}
