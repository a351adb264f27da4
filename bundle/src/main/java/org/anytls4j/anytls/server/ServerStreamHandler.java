package org.anytls4j.anytls.server;

import org.anytls4j.common.relay.RelayHandler;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ConnectTimeoutException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import org.anytls4j.anytls.session.StreamAttributes;
import org.anytls4j.anytls.wire.SocksAddress;
import org.anytls4j.anytls.wire.WireFormatException;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Serves one stream on the server (§8.1, §8.3, §12.5): reads the destination from the first payload bytes (they may
 * arrive split over several PSH frames), connects to it without blocking (Netty's DNS resolver), reports the result
 * with SYNACK, then relays both ways with backpressure. Error texts follow Go's {@code net} wording so that every
 * client maps them to the same reason.
 */
final class ServerStreamHandler extends ChannelInboundHandlerAdapter {
    private static final System.Logger LOG = System.getLogger(ServerStreamHandler.class.getName());

    private enum State { READING_DESTINATION, CONNECTING, DONE }

    /**
     * What a stream may send while its destination is dialled before it stops reading: a client's first flight
     * (a TLS ClientHello, an HTTP request) fits, so the usual early data never pauses the session, and a client
     * that sends more waits for the dial like before.
     */
    static final int MAX_HELD_WHILE_CONNECTING = 16 * 1024;

    private final Bootstrap outbound;
    private final Duration connectTimeout;
    private final ServerStats stats;
    private final UdpStreamHandlerFactory udp;

    private State state = State.READING_DESTINATION;
    private CompositeByteBuf received;
    /** What the stream sent before it closed during the dial; delivered when the dial ends. */
    private ByteBuf sentBeforeClose;
    private ScheduledFuture<?> destinationDeadline;

    ServerStreamHandler(Bootstrap outbound, Duration connectTimeout, ServerStats stats, UdpStreamHandlerFactory udp) {
        this.outbound = outbound;
        this.connectTimeout = connectTimeout;
        this.stats = stats;
        this.udp = udp;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        received = ctx.alloc().compositeBuffer();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        destinationDeadline = ctx.executor().schedule(() -> {
            if (state == State.READING_DESTINATION) {
                fail(ctx, "read destination: i/o timeout");
            }
        }, connectTimeout.toNanos(), TimeUnit.NANOSECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelDeadline();
        if (received != null) {
            received.release();
            received = null;
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (state == State.DONE || received == null || !(msg instanceof ByteBuf)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        received.addComponent(true, (ByteBuf) msg);
        if (state == State.CONNECTING) {
            // Held until the outbound connection is up. Only past a bound does the stream stop reading, since a
            // stream that stops reading stops its whole session (AnyTLS has no per-stream flow control).
            if (received.readableBytes() >= MAX_HELD_WHILE_CONNECTING) {
                ctx.channel().config().setAutoRead(false);
            }
            return;
        }
        InetSocketAddress destination;
        try {
            destination = SocksAddress.tryDecode(received);
        } catch (WireFormatException e) {
            fail(ctx, "read destination: " + e.getMessage());
            return;
        }
        if (destination == null) {
            return;
        }
        cancelDeadline();
        String host = destination.getHostString();
        if (SocksAddress.UOT_V2_MAGIC_HOST.equals(host) || SocksAddress.UOT_V1_MAGIC_HOST.equals(host)) {
            handOverToUdp(ctx, host);
            return;
        }
        connect(ctx, destination);
    }

    private void handOverToUdp(ChannelHandlerContext ctx, String magicHost) {
        if (udp == null || !SocksAddress.UOT_V2_MAGIC_HOST.equals(magicHost)) {
            fail(ctx, "udp over tcp: " + magicHost + " is not supported by this server");
            return;
        }
        state = State.DONE;
        ByteBuf rest = received;
        received = null;
        ctx.pipeline().replace(this, "udp", udp.newHandler());
        if (rest.isReadable()) {
            ctx.pipeline().fireChannelRead(rest);
            ctx.pipeline().fireChannelReadComplete();
        } else {
            rest.release();
        }
    }

    private void connect(ChannelHandlerContext ctx, InetSocketAddress destination) {
        state = State.CONNECTING;
        Channel stream = ctx.channel();
        ChannelFuture connect = outbound.clone(stream.eventLoop())
                .handler(new RelayHandler(stream))
                .connect(destination);
        connect.addListener((ChannelFuture done) -> {
            if (state != State.CONNECTING) {
                ByteBuf sent = sentBeforeClose;
                sentBeforeClose = null;
                if (sent != null) {
                    deliverThenClose(done, sent);
                } else {
                    done.channel().close();
                }
                return;
            }
            if (!done.isSuccess()) {
                stats.outboundConnectFailures.increment();
                fail(ctx, goStyleDialError(destination, done.cause()));
                return;
            }
            Channel upstream = done.channel();
            if (!stream.isActive()) {
                upstream.close();
                return;
            }
            state = State.DONE;
            LOG.log(System.Logger.Level.DEBUG, "stream {0} of user {1}: connected to {2}", stream, user(ctx),
                    destination);
            StreamAttributes.reportConnectResult(stream, null);
            ByteBuf early = received;
            received = null;
            ctx.pipeline().replace(this, "relay", new RelayHandler(upstream));
            if (early.isReadable()) {
                upstream.writeAndFlush(early);
            } else {
                early.release();
            }
            stream.config().setAutoRead(true);
        });
        stream.closeFuture().addListener(closed -> {
            if (state != State.CONNECTING) {
                return;
            }
            state = State.DONE;
            if (received != null && received.isReadable()) {
                // The client sent, then closed (FIN) before the dial ended: what it sent still goes to the
                // destination, as with the reference, which delivers a stream's data before its end.
                sentBeforeClose = received;
                received = null;
                return;
            }
            connect.cancel(false);
            connect.channel().close();
        });
    }

    /** Writes what a stream sent before it closed during the dial, then closes the upstream connection. */
    private static void deliverThenClose(ChannelFuture dial, ByteBuf sent) {
        if (dial.isSuccess()) {
            dial.channel().writeAndFlush(sent).addListener(ChannelFutureListener.CLOSE);
        } else {
            sent.release();
            dial.channel().close();
        }
    }

    private void fail(ChannelHandlerContext ctx, String error) {
        state = State.DONE;
        cancelDeadline();
        LOG.log(System.Logger.Level.DEBUG, "stream {0} of user {1}: {2}", ctx.channel(), user(ctx), error);
        StreamAttributes.reportConnectResult(ctx.channel(), error);
        ctx.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(System.Logger.Level.DEBUG, "stream {0} of user {1} failed: {2}", ctx.channel(), user(ctx),
                cause.toString());
        ctx.close();
    }

    /** The authenticated user the session layer attached to this stream, for logs. */
    private static String user(ChannelHandlerContext ctx) {
        return ctx.channel().attr(StreamAttributes.USER).get();
    }

    private void cancelDeadline() {
        if (destinationDeadline != null) {
            destinationDeadline.cancel(false);
            destinationDeadline = null;
        }
    }

    /** Go's wording ("dial tcp 1.2.3.4:80: connect: connection refused"), which every client knows how to map. */
    static String goStyleDialError(InetSocketAddress destination, Throwable cause) {
        String target = hostPort(destination);
        if (cause instanceof ConnectTimeoutException) {
            return "dial tcp " + target + ": i/o timeout";
        }
        if (cause instanceof UnknownHostException) {
            return "dial tcp: lookup " + destination.getHostString() + ": no such host";
        }
        if (cause instanceof NoRouteToHostException) {
            return "dial tcp " + target + ": connect: no route to host";
        }
        if (cause instanceof ConnectException) {
            String message = String.valueOf(cause.getMessage()).toLowerCase(java.util.Locale.ROOT);
            if (message.contains("network is unreachable")) {
                return "dial tcp " + target + ": connect: network is unreachable";
            }
            if (message.contains("refused")) {
                return "dial tcp " + target + ": connect: connection refused";
            }
        }
        return "dial tcp " + target + ": " + cause.getMessage();
    }

    private static String hostPort(InetSocketAddress address) {
        String host = address.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
