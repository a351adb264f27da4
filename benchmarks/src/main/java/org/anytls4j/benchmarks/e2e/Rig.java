package org.anytls4j.benchmarks.e2e;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.pkitesting.X509Bundle;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import org.anytls4j.anytls.client.AnyTlsClientTransport;
import org.anytls4j.anytls.client.pool.PoolOptions;
import org.anytls4j.anytls.io.IoRuntime;
import org.anytls4j.anytls.server.AnyTlsServer;
import org.anytls4j.anytls.session.ServerUsers;
import org.anytls4j.anytls.tls.ClientSslContexts;
import org.anytls4j.anytls.tls.ClientTlsOptions;
import org.anytls4j.anytls.tls.TlsProvider;
import org.anytls4j.host.proxy.ProxyServer;
import org.anytls4j.testkit.TestCertificates;
import org.anytls4j.transport.api.Destination;
import org.anytls4j.transport.api.OpenRequest;
import org.anytls4j.transport.api.netty.NettyOutboundTransport;

import javax.net.ssl.SSLSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

/**
 * Everything one cell of the matrix (TLS engine x I/O transport) runs on, all on 127.0.0.1: the sink/source, the
 * AnyTLS server and the plain TLS relay (one server event loop, one server SslContext), the client side (its
 * own event loop) for both, the reference host (SOCKS5 in front of an AnyTLS client transport, on its own NIO loop:
 * the host runs on NIO only) and the application that talks SOCKS5 to it (its own loop). Client, host, server and
 * sink have separate event loops so that CPU is attributable per side.
 */
final class Rig implements AutoCloseable {
    static final String CLIENT_THREADS = "bench-client";
    static final String SERVER_THREADS = "bench-server";
    /** The reference host's loop: client-side work of the SOCKS5 path, counted with the client. */
    static final String HOST_THREADS = "bench-host";
    /** The SOCKS5 application (what a browser would be): not counted, like the sink. */
    private static final String APP_THREADS = "bench-app";
    private static final String SINK_THREADS = "bench-sink";
    static final String USER = "bench";
    static final String PASSWORD = "bench-password";

    final TlsProvider engine;
    final IoRuntime.Kind ioKind;
    final IoRuntime clientIo;
    final IoRuntime serverIo;
    private final IoRuntime sinkIo;
    final IoRuntime hostIo;
    private final IoRuntime appIo;
    final SinkSource sink;
    private final AnyTlsServer server;
    private final PlainTlsRelay plain;
    private final Path trustedPem;
    private final ClientTlsOptions clientTls;
    private final SslContext plainClientContext;

    Rig(TlsProvider engine, IoRuntime.Kind ioKind) throws Exception {
        this.engine = engine;
        this.ioKind = ioKind;
        clientIo = IoRuntime.create(ioKind, 1, CLIENT_THREADS);
        serverIo = IoRuntime.create(ioKind, 1, SERVER_THREADS);
        sinkIo = IoRuntime.create(ioKind, 1, SINK_THREADS);
        hostIo = IoRuntime.create(IoRuntime.Kind.NIO, 1, HOST_THREADS);
        appIo = IoRuntime.create(ioKind, 1, APP_THREADS);
        sink = new SinkSource(sinkIo);
        X509Bundle certificate = TestCertificates.localhost();
        SslContext serverContext = SslContextBuilder
                .forServer(certificate.getKeyPair().getPrivate(), certificate.getCertificatePath())
                .sslProvider(engine.resolve())
                .build();
        server = AnyTlsServer.builder("bench", serverIo, () -> serverContext, ServerUsers.single(USER, PASSWORD))
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .build();
        server.start().syncUninterruptibly();
        plain = new PlainTlsRelay(serverIo, serverContext, sink.address());
        trustedPem = writePem(certificate);
        clientTls = ClientTlsOptions.builder()
                .serverName("localhost")
                .trustedCertificatesPem(trustedPem)
                .provider(engine)
                .build();
        // The plain client is built by the same code as the AnyTLS carrier's, from the same options.
        plainClientContext = ClientSslContexts.create(clientTls);
    }

