package org.anytls4j.host.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.util.Optional;
import org.anytls4j.host.io.HostLoops;
import org.anytls4j.transport.api.Destination;
import org.anytls4j.transport.api.OpenRequest;
import org.anytls4j.transport.api.TransportException;
import org.anytls4j.transport.api.TransportException.Reason;
import org.anytls4j.transport.api.netty.NettyOutboundTransport;
import org.anytls4j.transport.api.netty.TransportDatagram;

/**
 * A SOCKS5 UDP ASSOCIATE (RFC 1928 §7): a UDP relay socket on the address the client reached the proxy on, and one
 * datagram flow in {@code ASSOCIATION} mode through the outbound transport, so that each datagram names its own
 * peer. Replies carry the peer the transport reports (the domain the client used, when it used one).
 *
 * <p>Sits on the TCP control connection, and the association lives exactly as long as that connection: closing
 * any of the three (control connection, relay socket, flow) closes the other two. Only datagrams from the client's
 * IP address are relayed, and the first one fixes the client's UDP port (or the address announced in the request,
 * when it named one). Datagrams that cannot be relayed at once (flow not writable, malformed, fragmented) are
 * dropped, as UDP allows, so memory stays bounded.
 */
final class Socks5UdpAssociation extends ChannelInboundHandlerAdapter {
    private static final System.Logger LOG = System.getLogger(Socks5UdpAssociation.class.getName());
    /**
     * Room for the largest UDP payload there is (65 507 bytes over IPv4), so that no datagram is ever cut:
     * Netty's default receive buffer for datagram channels is 2048 bytes and truncates silently.
     */
    static final int MAX_DATAGRAM = 65536;

    private final ProxyOptions options;
    private final OpenRequest request;
    private Channel control;
    private Channel relay;
    private Future<Channel> opening;
    /** The client's UDP address once known; read from the flow's thread, which may be another loop. */
    private volatile InetSocketAddress clientUdp;
    /** Datagrams that could not be sent whole (too large for the path, say) and were dropped. */
    private long dropped;

    Socks5UdpAssociation(ProxyOptions options, OpenRequest request) {
        this.options = options;
        this.request = request;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        control = ctx.channel();
        Optional<NettyOutboundTransport> outbound = options.outbound();
        if (outbound.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, () -> "proxy '" + options.name()
                    + "' has no outbound transport; refusing " + request);
            Socks5Replies.INSTANCE.failure(control, Reason.SHUTDOWN);
            return;
        }
        InetSocketAddress local = (InetSocketAddress) control.localAddress();
        ChannelFuture binding = new Bootstrap()
                .group(control.eventLoop())
                .channel(HostLoops.datagramChannel(control.eventLoop()))
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM))
                .option(ChannelOption.SO_RCVBUF, 4 * MAX_DATAGRAM)
                .handler(new FromClient())
                .bind(local.getAddress(), 0);
        relay = binding.channel();
        control.closeFuture().addListener(closed -> {
            relay.close();
            if (dropped > 0) {
                LOG.log(System.Logger.Level.INFO, () -> "UDP association " + request + " dropped " + dropped
                        + " datagrams that could not be sent whole");
            }
        });
        binding.addListener(bound -> {
            if (!bound.isSuccess()) {
                LOG.log(System.Logger.Level.WARNING, () -> "cannot bind a UDP relay socket on " + local.getAddress()
                        + ": " + bound.cause());
                Socks5Replies.INSTANCE.failure(control, Reason.INTERNAL);
                return;
            }
            relay.closeFuture().addListener(closed -> control.close());
            openFlow(outbound.get());
        });
    }

    private void openFlow(NettyOutboundTransport outbound) {
        opening = outbound.open(request, new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel flow) {
                flow.pipeline().addLast("to-client", new ToClient());
            }
        }, control.eventLoop());
        control.closeFuture().addListener(closed -> {
            if (!opening.cancel(false) && opening.isSuccess()) {
                opening.getNow().close();
            }
        });
        String transportName = outbound.name();
        opening.addListener(done -> control.eventLoop().execute(() -> flowOpened(transportName)));
    }

    private void flowOpened(String transportName) {
        if (!opening.isSuccess()) {
            Throwable cause = opening.cause();
            options.openFailures().failed(transportName, request, cause);
            Socks5Replies.INSTANCE.failure(control, cause instanceof TransportException
                    ? ((TransportException) cause).reason() : Reason.INTERNAL);
            return;
        }
        Channel flow = opening.getNow();
        flow.closeFuture().addListener(closed -> control.close());
        if (!control.isActive()) {
            flow.close();
            return;
        }
        control.writeAndFlush(Socks5Replies.success(relay.localAddress()));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        // Nothing but the close matters on the control connection once the association is set up.
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            ctx.close();
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(System.Logger.Level.DEBUG, () -> "UDP association control " + ctx.channel() + " failed: " + cause);
        ctx.close();
    }

    /** Whether {@code sender} may use this association; the first accepted sender becomes the client's address. */
    private boolean fromClient(InetSocketAddress sender) {
        InetSocketAddress known = clientUdp;
        if (known != null) {
            return known.equals(sender);
        }
        InetSocketAddress tcpClient = (InetSocketAddress) control.remoteAddress();
        if (tcpClient == null || !tcpClient.getAddress().equals(sender.getAddress())) {
            return false;
        }
        Destination announced = request.destination();
        if (announced.port() != 0 && !announced.isDomain() && !announced.address().get().isAnyLocalAddress()
                && !Destination.of(sender).equals(announced)) {
            return false;
        }
        clientUdp = sender;
        return true;
    }

    private void countIfDropped(Future<?> written) {
        if (!written.isSuccess()) {
            // Listeners run on the write's loop; the count is only read when the control connection closes.
            control.eventLoop().execute(() -> dropped++);
            LOG.log(System.Logger.Level.DEBUG, () -> "dropped a datagram: " + written.cause());
        }
    }

    /** Datagrams that were dropped because they could not be sent whole; for tests. */
    long dropped() {
        return dropped;
    }

    /** Client datagrams on the relay socket, unwrapped and sent through the flow. */
    private final class FromClient extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            Channel flow = opening != null && opening.isSuccess() ? opening.getNow() : null;
            if (flow == null || !fromClient(packet.sender()) || !flow.isWritable()) {
                return;
            }
            TransportDatagram datagram;
            try {
                datagram = Socks5UdpHeader.decode(packet.content());
            } catch (IllegalArgumentException malformed) {
                LOG.log(System.Logger.Level.DEBUG, () -> "dropping datagram from " + packet.sender() + ": "
                        + malformed.getMessage());
                return;
            }
            // A failed write (too large for the path, say) is a lost datagram, which UDP allows: counted, not cut.
            flow.writeAndFlush(datagram).addListener(written -> countIfDropped(written));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // ICMP errors and the like on the relay socket concern one datagram, not the association.
            LOG.log(System.Logger.Level.DEBUG, () -> "UDP relay socket " + ctx.channel() + ": " + cause);
        }
    }

    /** Datagrams from the flow, wrapped in a SOCKS5 UDP header and sent to the client. */
    private final class ToClient extends SimpleChannelInboundHandler<TransportDatagram> {
        ToClient() {
            super(false);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, TransportDatagram datagram) {
            InetSocketAddress client = clientUdp;
            if (client == null || !relay.isActive() || !relay.isWritable()) {
                datagram.release();
                return;
            }
            ByteBuf header = Socks5UdpHeader.encode(relay.alloc(), datagram.peer());
            relay.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(header, datagram.content()), client))
                    .addListener(written -> countIfDropped(written));
        }
    }
}
