package org.anytls4j.anytls.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import org.anytls4j.anytls.session.StreamAttributes;
import org.anytls4j.anytls.wire.UdpOverTcp;
import org.anytls4j.anytls.wire.UotPacket;
import org.anytls4j.anytls.wire.WireFormatException;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Serves one UDP-over-TCP v2 flow (§13.1) on the server, from the moment its magic destination was read: opens a
 * UDP socket, reports it with SYNACK, reads the request header, then carries datagrams both ways — length-prefixed
 * to the request's destination in connect mode, address-prefixed to per-packet destinations otherwise.
 *
 * <p><b>SYNACK before the request header.</b> Reference clients send the request header lazily, with the first
 * datagram; a server that waits for it before confirming makes a quiet flow on a reused session miss the client's
 * 3 s SYNACK watchdog, and the client then kills its whole session (golden {@code udp-reused-late.txt}). The UDP
 * socket does not depend on the request, so it is opened at once and confirmed as soon as it is bound, like
 * anytls-rs and mihomo do (§13.3). A header that is malformed before the socket is bound still gets an error
 * SYNACK; later, only a FIN is possible.
 *
 * <p><b>Datagrams.</b> Domains are resolved without blocking: once for the connect target, per packet in
 * association mode. A packet whose name does not resolve is consumed whole and dropped (sing's helper would desync,
 * anytls-go would end the flow: dropping is what UDP promises). Replies from an address a domain resolved to are
 * reported under that domain, so the client sees the peer it named. In connect mode only datagrams from the
 * connect target are relayed: the client attributes every reply to that target, so anything else would be a
 * forgery it could not detect.
 *
 * <p>The flow ends when the stream closes, when the UDP socket fails, on a malformed header or packet (that stream
 * only; the session and its other streams go on), or after {@code idleTimeout} without traffic either way.
 */
