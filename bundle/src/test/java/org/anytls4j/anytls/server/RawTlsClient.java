package org.anytls4j.anytls.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import org.anytls4j.anytls.io.IoRuntime;
import org.anytls4j.testkit.BoundedWait;

import javax.net.ssl.SSLException;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A TLS client that writes exactly the bytes a test gives it, as a prober or a hand-written AnyTLS client would,
 * and records every decrypted byte it receives and when the server closed the connection.
 */
final class RawTlsClient implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final SslContext INSECURE = insecureContext();

    private final Channel channel;
    private final SslHandler tls;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final CompletableFuture<byte[]> closed = new CompletableFuture<>();

    private RawTlsClient(IoRuntime io, InetSocketAddress server) throws InterruptedException {
        SslHandler[] handler = new SslHandler[1];
        channel = BoundedWait.sync(new Bootstrap()
                .group(io.group())
                .channel(io.socketChannel())
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        handler[0] = INSECURE.newHandler(ch.alloc(), "localhost", server.getPort());
                        ch.pipeline().addLast(handler[0], new Recorder());
                    }
                })
                .connect(server))
                .channel();
        tls = handler[0];
    }

    /** Connects and completes the TLS handshake. */
    static RawTlsClient connect(IoRuntime io, InetSocketAddress server) throws Exception {
        RawTlsClient client = new RawTlsClient(io, server);
        if (!client.tls.handshakeFuture().await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                || !client.tls.handshakeFuture().isSuccess()) {
            client.close();
            throw new AssertionError("TLS handshake with " + server + " failed", client.tls.handshakeFuture().cause());
        }
        return client;
    }

    private static SslContext insecureContext() {
        try {
            return SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
                    .trustManager(InsecureTrustManagerFactory.INSTANCE).build();
        } catch (SSLException e) {
            throw new IllegalStateException(e);
        }
    }

    void send(byte[] bytes) {
        BoundedWait.sync(channel.writeAndFlush(Unpooled.wrappedBuffer(bytes)));
    }

    void send(ByteBuf bytes) {
        BoundedWait.sync(channel.writeAndFlush(bytes));
    }

    /** The certificate the server presented. */
    X509Certificate serverCertificate() throws Exception {
        return (X509Certificate) tls.engine().getSession().getPeerCertificates()[0];
    }

    /** Completes with every byte received once the server closed the connection. */
    CompletableFuture<byte[]> closedByServer() {
        return closed;
    }

    @Override
    public void close() {
        BoundedWait.sync(channel.close());
    }

    private final class Recorder extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf data = (ByteBuf) msg;
            try {
                byte[] bytes = ByteBufUtil.getBytes(data);
                synchronized (received) {
                    received.write(bytes, 0, bytes.length);
                }
            } finally {
                data.release();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            synchronized (received) {
                closed.complete(received.toByteArray());
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // A reset after the server's close is still a close; what was received stays recorded.
            ctx.close();
        }
    }
}
