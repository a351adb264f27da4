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
import org.anytls4j.anytls.client.AnyTlsClientTransport;
import org.anytls4j.anytls.client.pool.PoolOptions;
import org.anytls4j.anytls.io.IoRuntime;
import org.anytls4j.anytls.server.AnyTlsServer;
import org.anytls4j.anytls.session.ServerUsers;
import org.anytls4j.anytls.tls.ClientSslContexts;
import org.anytls4j.anytls.tls.ClientTlsOptions;
import org.anytls4j.anytls.tls.TlsProvider;
import org.anytls4j.testkit.TestCertificates;
import org.anytls4j.transport.api.Destination;
import org.anytls4j.transport.api.OpenRequest;

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
 * AnyTLS server and the plain TLS relay (one server event loop, one server SslContext), and the client side (its
 * own event loop) for both. Client, server and sink have separate event loops so that CPU is attributable per side.
 */
final class Rig implements AutoCloseable {
    static final String CLIENT_THREADS = "bench-client";
    static final String SERVER_THREADS = "bench-server";
    private static final String SINK_THREADS = "bench-sink";
    private static final String USER = "bench";
    private static final String PASSWORD = "bench-password";

    final TlsProvider engine;
    final IoRuntime.Kind ioKind;
    final IoRuntime clientIo;
    final IoRuntime serverIo;
    private final IoRuntime sinkIo;
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
        return AnyTlsClientTransport.builder(name, clientIo)
                .server("127.0.0.1", server.localAddress().getPort())
                .password(PASSWORD)
                .tls(clientTls)
                .pool(pool)
                .openTimeout(Duration.ofSeconds(60))
                .build();
    }

    OpenRequest sinkRequest() {
        return OpenRequest.tcp(Destination.of(sink.address())).build();
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

    /** Protocol and cipher suite of the TLS connection under {@code channel} (a stream's carrier or itself). */
    static String cipherOf(Channel channel) {
        Channel tls = channel.pipeline().get(SslHandler.class) != null ? channel : channel.parent();
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
        serverIo.close();
        clientIo.close();
        Files.deleteIfExists(trustedPem);
    }
}
