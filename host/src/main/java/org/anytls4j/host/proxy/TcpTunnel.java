package org.anytls4j.host.proxy;

import org.anytls4j.common.relay.RelayHandler;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.Queue;
import org.anytls4j.transport.api.Capability;
import org.anytls4j.transport.api.Network;
import org.anytls4j.transport.api.OpenRequest;
import org.anytls4j.transport.api.TransportException.Reason;
import org.anytls4j.transport.api.netty.NettyOutboundTransport;

/**
 * Opens a TCP stream through the outbound transport for one inbound connection whose handshake is done, answers the
 * client, and then relays: the flow of the SPI design §4.8. Through a transport that offers early data (and with the
 * host's {@code earlyData} on) the open completes once it is sent, so the client is answered at once; a failed dial
 * then arrives on the stream ({@link LateOpenFailure}) and closes the client's connection.
 *
 * <p>The inbound channel stops reading while the open is in flight; bytes the handshake decoder had already read
 * past the request are held and forwarded first. The outbound channel does not read until the success reply has
 * been written, so nothing of the destination can overtake the reply.
 */
final class TcpTunnel extends ChannelInboundHandlerAdapter {
    private static final System.Logger LOG = System.getLogger(TcpTunnel.class.getName());

    private final ProxyOptions options;
    private final OpenRequest request;
    private final TunnelReplies replies;
    private final Queue<Object> early = new ArrayDeque<>();
    private Future<Channel> opening;
    /** The client half-closed while the open was in flight; the relay is told once it is in place. */
    private boolean inputEnded;

    TcpTunnel(ProxyOptions options, OpenRequest request, TunnelReplies replies) {
        this.options = options;
        this.request = request;
        this.replies = replies;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        Channel inbound = ctx.channel();
        Optional<NettyOutboundTransport> outbound = options.outbound();
        if (outbound.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, () -> "proxy '" + options.name()
                    + "' has no outbound transport; refusing " + request);
            replies.failure(inbound, Reason.SHUTDOWN);
            return;
        }
        String transportName = outbound.get().name();
        OpenRequest open = earlyDataRequest(outbound.get());
        opening = outbound.get().open(open, new OutboundInitializer(inbound, transportName, open),
                inbound.eventLoop());
        if (!opening.isDone()) {
            // The client waits while the open is in flight. An open that completed at once (early data on a
            // session of this loop) skips the pause and its two system calls.
            inbound.config().setAutoRead(false);
        }
        inbound.closeFuture().addListener(closed -> opening.cancel(false));
        opening.addListener(done -> {
            if (ctx.executor().inEventLoop()) {
                opened(ctx, transportName);
            } else {
                ctx.executor().execute(() -> opened(ctx, transportName));
            }
        });
    }

    /**
     * The request with early data asked for, when the host wants it and the transport offers it: the open then
     * completes once it is sent, and the client's reply and first bytes need not wait for the far end.
     */
    private OpenRequest earlyDataRequest(NettyOutboundTransport transport) {
        boolean early = options.earlyData() && request.network() == Network.TCP
                && transport.capabilities().contains(Capability.EARLY_DATA);
        return early ? request.toBuilder().earlyData(true).build() : request;
    }

    private void opened(ChannelHandlerContext ctx, String transportName) {
        Channel inbound = ctx.channel();
        if (!opening.isSuccess()) {
            Reason reason = OpenFailureLog.reasonOf(opening.cause());
            options.openFailures().failed(transportName, request, opening.cause());
            replies.failure(inbound, reason);
            return;
        }
        Channel outbound = opening.getNow();
        if (!inbound.isActive() || ctx.isRemoved()) {
            outbound.close();
            return;
        }
        replies.success(inbound, outbound).addListener(written -> {
            if (!written.isSuccess()) {
                inbound.close();
                outbound.close();
                return;
            }
            ctx.pipeline().replace(this, "relay", new RelayHandler(outbound, options.halfCloseLinger()));
            if (inputEnded) {
                inbound.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
            }
            inbound.config().setAutoRead(true);
            outbound.config().setAutoRead(true);
        });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        early.add(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            inputEnded = true;
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        // Replaced by the relay: what arrived early goes first, in order. Otherwise (closed) it is dropped.
        Channel outbound = opening != null && opening.isSuccess() ? opening.getNow() : null;
        Object msg;
        boolean wrote = false;
        while ((msg = early.poll()) != null) {
            if (outbound != null && outbound.isActive()) {
                outbound.write(msg, outbound.voidPromise());
                wrote = true;
            } else {
                ReferenceCountUtil.release(msg);
            }
        }
        if (wrote) {
            outbound.flush();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseEarly();
        ctx.fireChannelInactive();
    }

    private void releaseEarly() {
        Object msg;
        while ((msg = early.poll()) != null) {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(System.Logger.Level.DEBUG, () -> "inbound " + ctx.channel() + " failed while opening: " + cause);
        ctx.close();
    }

    /** Sets the outbound channel up before it is registered: no reading until the reply is out, then relaying. */
    private final class OutboundInitializer extends ChannelInitializer<Channel> {
        private final Channel inbound;
        private final String transportName;
        private final OpenRequest open;

        OutboundInitializer(Channel inbound, String transportName, OpenRequest open) {
            this.inbound = inbound;
            this.transportName = transportName;
            this.open = open;
        }

        @Override
        protected void initChannel(Channel outbound) {
            outbound.config().setAutoRead(false);
            // Returns false on transports without half-close; then a remote FIN simply closes the channel.
            outbound.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
            if (open.earlyData()) {
                outbound.pipeline().addLast("late-open-failure",
                        new LateOpenFailure(options.openFailures(), transportName, open));
            }
            outbound.pipeline().addLast("relay", new RelayHandler(inbound, options.halfCloseLinger()));
        }
    }
}
