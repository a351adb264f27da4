package org.anytls4j.anytls.tls.fingerprint;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import org.anytls4j.anytls.io.IoRuntime;
import org.anytls4j.anytls.padding.PaddingScheme;
import org.anytls4j.anytls.server.AnyTlsServer;
import org.anytls4j.anytls.session.AnyTlsStream;
import org.anytls4j.anytls.session.ClientSessionHandler;
import org.anytls4j.anytls.session.ClientSessionListener;
import org.anytls4j.anytls.session.ClientSessionOptions;
import org.anytls4j.anytls.session.ServerUsers;
import org.anytls4j.anytls.testing.CollectingHandler;
import org.anytls4j.anytls.tls.ClientTlsOptions;
import org.anytls4j.anytls.wire.AuthBlock;
import org.anytls4j.anytls.session.CarrierPipeline;
import org.anytls4j.anytls.session.ClientSessionConnector;
import org.anytls4j.testkit.TcpEchoServer;
import org.anytls4j.testkit.TestCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A full AnyTLS session over the fingerprint engine against this project's server: authentication, Settings, a
 * padded stream open and data both ways; and on the wire, every write the session hands the engine (each padded
 * packet among them) leaves as records of that write alone.
 *
 * <p>The dial below is what ClientSessionConnector does, with recorders around the engine;
 * {@link #theConnectorDialsOverTheFingerprintEngine} dials through the connector itself.
 */
class SessionOverFingerprintTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    /** Inner content type + AES-GCM tag: bctls adds no record padding. */
    private static final int TLS13_RECORD_OVERHEAD = 1 + 16;
    private static IoRuntime io;
    private static TcpEchoServer echo;
    private static AnyTlsServer server;

    @BeforeAll
    static void start() throws Exception {
        io = IoRuntime.create(IoRuntime.Kind.NIO, 2, "fp-e2e-io");
        echo = new TcpEchoServer(io.group());
        SslContext serverTls = TestCertificates.serverContext();
        server = AnyTlsServer.builder("fp-e2e-server", io, () -> serverTls, ServerUsers.single("alice", "secret"))
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .build();
        org.anytls4j.testkit.BoundedWait.sync(server.start());
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

    private record Dialed(ClientSessionHandler session, RecordRecorders.WireRecords wire,
                          RecordRecorders.PlainWrites plain) {
    }

    /** ClientSessionConnector.connect with the fingerprint engine. */
    private static Dialed dial(String id) throws Exception {
        ClientTlsOptions tlsOptions = ClientTlsOptions.builder().serverName("localhost")
                .trustedCertificatesPem(trustedPem()).build();
        FingerprintTls engine = FingerprintTls.create(tlsOptions, HelloProfiles.CHROME);
        ClientSessionOptions options = ClientSessionOptions.builder("fp-e2e-client").build();
        ClientSessionHandler session = new ClientSessionHandler(id, options, ClientSessionListener.NONE);
        RecordRecorders.WireRecords wire = new RecordRecorders.WireRecords();
        RecordRecorders.PlainWrites plain = new RecordRecorders.PlainWrites();
        int port = server.localAddress().getPort();
        FingerprintTlsHandler tls = engine.newHandler("localhost", port);
        io.netty.channel.ChannelFuture connected = new Bootstrap().group(io.group().next()).channel(io.socketChannel())
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast("wire", wire).addLast("tls", tls).addLast("plain", plain);
                    }
                })
                .connect("127.0.0.1", port);
        org.anytls4j.testkit.BoundedWait.sync(connected);
        Channel channel = connected.channel();
        Promise<ClientSessionHandler> ready = channel.eventLoop().newPromise();
        tls.handshakeFuture().addListener(handshake -> {
            if (!handshake.isSuccess()) {
                ready.tryFailure(handshake.cause());
                return;
            }
            wire.startRecording();
            PaddingScheme scheme = options.paddingScheme().get();
            channel.writeAndFlush(AuthBlock.encode(channel.alloc(), AuthBlock.passwordHash("secret"),
                    scheme.authPaddingLength(options.random())));
            CarrierPipeline.client(channel.pipeline(), null, session);
            ready.trySuccess(session);
        });
        assertThat(ready.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        if (!ready.isSuccess()) {
            throw new AssertionError("dial failed", ready.cause());
        }
        return new Dialed(ready.getNow(), wire, plain);
    }

    private static java.nio.file.Path trustedPem() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("fp-trusted", ".pem");
        file.toFile().deleteOnExit();
        String pem = "-----BEGIN CERTIFICATE-----\n"
                + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'})
                .encodeToString(TestCertificates.localhost().getCertificate().getEncoded())
                + "\n-----END CERTIFICATE-----\n";
        return java.nio.file.Files.writeString(file, pem);
    }

    @org.junit.jupiter.api.Test
    void theConnectorDialsOverTheFingerprintEngine() throws Exception {
        ClientTlsOptions tlsOptions = ClientTlsOptions.builder().serverName("localhost")
                .trustedCertificatesPem(trustedPem()).build();
        FingerprintTls engine = FingerprintTls.create(tlsOptions, HelloProfiles.CHROME);
        ClientSessionConnector connector = new ClientSessionConnector(
                new io.netty.bootstrap.Bootstrap().channel(io.socketChannel()).resolver(io.resolver()),
                InetSocketAddress.createUnresolved("localhost", server.localAddress().getPort()), TIMEOUT,
                (alloc, host, port) -> engine.newHandler(host, port),
                AuthBlock.passwordHash("secret"),
                ClientSessionOptions.builder("fp-connector").build());
        Future<ClientSessionHandler> connecting = connector.connect(io.group().next(), "fp-connector-1",
                ClientSessionListener.NONE);
        assertThat(connecting.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(connecting.isSuccess()).as("dialled: %s", connecting.cause()).isTrue();
        ClientSessionHandler session = connecting.getNow();
        echoOnce(session, new byte[] {1, 2, 3, 4, 5}, false);
        echoOnce(session, new byte[70_000], true);
        session.channel().close().awaitUninterruptibly(TIMEOUT.toMillis());
    }

    private static void echoOnce(ClientSessionHandler session, byte[] payload, boolean reused) throws Exception {
        CollectingHandler collector = new CollectingHandler(payload.length);
        Future<AnyTlsStream> open = session.openStream(echo.address(), collector, null, reused, TIMEOUT);
        assertThat(open.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        if (!open.isSuccess()) {
            throw new AssertionError("open failed", open.cause());
        }
        AnyTlsStream stream = open.getNow();
        stream.writeAndFlush(Unpooled.wrappedBuffer(payload));
        assertThat(collector.done().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(payload);
        stream.close().await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Test
    void fullSessionWithPaddedPacketsAndBulkData() throws Exception {
        Dialed dialed = dial("fp-session");
        try {
            byte[] small = new byte[300];
            new Random(1).nextBytes(small);
            byte[] bulk = new byte[1024 * 1024];
            new Random(2).nextBytes(bulk);

            echoOnce(dialed.session(), small, false);
            echoOnce(dialed.session(), bulk, true);

            assertThat(dialed.session().isOpen()).isTrue();
            assertThat(dialed.session().peerVersion()).isEqualTo(2);
            assertOneRecordPerWrite(dialed);
        } finally {
            org.anytls4j.testkit.BoundedWait.sync(dialed.session().channel().close());
        }
    }

    /** The records after the handshake are exactly the plaintext writes, each cut at 16 384 bytes and sealed. */
    private static void assertOneRecordPerWrite(Dialed dialed) {
        List<Integer> expected = new ArrayList<>();
        for (int size : dialed.plain().sizes()) {
            for (int left = size; left > 0; left -= FingerprintTlsHandler.MAX_PLAINTEXT) {
                expected.add(Math.min(left, FingerprintTlsHandler.MAX_PLAINTEXT) + TLS13_RECORD_OVERHEAD);
            }
        }
        List<Integer> actual = new ArrayList<>();
        for (int[] record : dialed.wire().records()) {
            assertThat(record[0]).as("record type").isEqualTo(23);
            actual.add(record[1]);
        }
        // The padded first packets are small writes; each of them is one record of its own.
        assertThat(dialed.plain().sizes().subList(0, 3)).allMatch(size -> size < FingerprintTlsHandler.MAX_PLAINTEXT);
        assertThat(actual).isEqualTo(expected);
    }
}
