package org.anytls4j.anytls.session;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import org.anytls4j.common.channel.BulkSockets;
import org.anytls4j.anytls.padding.PaddingScheme;
import org.anytls4j.anytls.wire.AuthBlock;
import org.anytls4j.transport.api.TransportException;
import org.anytls4j.transport.api.TransportException.Phase;
import org.anytls4j.transport.api.TransportException.Reason;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Dials one client session (§7.1): TCP (keep-alive and no-delay on), TLS, the authentication record as packet 0,
 * then the frame layer. The returned future completes once the session can open streams; its Settings frame is
 * held back until the first stream so that both leave as packet 1.
 */
public final class ClientSessionConnector {
    /**
     * Makes the TLS handler for one carrier: SNI, verification and handshake timeout belong to the TLS layer. Any
     * engine works that fires an {@link SslHandshakeCompletionEvent} (Netty's {@code SslHandler}, or the browser-hello
     * engine of {@code tls.fingerprint}).
     */
    @FunctionalInterface
    public interface SslHandlerFactory {
        ChannelHandler newHandler(ByteBufAllocator allocator, String peerHost, int peerPort);
    }

    private final Bootstrap bootstrap;
    private final InetSocketAddress server;
    private final SslHandlerFactory tls;
    private final byte[] passwordHash;
    private final ClientSessionOptions options;

    /**
     * @param bootstrap    a bootstrap with channel type and resolver set (a non-blocking resolver: DNS must never
     *                     block an event loop); its handler and event loop are set per dial
     * @param server       the AnyTLS server, usually unresolved
     * @param passwordHash sha256 of the password (§3.1)
     */
    public ClientSessionConnector(Bootstrap bootstrap, InetSocketAddress server, Duration connectTimeout,
                                  SslHandlerFactory tls, byte[] passwordHash, ClientSessionOptions options) {
        this.bootstrap = bootstrap.clone()
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.RCVBUF_ALLOCATOR, BulkSockets.receiveBuffers())
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, BulkSockets.writeWaterMark())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                        connectTimeout.toMillis()));
        this.server = Objects.requireNonNull(server, "server");
        this.tls = Objects.requireNonNull(tls, "tls");
        this.passwordHash = passwordHash.clone();
        this.options = Objects.requireNonNull(options, "options");
    }

    public InetSocketAddress server() {
        return server;
    }

    /** Dials a session on {@code loop}; the future fails only with {@link TransportException}. */
    public Future<ClientSessionHandler> connect(EventLoop loop, String sessionId, ClientSessionListener listener) {
        return connect(loop, UnaryOperator.identity(), sessionId, listener);
    }

    /**
     * Dials a session on {@code loop} with what {@code forLoop} changes in the bootstrap (the channel type and
     * resolver that can register on that loop, when it belongs to another group).
     */
    public Future<ClientSessionHandler> connect(EventLoop loop, UnaryOperator<Bootstrap> forLoop, String sessionId,
                                                ClientSessionListener listener) {
        Promise<ClientSessionHandler> promise = loop.newPromise();
        ClientSessionHandler session = new ClientSessionHandler(sessionId, options, listener);
        long dialStart = loop.ticker().nanoTime();
        Promise<Void> handshake = loop.newPromise();
        ChannelFuture connect = forLoop.apply(bootstrap.clone(loop))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.pipeline().addLast("tls",
                                tls.newHandler(channel.alloc(), server.getHostString(), server.getPort()));
                        // In place before the channel is active, so the handshake's end cannot be missed.
                        channel.pipeline().addLast("handshake", new HandshakeWatcher(handshake));
                    }
                })
                .connect(server);
        promise.addListener(done -> {
            if (done.isCancelled()) {
                connect.channel().close();
            }
        });
        connect.addListener((ChannelFuture connected) -> {
            if (!connected.isSuccess()) {
                promise.tryFailure(connectFailure(connected.cause()));
                return;
            }
            Channel channel = connected.channel();
            handshake.addListener(done -> {
                if (!done.isSuccess()) {
                    channel.close();
                    promise.tryFailure(handshakeFailure(done.cause()));
                    return;
                }
                if (promise.isDone()) {
                    channel.close();
                    return;
                }
                PaddingScheme scheme = options.paddingScheme().get();
                int paddingLength = scheme.authPaddingLength(options.random());
                // Packet 0: the whole block in one write and one flush, so it is one TLS record (§3.1).
                channel.writeAndFlush(AuthBlock.encode(channel.alloc(), passwordHash, paddingLength));
                // TCP connect plus TLS handshake: two round trips and the server's crypto, a safe upper bound of one.
                session.handshakeTook(loop.ticker().nanoTime() - dialStart);
                CarrierPipeline.client(channel.pipeline(), "tls", session);
                if (!promise.trySuccess(session)) {
                    channel.close();
                }
            });
        });
        return promise;
    }

    /** Completes {@code done} when the TLS engine reports its handshake, then leaves the pipeline. */
    private static final class HandshakeWatcher extends ChannelInboundHandlerAdapter {
        private final Promise<Void> done;

        HandshakeWatcher(Promise<Void> done) {
            this.done = done;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof SslHandshakeCompletionEvent) {
                SslHandshakeCompletionEvent completion = (SslHandshakeCompletionEvent) event;
                ctx.pipeline().remove(this);
                if (completion.isSuccess()) {
                    done.trySuccess(null);
                } else {
                    done.tryFailure(completion.cause());
                }
                return;
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            done.tryFailure(new javax.net.ssl.SSLException("the connection closed during the TLS handshake"));
            ctx.fireChannelInactive();
        }
    }

    private TransportException connectFailure(Throwable cause) {
        if (cause instanceof ConnectTimeoutException) {
            return new TransportException(Reason.TIMEOUT, Phase.CARRIER_CONNECT, options.transportName(),
                    "connecting to the AnyTLS server " + SessionErrors.describe(server) + " timed out", cause);
        }
        if (cause instanceof java.net.UnknownHostException) {
            return new TransportException(Reason.UPSTREAM_UNREACHABLE, Phase.CARRIER_CONNECT,
                    options.transportName(), "cannot resolve the AnyTLS server " + server.getHostString(), cause);
        }
        return new TransportException(Reason.UPSTREAM_UNREACHABLE, Phase.CARRIER_CONNECT, options.transportName(),
                "cannot connect to the AnyTLS server " + SessionErrors.describe(server) + ": " + cause.getMessage(),
                cause);
    }

    private TransportException handshakeFailure(Throwable cause) {
        if (cause instanceof SslHandshakeTimeoutException) {
            return new TransportException(Reason.TIMEOUT, Phase.CARRIER_HANDSHAKE, options.transportName(),
                    "the TLS handshake with " + SessionErrors.describe(server) + " timed out", cause);
        }
        return new TransportException(Reason.UPSTREAM_TLS, Phase.CARRIER_HANDSHAKE, options.transportName(),
                "the TLS handshake with " + SessionErrors.describe(server) + " failed: " + cause.getMessage(), cause);
    }
}
