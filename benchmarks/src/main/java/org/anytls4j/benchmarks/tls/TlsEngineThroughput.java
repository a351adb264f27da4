package org.anytls4j.benchmarks.tls;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.pkitesting.X509Bundle;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import org.anytls4j.anytls.tls.ClientSslContexts;
import org.anytls4j.anytls.tls.ClientTlsOptions;
import org.anytls4j.anytls.tls.TlsProvider;
import org.anytls4j.anytls.tls.fingerprint.FingerprintTls;
import org.anytls4j.anytls.tls.fingerprint.FingerprintTlsHandler;
import org.anytls4j.anytls.tls.fingerprint.HelloProfiles;
import org.anytls4j.testkit.TestCertificates;

import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Bulk throughput of one TLS 1.3 connection on 127.0.0.1 per client engine: the fingerprint engine (bctls with the
 * JDK's AES-GCM) next to Netty's SslHandler on the JDK and on BoringSSL. The server is an SslHandler on BoringSSL
 * (JDK if tcnative is missing) that counts what it receives (upload) or sends a fixed amount (download).
 *
 * <p>{@code java -cp benchmarks/target/anytls4j-benchmarks.jar org.anytls4j.benchmarks.tls.TlsEngineThroughput
 * [MiB per run] [runs]}. Writes are 16 KiB: one full record each, as the session's RecordAligner hands them over.
 */
public final class TlsEngineThroughput {
    private static final int CHUNK = 16 * 1024;

    private TlsEngineThroughput() {
    }

    public static void main(String[] args) throws Exception {
        long megabytes = args.length > 0 ? Long.parseLong(args[0]) : 512;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        long bytes = megabytes * 1024 * 1024;
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        try {
            X509Bundle certificate = TestCertificates.localhost();
            SslProvider serverProvider = io.netty.handler.ssl.OpenSsl.isAvailable() ? SslProvider.OPENSSL
                    : SslProvider.JDK;
            SslContext server = SslContextBuilder.forServer(certificate.getKeyPair().getPrivate(),
                    certificate.getCertificate()).sslProvider(serverProvider).protocols("TLSv1.3").build();
            ClientTlsOptions options = ClientTlsOptions.builder().insecure(true).build();
            System.out.printf(Locale.ROOT, "server %s, %d MiB per run, best of %d, TLS 1.3%n", serverProvider,
                    megabytes, runs);
            for (String engine : new String[] {"jdk", "openssl", "chrome"}) {
                for (boolean upload : new boolean[] {true, false}) {
                    double best = 0;
                    for (int run = 0; run < runs + 1; run++) {
                        double mibPerSecond = run(group, server, options, engine, upload, run == 0 ? bytes / 4 : bytes);
                        if (run > 0) {
                            best = Math.max(best, mibPerSecond);
                        }
                    }
                    System.out.printf(Locale.ROOT, "%-8s %-8s %8.1f MiB/s%n", engine,
                            upload ? "upload" : "download", best);
                }
            }
        } finally {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static ChannelHandler clientTls(String engine, ClientTlsOptions options, Channel channel, int port)
            throws Exception {
        switch (engine) {
            case "chrome":
                return FingerprintTls.create(options, HelloProfiles.CHROME).newHandler("127.0.0.1", port);
            case "openssl":
            case "jdk": {
                ClientTlsOptions withProvider = options.toBuilder().provider(TlsProvider.parse(engine)).build();
                return ClientSslContexts.newHandler(ClientSslContexts.create(withProvider), withProvider,
                        channel.alloc(), "127.0.0.1", port);
            }
            default:
                throw new IllegalArgumentException(engine);
        }
    }

    private static Future<Channel> handshake(ChannelHandler tls) {
        return tls instanceof SslHandler ? ((SslHandler) tls).handshakeFuture()
                : ((FingerprintTlsHandler) tls).handshakeFuture();
    }

    /** One transfer of {@code bytes}; MiB/s from the end of the handshake to the last byte counted. */
    private static double run(EventLoopGroup group, SslContext serverContext, ClientTlsOptions options,
                              String engine, boolean upload, long bytes) throws Exception {
        Promise<Long> done = group.next().newPromise();
        Channel listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        SslHandler tls = serverContext.newHandler(ch.alloc());
                        ch.pipeline().addLast(tls, upload ? new Counter(bytes, done) : new Sender(bytes, tls, done));
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
        int port = ((InetSocketAddress) listener.localAddress()).getPort();
        ChannelHandler[] tls = new ChannelHandler[1];
        Channel client = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) throws Exception {
                        tls[0] = clientTls(engine, options, ch, port);
                        ch.pipeline().addLast(tls[0]);
                        if (!upload) {
                            ch.pipeline().addLast(new Counter(bytes, done));
                        }
                    }
                })
                .connect("127.0.0.1", port).sync().channel();
        try {
            handshake(tls[0]).sync();
            long start = System.nanoTime();
            if (upload) {
                new Sender(bytes, null, done).pump(client);
            }
            try {
                done.get(1, TimeUnit.MINUTES);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException(engine + (upload ? " upload" : " download") + " stalled; client "
                        + client + " active=" + client.isActive() + " writable=" + client.isWritable()
                        + " pipeline=" + client.pipeline().names(), e);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return bytes / 1024.0 / 1024.0 / seconds;
        } finally {
            client.close().sync();
            listener.close().sync();
        }
    }

    /** Counts inbound bytes and completes {@code done} once {@code expected} arrived. */
    private static final class Counter extends ChannelInboundHandlerAdapter {
        private final long expected;
        private final Promise<Long> done;
        private long received;

        Counter(long expected, Promise<Long> done) {
            this.expected = expected;
            this.done = done;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            received += ((ByteBuf) msg).readableBytes();
            ((ByteBuf) msg).release();
            if (received >= expected) {
                done.trySuccess(received);
            }
        }
    }

    /** Writes {@code total} bytes in 16 KiB writes, as fast as the channel stays writable. */
    private static final class Sender extends ChannelInboundHandlerAdapter {
        private static final ByteBuf CHUNK_DATA = Unpooled.unreleasableBuffer(
                Unpooled.directBuffer(CHUNK).writeZero(CHUNK));
        private final long total;
        private final SslHandler serverTls;
        private final Promise<Long> done;
        private long sent;
        private Channel channel;

        Sender(long total, SslHandler serverTls, Promise<Long> done) {
            this.total = total;
            this.serverTls = serverTls;
            this.done = done;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            if (serverTls != null) {
                serverTls.handshakeFuture().addListener(f -> {
                    if (f.isSuccess()) {
                        pump(ctx.channel());
                    }
                });
            }
        }

        void pump(Channel channel) {
            this.channel = channel;
            // Listen before the first write: a writability change in between would otherwise be missed.
            channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                @Override
                public void channelWritabilityChanged(ChannelHandlerContext ctx) {
                    writeWhileWritable();
                    ctx.fireChannelWritabilityChanged();
                }
            });
            channel.eventLoop().execute(this::writeWhileWritable);
        }

        private void writeWhileWritable() {
            while (sent < total && channel.isWritable()) {
                int length = (int) Math.min(CHUNK, total - sent);
                channel.write(CHUNK_DATA.retainedSlice(0, length)).addListener(written -> {
                    if (!written.isSuccess()) {
                        done.tryFailure(written.cause());
                    }
                });
                sent += length;
            }
            channel.flush();
        }
    }
}
