package org.anytls4j.anytls.golden;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.List;
import org.anytls4j.anytls.session.AnyTlsStream;
import org.anytls4j.anytls.wire.SocksAddress;
import org.anytls4j.anytls.wire.UdpOverTcp;

/**
 * A server stream handler for replays: it plays a target that is reached instantly. It reads the destination
 * (which may arrive split over PSH frames) and reports success (SYNACK) at once; for a UDP-over-TCP v2 stream it
 * first waits for the UoT request, because the reference server reports a UoT stream only once that lazy request
 * arrived (udp-association.txt, udp-reused-late.txt). Everything after that is read and dropped.
 */
final class ConnectAtOnceStreamHandler extends ChannelInboundHandlerAdapter {
    private final List<String> destinations;

    private ByteBuf received;
    private InetSocketAddress destination;
    private boolean reported;

    /** @param destinations gets {@code "<sid> <host>:<port>"} for every stream this handler reports */
    ConnectAtOnceStreamHandler(List<String> destinations) {
        this.destinations = destinations;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        received = ctx.alloc().buffer();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseReceived();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (reported || received == null) {
            ReferenceCountUtil.release(msg);
            return;
        }
        ByteBuf data = (ByteBuf) msg;
        try {
            received.writeBytes(data);
        } finally {
            data.release();
        }
        if (destination == null) {
            destination = SocksAddress.tryDecode(received);
        }
        if (destination == null) {
            return;
        }
        if (UdpOverTcp.version(destination) == 2 && UdpOverTcp.tryDecodeRequest(received) == null) {
            return;
        }
        reported = true;
        releaseReceived();
        AnyTlsStream stream = (AnyTlsStream) ctx.channel();
        destinations.add(Integer.toUnsignedString(stream.streamId()) + " " + destination.getHostString() + ":"
            + destination.getPort());
        org.anytls4j.anytls.session.StreamAttributes.reportConnectResult(stream, null);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // The session ending (the replay closes the carrier) fails every stream; a target would just hang up.
        ctx.close();
    }

    private void releaseReceived() {
        if (received != null) {
            received.release();
            received = null;
        }
    }
}
