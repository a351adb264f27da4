package org.anytls4j.benchmarks.e2e;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.handler.ssl.SslContext;
import org.anytls4j.anytls.io.IoRuntime;
import org.anytls4j.common.relay.RelayHandler;

import java.net.InetSocketAddress;

/**
 * The ceiling AnyTLS is compared with: a TLS-terminating TCP relay to a fixed target, built like the AnyTLS server's
 * data path (same event loops, same SslContext, same socket options, the same {@link RelayHandler}) but with no
 * authentication, framing, sessions or padding. A byte moved through it pays for TLS, two loopback sockets and the
 * relay, which is the least any TLS proxy pays.
 */
final class PlainTlsRelay implements AutoCloseable {
    private final Channel listener;

    PlainTlsRelay(IoRuntime io, SslContext tls, InetSocketAddress target) {
        Bootstrap outbound = new Bootstrap()
                .channel(io.socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true);
        listener = new ServerBootstrap()
                .group(io.group())
                .channel(io.serverSocketChannel())
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.pipeline().addLast("tls", tls.newHandler(channel.alloc()));
                        channel.pipeline().addLast("connect", new ConnectThenRelay(outbound, target));
                    }
                })
                .bind("127.0.0.1", 0)
                .syncUninterruptibly()
                .channel();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
    }

    /** Holds the client's bytes until the target is connected, then becomes a relay both ways. */
    private static final class ConnectThenRelay extends ChannelInboundHandlerAdapter {
        private final Bootstrap outbound;
        private final InetSocketAddress target;

        ConnectThenRelay(Bootstrap outbound, InetSocketAddress target) {
            this.outbound = outbound;
            this.target = target;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            Channel inbound = ctx.channel();
            inbound.config().setAutoRead(false);
            ChannelFuture connecting = outbound.clone(inbound.eventLoop())
                    .handler(new RelayHandler(inbound))
                    .connect(target);
            connecting.addListener((ChannelFuture done) -> {
                if (!done.isSuccess()) {
                    inbound.close();
                    return;
                }
                ctx.pipeline().replace(this, "relay", new RelayHandler(done.channel()));
                inbound.config().setAutoRead(true);
            });
            ctx.fireChannelActive();
        }
    }
}
