package org.anytls4j.anytls.tls;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import org.anytls4j.testkit.BoundedWait;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLSession;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/** Real TLS over 127.0.0.1: an echo server and a client connection, with bounded waits only. */
final class TlsLoopback {
    static final long WAIT_SECONDS = 10;
    static final String LOOPBACK = "127.0.0.1";

    private TlsLoopback() {
    }

    static EventLoopGroup newGroup() {
        return new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    }

    static void shutdown(EventLoopGroup group) throws InterruptedException {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** Echoes every byte back over TLS and records the SNI names each handshake requested. */
    static final class EchoServer implements AutoCloseable {
        private final Channel channel;
        final BlockingQueue<List<String>> requestedServerNames = new LinkedBlockingQueue<>();

        private EchoServer(EventLoopGroup group, Function<ByteBufAllocator, SslHandler> handlers)
                throws InterruptedException {
            this.channel = BoundedWait.sync(new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(handlers.apply(ch.alloc()), new Echo());
                        }
                    })
                    .bind(LOOPBACK, 0)).channel();
        }

        static EchoServer start(EventLoopGroup group, Function<ByteBufAllocator, SslHandler> handlers)
                throws InterruptedException {
            return new EchoServer(group, handlers);
        }

        static EchoServer start(EventLoopGroup group, SslContext context) throws InterruptedException {
            return new EchoServer(group, context::newHandler);
        }

        int port() {
            return ((InetSocketAddress) channel.localAddress()).getPort();
        }

        @Override
        public void close() {
            channel.close().awaitUninterruptibly(WAIT_SECONDS, TimeUnit.SECONDS);
        }

        private final class Echo extends ChannelInboundHandlerAdapter {
            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                if (event instanceof SslHandshakeCompletionEvent && ((SslHandshakeCompletionEvent) event).isSuccess()) {
                    SSLSession session = ctx.pipeline().get(SslHandler.class).engine().getSession();
                    List<String> names = new ArrayList<>();
                    if (session instanceof ExtendedSSLSession) {
                        for (SNIServerName name : ((ExtendedSSLSession) session).getRequestedServerNames()) {
                            names.add(name instanceof SNIHostName ? ((SNIHostName) name).getAsciiName()
                                    : name.toString());
                        }
                    }
                    requestedServerNames.add(names);
                }
                ctx.fireUserEventTriggered(event);
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ctx.writeAndFlush(msg);
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                ctx.close();
            }
        }
    }

    /** A client carrier: TCP to 127.0.0.1:port with the handler {@link ClientSslContexts} makes for peerHost. */
    static final class Client implements AutoCloseable {
        private final Channel channel;
        private final SslHandler ssl;
        private final Receiver receiver = new Receiver();

        private Client(EventLoopGroup group, int port, SslContext context, ClientTlsOptions options,
                       String peerHost) throws InterruptedException {
            SslHandler[] created = new SslHandler[1];
            this.channel = BoundedWait.sync(new Bootstrap()
                    .group(group)
                    .channel(NioSocketChannel.class)
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            created[0] = ClientSslContexts.newHandler(context, options, ch.alloc(), peerHost, port);
                            ch.pipeline().addLast(created[0], receiver);
                        }
                    })
                    .connect(LOOPBACK, port)).channel();
            this.ssl = created[0];
        }

        static Client connect(EventLoopGroup group, int port, SslContext context, ClientTlsOptions options,
                              String peerHost) throws InterruptedException {
            return new Client(group, port, context, options, peerHost);
        }

        SslHandler ssl() {
            return ssl;
        }

        /** Waits for the handshake; rethrows its failure. */
        Client handshake() throws InterruptedException, ExecutionException, TimeoutException {
            ssl.handshakeFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
            return this;
        }

        /** Waits for the handshake to fail and returns why; fails the test if it succeeds. */
        Throwable handshakeFailure() throws InterruptedException {
            if (!ssl.handshakeFuture().await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError("handshake neither failed nor succeeded in " + WAIT_SECONDS + " s");
            }
            if (ssl.handshakeFuture().isSuccess()) {
                throw new AssertionError("handshake succeeded but was expected to fail");
            }
            return ssl.handshakeFuture().cause();
        }

        X509Certificate peerCertificate() throws Exception {
            return (X509Certificate) ssl.engine().getSession().getPeerCertificates()[0];
        }

        /** Sends {@code text} and waits until the echo of the same number of bytes is back. */
        String echo(String text) throws Exception {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            CompletableFuture<String> reply = receiver.expect(bytes.length);
            channel.writeAndFlush(channel.alloc().buffer(bytes.length).writeBytes(bytes))
                    .get(WAIT_SECONDS, TimeUnit.SECONDS);
            return reply.get(WAIT_SECONDS, TimeUnit.SECONDS);
        }

        @Override
        public void close() {
            channel.close().awaitUninterruptibly(WAIT_SECONDS, TimeUnit.SECONDS);
        }
    }

    private static final class Receiver extends ChannelInboundHandlerAdapter {
        private final java.io.ByteArrayOutputStream received = new java.io.ByteArrayOutputStream();
        private int expected;
        private CompletableFuture<String> pending;

        synchronized CompletableFuture<String> expect(int bytes) {
            received.reset();
            expected = bytes;
            pending = new CompletableFuture<>();
            return pending;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws java.io.IOException {
            try {
                ByteBuf buf = (ByteBuf) msg;
                synchronized (this) {
                    buf.readBytes(received, buf.readableBytes());
                    if (pending != null && received.size() >= expected) {
                        pending.complete(received.toString(StandardCharsets.UTF_8));
                    }
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            synchronized (this) {
                if (pending != null) {
                    pending.completeExceptionally(cause);
                }
            }
            ctx.close();
        }
    }
}
