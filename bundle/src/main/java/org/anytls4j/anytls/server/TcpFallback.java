package org.anytls4j.anytls.server;

import org.anytls4j.common.relay.RelayHandler;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.util.ReferenceCountUtil;
import org.anytls4j.anytls.session.FallbackHandler;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * Trojan-style fallback: a connection that failed AnyTLS authentication is relayed, over plain TCP, to another
 * service (usually a web server), with the decrypted bytes already read replayed first. A prober therefore gets
 * exactly the answer that service gives to what it sent.
 */
public final class TcpFallback implements FallbackHandler {
    private static final System.Logger LOG = System.getLogger(TcpFallback.class.getName());

    private final Bootstrap bootstrap;
    private final InetSocketAddress target;

    public TcpFallback(Bootstrap bootstrap, InetSocketAddress target, Duration connectTimeout) {
        this.bootstrap = bootstrap.clone()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis());
        this.target = target;
    }

    public InetSocketAddress target() {
        return target;
    }

    @Override
    public void takeOver(Channel connection, ByteBuf alreadyRead) {
        Holding holding = new Holding(alreadyRead);
        connection.pipeline().addLast("fallback-hold", holding);
        ChannelFuture connect = bootstrap.clone(connection.eventLoop())
                .handler(new RelayHandler(connection))
                .connect(target);
        connect.addListener((ChannelFuture done) -> {
            if (!done.isSuccess()) {
                LOG.log(System.Logger.Level.WARNING, "fallback to {0} failed: {1}", target, done.cause().toString());
                connection.close();
                return;
            }
            Channel upstream = done.channel();
            if (!connection.isActive()) {
                upstream.close();
                return;
            }
            ByteBuf held = holding.takeHeld();
            connection.pipeline().replace(holding, "fallback-relay", new RelayHandler(upstream));
            upstream.writeAndFlush(held);
            connection.closeFuture().addListener(closed -> RelayHandler.closeOnFlush(upstream));
        });
    }

    /** Keeps what the client sends until the fallback connection is up, so no byte is lost or reordered. */
    private static final class Holding extends ChannelInboundHandlerAdapter {
        private CompositeByteBuf held;
        private ByteBuf first;

        Holding(ByteBuf first) {
            this.first = first;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            held = ctx.alloc().compositeBuffer();
            held.addComponent(true, first);
            first = null;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf && held != null) {
                held.addComponent(true, (ByteBuf) msg);
            } else {
                ReferenceCountUtil.release(msg);
            }
        }

        ByteBuf takeHeld() {
            ByteBuf taken = held;
            held = null;
            return taken;
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            if (held != null) {
                held.release();
                held = null;
            }
            if (first != null) {
                first.release();
                first = null;
            }
        }
    }
}
