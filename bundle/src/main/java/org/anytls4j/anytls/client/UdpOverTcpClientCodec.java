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

/**
 * Turns a UDP-over-TCP v2 stream (§13.1) into a channel of {@link TransportDatagram}s for the host: outbound
 * datagrams become length-prefixed packets (connected mode) or address-prefixed packets (association mode);
 * inbound packets become datagrams tagged with their peer. In connected mode every reply is tagged with the
 * destination exactly as the host named it, so a domain stays a domain.
 *
 * <p>A datagram larger than 65535 bytes fails its write with a clear error and nothing is sent; a malformed packet
 * from the server closes this flow only.
 */
final class UdpOverTcpClientCodec extends ChannelDuplexHandler {
    private final UdpMode mode;
    private final Destination destination;
    private CompositeByteBuf received;

    UdpOverTcpClientCodec(UdpMode mode, Destination destination) {
        this.mode = mode;
        this.destination = destination;
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
            ReferenceCountUtil.release(msg);
            promise.setFailure(new IllegalArgumentException(
                    "a UDP flow carries TransportDatagram, not " + msg.getClass().getName()));
            return;
        }
        TransportDatagram datagram = (TransportDatagram) msg;
        ByteBuf payload = datagram.content();
        if (payload.readableBytes() > UdpOverTcp.MAX_PAYLOAD_LENGTH) {
            int size = payload.readableBytes();
            datagram.release();
            promise.setFailure(new IllegalArgumentException("datagram of " + size
                    + " bytes is larger than the 65535 bytes UDP over TCP can carry"));
            return;
        }
        ByteBuf packet;
        try {
            packet = mode == UdpMode.CONNECTED
                    ? UdpOverTcp.connectPacket(ctx.alloc(), payload)
                    : UdpOverTcp.packet(ctx.alloc(), datagram.peer().toSocketAddress(), payload);
        } catch (IllegalArgumentException e) {
            promise.setFailure(e);
            return;
        }
        ctx.write(packet, promise);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (received == null || !(msg instanceof ByteBuf)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        received.addComponent(true, (ByteBuf) msg);
        try {
            for (;;) {
                if (mode == UdpMode.CONNECTED) {
                    ByteBuf payload = UdpOverTcp.tryDecodeConnectPacket(received);
                    if (payload == null) {
                        break;
                    }
                    ctx.fireChannelRead(new TransportDatagram(payload, destination));
                } else {
                    UotPacket packet = UdpOverTcp.tryDecodePacket(received);
                    if (packet == null) {
                        break;
                    }
                    ctx.fireChannelRead(new TransportDatagram(packet.payload().retain(), peerOf(packet.peer())));
                    packet.release();
                }
            }
            received.discardReadComponents();
        } catch (WireFormatException e) {
            ctx.fireExceptionCaught(e);
            ctx.close();
        }
    }

    private static Destination peerOf(InetSocketAddress peer) {
        // Our server reports replies under the domain the client named; other servers report the address.
        return peer.isUnresolved()
                ? Destination.ofHostAnyPort(peer.getHostString(), peer.getPort())
                : Destination.ofAnyPort(peer.getAddress(), peer.getPort());
    }
}
