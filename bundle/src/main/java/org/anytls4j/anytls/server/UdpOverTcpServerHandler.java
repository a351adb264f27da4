package org.anytls4j.anytls.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import org.anytls4j.anytls.session.AnyTlsStreamChannel;
import org.anytls4j.anytls.wire.UdpOverTcp;
import org.anytls4j.anytls.wire.UotPacket;
import org.anytls4j.anytls.wire.WireFormatException;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Serves one UDP-over-TCP v2 flow (§13.1) on the server: reads the request header, opens a UDP socket, reports the
 * result with SYNACK, then carries datagrams both ways — length-prefixed to the request's destination in connect
 * mode, address-prefixed to per-packet destinations otherwise. Domains are resolved per packet without blocking; a
 * packet whose name does not resolve is dropped whole (sing's helper would desync here). Replies from an address a
 * domain resolved to are reported under that domain, so the client sees the peer it named.
 *
 * <p>The flow ends when the stream closes, when the UDP socket fails, or after {@code idleTimeout} without traffic.
 */
public final class UdpOverTcpServerHandler extends ChannelInboundHandlerAdapter {
    private static final System.Logger LOG = System.getLogger(UdpOverTcpServerHandler.class.getName());
    private static final int MAX_REPLY_NAMES = 256;

    private final Bootstrap udpBootstrap;
    private final AddressResolverGroup<InetSocketAddress> resolvers;
    private final Duration idleTimeout;

    private CompositeByteBuf received;
    private UdpOverTcp.Request request;
    private Channel udp;
    private AddressResolver<InetSocketAddress> resolver;
    private InetSocketAddress connectTarget;
    private ChannelHandlerContext ctx;
    /** Resolved address → the domain destination the client named, for replies. */
    private final Map<InetSocketAddress, InetSocketAddress> replyNames =
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<InetSocketAddress, InetSocketAddress> eldest) {
                    return size() > MAX_REPLY_NAMES;
                }
            };

    /**
     * @param udpBootstrap a bootstrap with the datagram channel type set; event loop and handler are set here
     */
    public UdpOverTcpServerHandler(Bootstrap udpBootstrap, AddressResolverGroup<InetSocketAddress> resolvers,
                                   Duration idleTimeout) {
        this.udpBootstrap = udpBootstrap;
        this.resolvers = resolvers;
        this.idleTimeout = idleTimeout;
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
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
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
        if (received == null || !(msg instanceof ByteBuf)) {
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
                openSocket(ctx);
                return;
            }
            if (udp != null && udp.isActive()) {
                forwardPackets();
            }
        } catch (WireFormatException e) {
            // A malformed header or packet ends this flow only; the session and its other streams go on.
            LOG.log(System.Logger.Level.DEBUG, "UDP flow {0}: {1}", ctx.channel(), e.getMessage());
            if (udp == null) {
                ((AnyTlsStreamChannel) ctx.channel()).reportConnectResult("udp over tcp: " + e.getMessage());
            }
            ctx.close();
        }
    }

    private void openSocket(ChannelHandlerContext ctx) {
        Channel stream = ctx.channel();
        ChannelFuture bound = udpBootstrap.clone(stream.eventLoop())
                .handler(new ReplyHandler(stream))
                .bind(new InetSocketAddress(0));
        bound.addListener((ChannelFuture done) -> {
            if (!done.isSuccess()) {
                ((AnyTlsStreamChannel) stream).reportConnectResult("listen udp: " + done.cause().getMessage());
                stream.close();
                return;
            }
            udp = done.channel();
            if (!stream.isActive()) {
                udp.close();
                return;
            }
            udp.closeFuture().addListener(closed -> stream.close());
            ((AnyTlsStreamChannel) stream).reportConnectResult(null);
            if (request.connect()) {
                resolveConnectTarget(stream);
            } else {
                forwardPackets();
            }
        });
    }

    private void resolveConnectTarget(Channel stream) {
        InetSocketAddress destination = request.destination();
        if (!destination.isUnresolved()) {
            connectTarget = destination;
            forwardPackets();
            return;
        }
        resolver.resolve(destination).addListener((Future<InetSocketAddress> resolved) -> {
            if (!resolved.isSuccess()) {
                LOG.log(System.Logger.Level.DEBUG, "UDP flow {0}: cannot resolve {1}", stream, destination);
                stream.close();
                return;
            }
            connectTarget = resolved.getNow();
            forwardPackets();
        });
    }

    private void forwardPackets() {
        if (received == null || request.connect() && connectTarget == null) {
            return;
        }
        for (;;) {
            if (request.connect()) {
                ByteBuf payload = UdpOverTcp.tryDecodeConnectPacket(received);
                if (payload == null) {
                    break;
                }
                udp.write(new DatagramPacket(payload, connectTarget));
            } else {
                UotPacket packet = UdpOverTcp.tryDecodePacket(received);
                if (packet == null) {
                    break;
                }
                send(packet);
            }
        }
        received.discardReadComponents();
        udp.flush();
    }

    private void send(UotPacket packet) {
        InetSocketAddress peer = packet.peer();
        ByteBuf payload = packet.payload();
        if (!peer.isUnresolved()) {
            udp.write(new DatagramPacket(payload, peer));
            return;
        }
        resolver.resolve(peer).addListener((Future<InetSocketAddress> resolved) -> {
            if (!resolved.isSuccess() || udp == null || !udp.isActive()) {
                payload.release();
                return;
            }
            replyNames.put(resolved.getNow(), peer);
            udp.writeAndFlush(new DatagramPacket(payload, resolved.getNow()));
        });
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(System.Logger.Level.DEBUG, "UDP flow {0} failed: {1}", ctx.channel(), cause.toString());
        ctx.close();
    }

    /** Frames each datagram received on the UDP socket back into the stream. */
    private final class ReplyHandler extends ChannelInboundHandlerAdapter {
        private final Channel stream;

        ReplyHandler(Channel stream) {
            this.stream = stream;
        }

        @Override
        public void channelRead(ChannelHandlerContext udpCtx, Object msg) {
            DatagramPacket datagram = (DatagramPacket) msg;
            if (!stream.isActive() || !stream.isWritable()) {
                // UDP may drop: better a lost datagram than an unbounded queue in front of a slow client.
                datagram.release();
                return;
            }
            ByteBuf payload = datagram.content();
            if (request.connect()) {
                stream.write(UdpOverTcp.connectPacket(stream.alloc(), payload));
            } else {
                InetSocketAddress source = datagram.sender();
                InetSocketAddress named = replyNames.getOrDefault(source, source);
                stream.write(UdpOverTcp.packet(stream.alloc(), named, payload));
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext udpCtx) {
            stream.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext udpCtx, Throwable cause) {
            LOG.log(System.Logger.Level.DEBUG, "UDP socket of {0} failed: {1}", stream, cause.toString());
            udpCtx.close();
        }
    }
}