    private static Path writePem(X509Bundle certificate) {
        try {
            Path pem = Files.createTempFile("anytls4j-bench-ca", ".pem");
            String text = "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                            .encodeToString(certificate.getCertificate().getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
            Files.writeString(pem, text, StandardCharsets.US_ASCII);
            return pem;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the benchmark certificate", e);
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException("cannot encode the benchmark certificate", e);
        }
    }

    String label() {
        return engine + " / " + ioKind;
    }

    AnyTlsClientTransport newTransport(String name, PoolOptions pool) {
        return newTransport(name, pool, server.localAddress().getPort());
    }

    /** A client transport on the client loop to an AnyTLS server on 127.0.0.1:{@code port} (here or a child's). */
    AnyTlsClientTransport newTransport(String name, PoolOptions pool, int port) {
        return AnyTlsClientTransport.builder(name, clientIo)
                .server("127.0.0.1", port)
                .password(PASSWORD)
                .tls(clientTls)
                .pool(pool)
                .openTimeout(Duration.ofSeconds(60))
                .build();
    }

    OpenRequest sinkRequest() {
        return OpenRequest.tcp(Destination.of(sink.address())).build();
    }

    /** The reference host on 127.0.0.1:0 (started), sending every request through {@code outbound}. */
    ProxyServer newHost(NettyOutboundTransport outbound) {
        ProxyServer host = ProxyServer.builder("bench-socks", () -> outbound)
                .eventLoopGroup(hostIo.group())
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .openTimeout(Duration.ofSeconds(60))
                .build();
        host.start().syncUninterruptibly();
        return host;
    }

    /**
     * An application connection to {@code host} that asks for a SOCKS5 CONNECT to the sink, then hands over to
     * {@code next}; {@code ready} completes when the host confirmed the CONNECT (the AnyTLS stream is open).
     */
    ChannelFuture openSocks(ProxyServer host, ChannelHandler next, Promise<Void> ready) {
        return new Bootstrap()
                .group(appIo.group())
                .channel(appIo.socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new Socks5Connector(sink.address(), next, ready))
                .connect(host.localAddress());
    }

    /** A promise on the application loop, for {@link #openSocks}. */
    Promise<Void> newAppPromise() {
        return appIo.group().next().newPromise();
    }

    /** A plain TLS connection through the relay to the sink, with {@code handler} after the SslHandler. */
    ChannelFuture openPlain(ChannelHandler handler) {
        InetSocketAddress relay = plain.address();
        return new Bootstrap()
                .group(clientIo.group())
                .channel(clientIo.socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.pipeline().addLast("tls", ClientSslContexts.newHandler(plainClientContext,
                                clientTls, channel.alloc(), relay.getHostString(), relay.getPort()));
                        channel.pipeline().addLast(handler);
                    }
                })
                .connect(relay);
    }

    /**
     * Protocol and cipher suite of the TLS connection under {@code channel} (a stream's carrier or itself), or
     * "n/a" for a connection with no TLS of its own (the SOCKS5 application's, whose carrier is the host's).
     */
    static String cipherOf(Channel channel) {
        Channel tls = channel.pipeline().get(SslHandler.class) != null ? channel : channel.parent();
        if (tls == null || tls.pipeline().get(SslHandler.class) == null) {
            return "n/a";
        }
        SSLSession session = tls.pipeline().get(SslHandler.class).engine().getSession();
        return session.getProtocol() + " " + session.getCipherSuite();
    }

    static void await(Future<?> future, Duration timeout, String what) throws InterruptedException {
        if (!future.await(timeout.toMillis())) {
            throw new IllegalStateException(what + " did not finish within " + timeout);
        }
        if (!future.isSuccess()) {
            throw new IllegalStateException(what + " failed", future.cause());
        }
    }

    @Override
    public void close() throws IOException {
        plain.close();
        server.close();
        sink.close();
        sinkIo.close();
        appIo.close();
        hostIo.close();
        serverIo.close();
        clientIo.close();
        Files.deleteIfExists(trustedPem);
    }
}
