package org.anytls4j.anytls.hardening;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;
import org.anytls4j.testkit.BoundedWait;

import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay on 127.0.0.1 between a client and a server, under the test's control: it forwards, blackholes the
 * connections it already carries (they stay open, bytes vanish, as behind a middlebox that lost its state), kills
 * them (RST, as when a server dies), or accepts new connections without ever connecting them onwards (a server that
 * accepts TCP but never finishes TLS).
 */
final class FaultyRelay implements AutoCloseable {
    private final EventLoopGroup group;
    private final InetSocketAddress target;
    private final Channel listener;
    private final Set<Pair> pairs = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile boolean connectOnwards = true;

    FaultyRelay(EventLoopGroup group, InetSocketAddress target) {
        this.group = group;
        this.target = target;
        this.listener = BoundedWait.sync(new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.AUTO_READ, false)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel inbound) {
                        accepted.incrementAndGet();
                        Pair pair = new Pair(inbound);
                        pairs.add(pair);
                        inbound.closeFuture().addListener(closed -> pairs.remove(pair));
                        if (connectOnwards) {
                            pair.connect();
                        } else {
                            inbound.pipeline().addLast(new Sink());
                            inbound.config().setAutoRead(true);
                        }
                    }
                })
                .bind("127.0.0.1", 0))
                .channel();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    /** Connections accepted so far (one per AnyTLS session dialled through the relay). */
    int accepted() {
        return accepted.get();
    }

    int openConnections() {
        return pairs.size();
    }

    /** New connections are accepted and read, but never connected to the server: TLS never completes. */
    void stopConnectingOnwards() {
        connectOnwards = false;
    }

    /** Every connection carried now keeps its sockets open but stops delivering bytes either way, for good. */
    void blackholeExisting() {
        pairs.forEach(pair -> pair.blackholed = true);
    }

    /** Resets every connection carried now, both sides, as if the server host died. */
    void killExisting() {
        pairs.forEach(Pair::kill);
    }

    @Override
    public void close() {
        BoundedWait.sync(listener.close());
        killExisting();
    }

    private final class Pair {
        final Channel inbound;
        volatile Channel outbound;
        volatile boolean blackholed;

        Pair(Channel inbound) {
            this.inbound = inbound;
        }

        void connect() {
            new Bootstrap().group(inbound.eventLoop()).channel(NioSocketChannel.class)
                    .handler(new Forwarder(this, inbound))
                    .connect(target)
                    .addListener((ChannelFutureListener) connected -> {
                        if (!connected.isSuccess()) {
                            inbound.close();
                            return;
                        }
                        outbound = connected.channel();
                        inbound.pipeline().addLast(new Forwarder(this, outbound));
                        inbound.config().setAutoRead(true);
                        outbound.closeFuture().addListener(closed -> inbound.close());
                        inbound.closeFuture().addListener(closed -> outbound.close());
                    });
        }

        void kill() {
            reset(inbound);
            Channel out = outbound;
            if (out != null) {
                reset(out);
            }
        }

        private void reset(Channel channel) {
            // SO_LINGER 0 turns the close into an RST: no orderly FIN, like a crashed host's kernel answering.
            // A side the peer already closed needs no reset (and its socket refuses the option).
            if (channel.isOpen()) {
                try {
                    channel.config().setOption(ChannelOption.SO_LINGER, 0);
                } catch (io.netty.channel.ChannelException closedMeanwhile) {
                    // closed between the check and the option: nothing left to reset
                }
            }
            channel.close();
        }
    }

    /** Forwards what one side reads to the other, unless the pair is blackholed. */
    private static final class Forwarder extends ChannelInboundHandlerAdapter {
        private final Pair pair;
        private final Channel to;

        Forwarder(Pair pair, Channel to) {
            this.pair = pair;
            this.to = to;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (pair.blackholed) {
                ReferenceCountUtil.release(msg);
            } else {
                to.writeAndFlush(msg);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** Reads and drops everything: a peer that accepted the connection and then does nothing. */
    private static final class Sink extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }
    }
}
