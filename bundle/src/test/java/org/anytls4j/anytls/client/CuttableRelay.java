package org.anytls4j.anytls.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.util.ReferenceCountUtil;
import org.anytls4j.anytls.io.IoRuntime;

import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay on 127.0.0.1 in front of a server that a test can cut: connections made before the cut either go
 * silent in both directions while staying open ({@link #blackholeExisting()}, a NAT that forgot them) or are closed
 * as soon as the client sends anything ({@link #resetExistingOnData()}, a server that restarted while they were
 * idle: its kernel answers the client's next segment with a reset). Bytes the server had sent before the cut may
 * still arrive (a trailing FIN frame of the last stream); they pass, so that the cut always hits the next open and
 * never an idle session by chance. Connections made after the cut are relayed as usual.
 */
final class CuttableRelay implements AutoCloseable {
    private enum Cut { NONE, BLACKHOLE, RESET }

    private final InetSocketAddress target;
    private final IoRuntime io;
    private final Channel listener;
    private final Set<Channel> channels = ConcurrentHashMap.newKeySet();
    private final AtomicLong epoch = new AtomicLong();
    private volatile Cut cut = Cut.NONE;
    private volatile long cutBefore;

    CuttableRelay(IoRuntime io, InetSocketAddress target) throws InterruptedException {
        this.io = io;
        this.target = target;
        ChannelFuture bound = new ServerBootstrap().group(io.group()).channel(io.serverSocketChannel())
                .childOption(ChannelOption.AUTO_READ, false)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel client) {
                        connect(client);
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0));
        if (!bound.await(20, TimeUnit.SECONDS) || !bound.isSuccess()) {
            throw new IllegalStateException("relay did not bind", bound.cause());
        }
        listener = bound.channel();
    }

    int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /** Existing connections stop carrying anything, in either direction, and stay open. */
    void blackholeExisting() {
        cutBefore = epoch.get();
        cut = Cut.BLACKHOLE;
    }

    /** Existing connections close at the first byte the client sends. */
    void resetExistingOnData() {
        cutBefore = epoch.get();
        cut = Cut.RESET;
    }

    /** Every connection, old or new, closes at the first byte the client sends: the server is gone for good. */
    void resetAll() {
        cutBefore = Long.MAX_VALUE;
        cut = Cut.RESET;
    }

    private void connect(Channel client) {
        channels.add(client);
        Link link = new Link(epoch.incrementAndGet(), client);
        ChannelFuture connected = new Bootstrap().group(client.eventLoop()).channel(io.socketChannel())
                .handler(new Forward(link, false))
                .connect(target);
        link.upstream = connected.channel();
        channels.add(connected.channel());
        connected.addListener(done -> {
            if (!done.isSuccess()) {
                client.close();
                return;
            }
            client.pipeline().addLast(new Forward(link, true));
            client.config().setAutoRead(true);
        });
    }

    @Override
    public void close() throws InterruptedException {
        listener.close().await(20, TimeUnit.SECONDS);
        for (Channel channel : channels) {
            channel.close().await(20, TimeUnit.SECONDS);
        }
    }

    private static final class Link {
        final long epoch;
        final Channel client;
        volatile Channel upstream;

        Link(long epoch, Channel client) {
            this.epoch = epoch;
            this.client = client;
        }
    }

    private final class Forward extends ChannelInboundHandlerAdapter {
        private final Link link;
        private final boolean fromClient;

        Forward(Link link, boolean fromClient) {
            this.link = link;
            this.fromClient = fromClient;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            Cut now = cut;
            boolean cutHere = now == Cut.BLACKHOLE || (now == Cut.RESET && fromClient);
            if (cutHere && link.epoch <= cutBefore) {
                ReferenceCountUtil.release(msg);
                if (now == Cut.RESET) {
                    link.client.close();
                    link.upstream.close();
                }
                return;
            }
            (fromClient ? link.upstream : link.client).writeAndFlush(msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            Channel peer = fromClient ? link.upstream : link.client;
            if (peer != null) {
                peer.close();
            }
            ctx.fireChannelInactive();
        }
    }
}