public final class UdpOverTcpServerHandler extends ChannelInboundHandlerAdapter {
    private static final System.Logger LOG = System.getLogger(UdpOverTcpServerHandler.class.getName());
    private static final int MAX_REPLY_NAMES = 256;
    /**
     * Receive buffer of the UDP socket: Netty's datagram default (2048 bytes) silently truncates larger datagrams,
     * and UoT carries up to 65535.
     */
    private static final int DATAGRAM_BUFFER = 64 * 1024;
    private static final byte[] IPV4_MAPPED_PREFIX = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF};

    private final Bootstrap udpBootstrap;
    private final AddressResolverGroup<InetSocketAddress> resolvers;
    private final Duration idleTimeout;

    private ChannelHandlerContext ctx;
    private CompositeByteBuf received;
    private AddressResolver<InetSocketAddress> resolver;
    private boolean socketRequested;
    private boolean synAckSent;
    private boolean closing;
    private Channel udp;
    private UdpOverTcp.Request request;
    private boolean resolvingTarget;
    private InetSocketAddress connectTarget;
    /** Resolved address → the domain destination the client named, for replies in association mode. */
    private final Map<InetSocketAddress, InetSocketAddress> replyNames =
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<InetSocketAddress, InetSocketAddress> eldest) {
                    return size() > MAX_REPLY_NAMES;
                }
            };

    /**
     * @param udpBootstrap a bootstrap with the datagram channel type set; event loop and handler are set here
     * @param resolvers    non-blocking resolution of domain destinations
     * @param idleTimeout  a flow without traffic for this long is closed; zero or negative never closes it
     */
    public UdpOverTcpServerHandler(Bootstrap udpBootstrap, AddressResolverGroup<InetSocketAddress> resolvers,
                                   Duration idleTimeout) {
        this.udpBootstrap = Objects.requireNonNull(udpBootstrap, "udpBootstrap");
        this.resolvers = Objects.requireNonNull(resolvers, "resolvers");
        this.idleTimeout = Objects.requireNonNull(idleTimeout, "idleTimeout");
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        received = ctx.alloc().compositeBuffer();
        resolver = resolvers.getResolver(ctx.executor());
        if (idleTimeout.toNanos() > 0) {
            ctx.pipeline().addBefore(ctx.name(), "udp-idle",
                    new IdleStateHandler(0, 0, idleTimeout.toNanos(), TimeUnit.NANOSECONDS));
        }
        if (ctx.channel().isActive()) {
            openSocket();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        openSocket();
        ctx.fireChannelActive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        closing = true;
        if (received != null) {
            received.release();
            received = null;
        }
        if (udp != null) {
            udp.close();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) {
            LOG.log(System.Logger.Level.DEBUG, "UDP flow {0} idle for {1} ms, closing", ctx.channel(),
                    idleTimeout.toMillis());
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closing || received == null || !(msg instanceof ByteBuf)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        received.addComponent(true, (ByteBuf) msg);
        try {
            if (request == null) {
                request = UdpOverTcp.tryDecodeRequest(received);
                if (request == null) {
                    return;
                }
                if (request.connect()) {
                    resolveConnectTarget();
                }
            }
            forwardPackets();
        } catch (WireFormatException e) {
            fail("udp over tcp: " + e.getMessage());
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(System.Logger.Level.DEBUG, "UDP flow {0} failed: {1}", ctx.channel(), cause.toString());
        closing = true;
        ctx.close();
    }

    private void openSocket() {
        if (socketRequested) {
            return;
        }
        socketRequested = true;
        Channel stream = ctx.channel();
        ChannelFuture bound = udpBootstrap.clone(stream.eventLoop())
                .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(DATAGRAM_BUFFER))
                .handler(new ReplyHandler(stream))
                .bind(new InetSocketAddress(0));
        bound.addListener((ChannelFuture done) -> {
            if (!done.isSuccess()) {
                fail("listen udp: " + done.cause().getMessage());
                return;
            }
            if (closing || !stream.isActive()) {
                done.channel().close();
                return;
            }
            udp = done.channel();
            udp.closeFuture().addListener(closed -> stream.close());
            reportSynAck(null);
            try {
                forwardPackets();
            } catch (WireFormatException e) {
                fail("udp over tcp: " + e.getMessage());
            }
        });
    }

    private void resolveConnectTarget() {
        InetSocketAddress destination = request.destination();
        if (!destination.isUnresolved()) {
            connectTarget = normalized(destination);
            return;
        }
        resolvingTarget = true;
        resolver.resolve(destination).addListener((Future<InetSocketAddress> resolved) -> {
            resolvingTarget = false;
            if (closing) {
                return;
            }
            if (!resolved.isSuccess()) {
                fail("udp over tcp: lookup " + destination.getHostString() + ": "
                        + resolved.cause().getMessage());
                return;
            }
            connectTarget = normalized(resolved.getNow());
            try {
                forwardPackets();
            } catch (WireFormatException e) {
                fail("udp over tcp: " + e.getMessage());
            }
        });
    }

    /** Sends every whole packet received so far, once the socket (and, in connect mode, the target) is ready. */
    private void forwardPackets() {
        if (closing || received == null || request == null || udp == null
                || request.connect() && (resolvingTarget || connectTarget == null)) {
            return;
        }
        boolean wrote = false;
        for (;;) {
            if (request.connect()) {
                ByteBuf payload = UdpOverTcp.tryDecodeConnectPacket(received);
                if (payload == null) {
                    break;
                }
                wrote |= send(connectTarget, detach(payload, udp.alloc()));
            } else {
                UotPacket packet = UdpOverTcp.tryDecodePacket(received);
                if (packet == null) {
                    break;
                }
                InetSocketAddress peer = packet.peer();
                ByteBuf payload = detach(packet.content().retain(), udp.alloc());
                packet.release();
                wrote |= send(peer, payload);
            }
        }
        received.discardReadComponents();
        if (wrote) {
            udp.flush();
        }
    }

    /** @return whether the datagram was written now (and still needs a flush) */
    private boolean send(InetSocketAddress peer, ByteBuf payload) {
        if (!udp.isWritable()) {
            // The socket's send queue is full: drop, as UDP may, rather than stall the stream (and with it the
            // whole session, which has no per-stream flow control).
            LOG.log(System.Logger.Level.TRACE, "UDP flow {0}: send queue full, dropped a datagram to {1}",
                    ctx.channel(), peer);
            payload.release();
            return false;
        }
        if (!peer.isUnresolved()) {
            udp.write(new DatagramPacket(payload, peer));
            return true;
        }
        Channel socket = udp;
        resolver.resolve(peer).addListener((Future<InetSocketAddress> resolved) -> {
            if (!resolved.isSuccess()) {
                LOG.log(System.Logger.Level.DEBUG, "UDP flow {0}: dropped a datagram to {1}: {2}", ctx.channel(),
                        peer, resolved.cause().toString());
                payload.release();
                return;
            }
            if (!socket.isActive()) {
                payload.release();
                return;
            }
            InetSocketAddress address = normalized(resolved.getNow());
            replyNames.put(address, peer);
            socket.writeAndFlush(new DatagramPacket(payload, address));
        });
        return false;
    }

    private void reportSynAck(String error) {
        if (!synAckSent) {
            synAckSent = true;
            StreamAttributes.reportConnectResult(ctx.channel(), error);
        }
    }

    /** Ends this flow: an error SYNACK if none was sent yet (later only the FIN can tell), then close. */
    private void fail(String error) {
        LOG.log(System.Logger.Level.DEBUG, "UDP flow {0}: {1}", ctx.channel(), error);
        closing = true;
        reportSynAck(error);
        ctx.close();
    }

    /**
     * Copies a payload out of {@link #received}. A slice would go on pointing into the composite, whose indices
     * shift when its read components are discarded; the datagram may still be queued in the socket by then.
     */
    private static ByteBuf detach(ByteBuf slice, ByteBufAllocator alloc) {
        try {
            ByteBuf copy = alloc.directBuffer(slice.readableBytes());
            copy.writeBytes(slice);
            return copy;
        } finally {
            slice.release();
        }
    }

    /**
     * One spelling per address: a dual-stack socket may report an IPv4 peer as IPv4-mapped IPv6, and the reply
     * names and the connect target must match it either way.
     */
    static InetSocketAddress normalized(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        if (ip instanceof Inet6Address) {
            byte[] bytes = ip.getAddress();
            if (Arrays.equals(bytes, 0, IPV4_MAPPED_PREFIX.length, IPV4_MAPPED_PREFIX, 0, IPV4_MAPPED_PREFIX.length)) {
                try {
                    return new InetSocketAddress(InetAddress.getByAddress(Arrays.copyOfRange(bytes, 12, 16)),
                            address.getPort());
                } catch (UnknownHostException impossible) {
                    throw new IllegalStateException("4 address bytes refused", impossible);
                }
            }
            if (((Inet6Address) ip).getScopeId() != 0) {
                try {
                    return new InetSocketAddress(InetAddress.getByAddress(bytes), address.getPort());
                } catch (UnknownHostException impossible) {
                    throw new IllegalStateException("16 address bytes refused", impossible);
                }
            }
        }
        return address;
    }

    /** Frames each datagram received on the UDP socket back into the stream. */
    private final class ReplyHandler extends ChannelInboundHandlerAdapter {
        private final Channel stream;
        private boolean wrote;

        ReplyHandler(Channel stream) {
            this.stream = stream;
        }

        @Override
        public void channelRead(ChannelHandlerContext udpCtx, Object msg) {
            DatagramPacket datagram = (DatagramPacket) msg;
            InetSocketAddress source = normalized(datagram.sender());
            if (closing || request == null || !stream.isActive() || !stream.isWritable()
                    || request.connect() && !source.equals(connectTarget)) {
                // UDP may drop: better a lost datagram than an unbounded queue in front of a slow client. Before
                // the request arrived nobody was sent anything, so nothing can be a reply.
                datagram.release();
                return;
            }
            ByteBuf payload = datagram.content();
            wrote = true;
            if (request.connect()) {
                stream.write(UdpOverTcp.connectPacket(stream.alloc(), payload));
            } else {
                InetSocketAddress named = replyNames.getOrDefault(source, source);
                stream.write(UdpOverTcp.packet(stream.alloc(), named, payload));
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext udpCtx) {
            if (wrote) {
                wrote = false;
                stream.flush();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext udpCtx, Throwable cause) {
            LOG.log(System.Logger.Level.DEBUG, "UDP socket of {0} failed: {1}", stream, cause.toString());
            udpCtx.close();
        }
    }
}
