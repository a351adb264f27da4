package org.anytls4j.anytls.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Authenticates a client on a fresh server-side TLS connection (§3.2) and then turns the connection into a session.
 *
 * <p>Reads sha256(password) and compares it with every user in constant time, then reads the padding with
 * read-full semantics (it may span TLS records; Go's one-record servers are stricter than this). Bytes after the
 * padding — in the same record or later — are the session's frames. On failure nothing AnyTLS-specific is ever
 * sent: the connection either closes or goes to the {@link FallbackHandler} with every byte already read in front,
 * so a prober sees an ordinary service.
 */
public final class ServerAuthHandler extends ChannelInboundHandlerAdapter {
    static final int HASH_LENGTH = 32;
    private static final int HEADER_LENGTH = HASH_LENGTH + 2;

    private final ServerUsers users;
    private final Duration timeout;
    private final FallbackHandler fallback;
    private final Function<String, ServerSessionHandler> sessionFactory;
    private final ServerEvents events;

    private CompositeByteBuf received;
    private ScheduledFuture<?> deadline;
    private String user;
    private boolean done;

    /**
     * @param fallback       where rejected connections go, or null to close them
     * @param sessionFactory makes the session for an authenticated user name
     */
    public ServerAuthHandler(ServerUsers users, Duration timeout, FallbackHandler fallback,
                             Function<String, ServerSessionHandler> sessionFactory, ServerEvents events) {
        this.users = users;
        this.timeout = timeout;
        this.fallback = fallback;
        this.sessionFactory = sessionFactory;
        this.events = events;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        received = ctx.alloc().compositeBuffer(64);
        if (timeout.toNanos() <= 0) {
            return;
        }
        // The timeout counts from the end of the TLS handshake (which has a timeout of its own), as documented:
        // started at accept, a slow handshake on a busy server ate into it and cut honest clients.
        SslHandler tls = ctx.pipeline().get(SslHandler.class);
        if (tls == null) {
            armDeadline(ctx);
        } else {
            tls.handshakeFuture().addListener(handshake -> {
                if (handshake.isSuccess() && !done) {
                    armDeadline(ctx);
                }
            });
        }
    }

    private void armDeadline(ChannelHandlerContext ctx) {
        deadline = ctx.executor().schedule(() -> reject(ctx, "no authentication within "
                + timeout.toMillis() + " ms"), timeout.toNanos(), TimeUnit.NANOSECONDS);
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
        if (done || !(msg instanceof ByteBuf)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        received.addComponent(true, (ByteBuf) msg);
        if (user == null && received.readableBytes() >= HASH_LENGTH) {
            byte[] candidate = new byte[HASH_LENGTH];
            received.getBytes(received.readerIndex(), candidate);
            Optional<String> match = users.authenticate(candidate);
            if (match.isEmpty()) {
                reject(ctx, "unknown password hash");
                return;
            }
            user = match.get();
        }
        if (user != null && received.readableBytes() >= HEADER_LENGTH) {
            int paddingLength = received.getUnsignedShort(received.readerIndex() + HASH_LENGTH);
            if (received.readableBytes() >= HEADER_LENGTH + paddingLength) {
                accept(ctx, HEADER_LENGTH + paddingLength);
            }
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!done) {
            done = true;
            events.authenticationFailed(ctx.channel().remoteAddress(), "the client closed before authenticating");
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!done) {
            done = true;
            events.authenticationFailed(ctx.channel().remoteAddress(), "connection error: " + cause);
        }
        ctx.close();
    }

    private void accept(ChannelHandlerContext ctx, int authLength) {
        done = true;
        cancelDeadline();
        received.skipBytes(authLength);
        ByteBuf rest = received;
        received = null;
        ServerSessionHandler session = sessionFactory.apply(user);
        CarrierPipeline.server(ctx.pipeline(), ctx.name(), session);
        ctx.pipeline().remove(this);
        events.authenticated(ctx.channel().remoteAddress(), user);
        if (rest.isReadable()) {
            // Frames that came with the authentication record belong to the session (§3.1).
            ctx.fireChannelRead(rest);
            ctx.fireChannelReadComplete();
        } else {
            rest.release();
        }
    }

    private void reject(ChannelHandlerContext ctx, String why) {
        if (done) {
            return;
        }
        done = true;
        cancelDeadline();
        ByteBuf alreadyRead = received;
        received = null;
        events.authenticationFailed(ctx.channel().remoteAddress(), why);
        ctx.pipeline().remove(this);
        if (fallback != null) {
            events.fellBack(ctx.channel().remoteAddress());
            fallback.takeOver(ctx.channel(), alreadyRead);
        } else {
            alreadyRead.release();
            ctx.close();
        }
    }

    private void cancelDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }
}
