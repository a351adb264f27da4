package org.anytls4j.anytls.session;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.concurrent.Future;
import org.anytls4j.anytls.io.IoRuntime;
import org.anytls4j.anytls.padding.PaddingScheme;
import org.anytls4j.anytls.server.AnyTlsServer;
import org.anytls4j.anytls.testing.CollectingHandler;
import org.anytls4j.anytls.wire.AuthBlock;
import org.anytls4j.testkit.TcpEchoServer;
import org.anytls4j.testkit.TestCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What a censor on the path sees of the client's first packets: read off the wire by a relay that parses TLS record
 * headers, each shaped packet must be exactly one TLS record whose plaintext is the size the scheme drew, with the
 * JDK engine and with OpenSSL (which seals every NIO buffer it is given as a record of its own).
 */
class ShapedRecordsOnTheWireTest {
    /** Fixed sizes, so the draws are known: auth padding 30, then packets 1 to 3 at 400, 500 and 700 bytes. */
    private static final PaddingScheme SCHEME = PaddingScheme.parse("stop=4\n0=30-30\n1=400-400\n2=500-500\n3=700-700");
    private static final int AUTH_BLOCK = 32 + 2 + 30;
    private static final int APPLICATION_DATA = 23;
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private static IoRuntime io;
    private static TcpEchoServer echo;
    private static AnyTlsServer server;

    @BeforeAll
    static void start() throws Exception {
        io = IoRuntime.create(IoRuntime.Kind.NIO, 2, "records-io");
        echo = new TcpEchoServer(io.group());
        SslContext serverTls = SslContextBuilder.forServer(TestCertificates.localhost().getKeyPair().getPrivate(),
                        TestCertificates.localhost().getCertificatePath())
                .sslProvider(SslProvider.JDK).protocols("TLSv1.3").build();
        server = AnyTlsServer.builder("records-server", io, () -> serverTls, ServerUsers.single("alice", "secret"))
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .paddingScheme(() -> SCHEME)
                .build();
        assertThat(server.start().await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (echo != null) {
            echo.close();
        }
        if (io != null) {
            io.close();
        }
    }

    enum Engine { JDK, OPENSSL }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void eachShapedPacketLeavesAsOneRecordOfTheDrawnSize(Engine engine) throws Exception {
        if (engine == Engine.OPENSSL) {
            assumeTrue(OpenSsl.isAvailable(), "netty-tcnative is not available on this platform");
        }
        SslContext clientTls = SslContextBuilder.forClient()
                .sslProvider(engine == Engine.JDK ? SslProvider.JDK : SslProvider.OPENSSL)
                .trustManager(InsecureTrustManagerFactory.INSTANCE)
                .protocols("TLSv1.3")
                .build();
        try (TlsRecordTap tap = new TlsRecordTap(new InetSocketAddress("127.0.0.1", server.localAddress().getPort()))) {
            ClientSessionConnector connector = new ClientSessionConnector(
                    new Bootstrap().channel(io.socketChannel()).resolver(io.resolver()),
                    tap.address(), Duration.ofSeconds(5),
                    (alloc, host, port) -> clientTls.newHandler(alloc, "localhost", port),
                    AuthBlock.passwordHash("secret"),
                    ClientSessionOptions.builder("records-client")
                            .paddingScheme(() -> SCHEME, ignored -> { })
                            .random((origin, bound) -> origin)
                            .build());
            Future<ClientSessionHandler> connecting = connector.connect(io.group().next(), "records-1",
                    ClientSessionListener.NONE);
            assertThat(connecting.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            ClientSessionHandler session = connecting.getNow();

            // Packet 1: Settings, SYN and address. Packets 2 and 3: one stream write each, smaller than the drawn size.
            CollectingHandler collector = new CollectingHandler(200);
            Future<AnyTlsStream> open = session.openStream(echo.address(), collector, null, false, TIMEOUT);
            assertThat(open.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            AnyTlsStream stream = open.getNow();
            stream.writeAndFlush(Unpooled.wrappedBuffer(new byte[100]));
            stream.writeAndFlush(Unpooled.wrappedBuffer(new byte[100]));
            assertThat(collector.done().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).hasSize(200);

            // After the handshake (ClientHello, maybe ChangeCipherSpec, then Finished as the first encrypted record):
            // auth block, packet 1, packet 2, packet 3.
            List<TlsRecordTap.Record> records = tap.awaitClientRecords(6, TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            List<Integer> encrypted = new ArrayList<>();
            for (TlsRecordTap.Record record : records) {
                if (record.contentType == APPLICATION_DATA) {
                    encrypted.add(record.length);
                }
            }
            assertThat(encrypted).as("encrypted client records %s", records).hasSizeGreaterThanOrEqualTo(5);
            List<Integer> afterFinished = encrypted.subList(1, 5);
            int overhead = afterFinished.get(0) - AUTH_BLOCK;
            assertThat(overhead).as("TLS 1.3 AEAD overhead").isBetween(17, 17 + 255);
            assertThat(afterFinished).as("auth block, packets 1-3 as single records of the drawn sizes")
                    .containsExactly(AUTH_BLOCK + overhead, 400 + overhead, 500 + overhead, 700 + overhead);
            stream.close();
            session.channel().close();
        }
    }
}
