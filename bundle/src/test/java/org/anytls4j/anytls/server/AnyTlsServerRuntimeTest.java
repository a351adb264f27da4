package org.anytls4j.anytls.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import org.anytls4j.anytls.client.AnyTlsClientTransport;
import org.anytls4j.anytls.client.pool.PoolOptions;
import org.anytls4j.anytls.config.ServerSettings;
import org.anytls4j.anytls.io.IoRuntime;
import org.anytls4j.anytls.padding.PaddingScheme;
import org.anytls4j.anytls.session.AnyTlsStream;
import org.anytls4j.anytls.session.ClientSessionConnector;
import org.anytls4j.anytls.session.ClientSessionHandler;
import org.anytls4j.anytls.session.ClientSessionListener;
import org.anytls4j.anytls.session.ClientSessionOptions;
import org.anytls4j.anytls.session.ServerSessionHandler;
import org.anytls4j.anytls.testing.CollectingHandler;
import org.anytls4j.testkit.BoundedWait;
import org.anytls4j.testkit.TcpEchoServer;
import org.anytls4j.anytls.tls.ClientTlsOptions;
import org.anytls4j.anytls.tls.TlsProvider;
import org.anytls4j.anytls.wire.AuthBlock;
import org.anytls4j.anytls.wire.Command;
import org.anytls4j.anytls.wire.Frames;
import org.anytls4j.anytls.wire.SocksAddress;
import org.anytls4j.transport.api.Destination;
import org.anytls4j.transport.api.OpenRequest;
import org.anytls4j.transport.api.TransportException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A server started from configuration properties, over real TLS on 127.0.0.1, against the project's own client
 * engine (and, where the exact bytes matter, a raw TLS client).
 */
class AnyTlsServerRuntimeTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final ServerRuntimeTimings FAST =
            new ServerRuntimeTimings(Duration.ZERO, Duration.ofMillis(20), Duration.ofMillis(200));

    private static IoRuntime io;
    private static TcpEchoServer echo;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeAll
    static void startIo() {
        io = IoRuntime.create(IoRuntime.Kind.NIO, 2, "server-runtime-test");
        echo = new TcpEchoServer(io.group());
    }

    @AfterAll
    static void stopIo() {
        echo.close();
        io.close();
    }

    @AfterEach
    void closeEverything() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    static Map<String, Object> config(Object... keysAndValues) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("name", "test-server");
        properties.put("listenAddress", "127.0.0.1");
        properties.put("port", 0);
        properties.put(".users", "alice:alice-password");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            properties.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return properties;
    }

    private AnyTlsServerRuntime start(Map<String, Object> properties) throws Exception {
        AnyTlsServerRuntime runtime = AnyTlsServerRuntime.start(ServerSettings.from(properties), io, FAST);
        toClose.add(runtime);
        runtime.bound().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        return runtime;
    }

    private AnyTlsClientTransport client(AnyTlsServerRuntime server, String password) {
        AnyTlsClientTransport transport = AnyTlsClientTransport.builder("test-client", io)
                .server("127.0.0.1", server.localAddress().getPort())
                .password(password)
                .tls(ClientTlsOptions.builder().insecure(true).provider(TlsProvider.JDK).build())
                .pool(PoolOptions.defaults())
                .build();
        toClose.add(transport::close);
        return transport;
    }

    private static Future<Channel> open(AnyTlsClientTransport transport, InetSocketAddress destination,
                                        CollectingHandler handler) throws InterruptedException {
        Future<Channel> open = transport.open(OpenRequest.tcp(Destination.of(destination)).build(), handler, null);
        assertThat(open.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).as("open finished").isTrue();
        return open;
    }

    private static void echoThrough(AnyTlsClientTransport transport, byte[] payload) throws Exception {
        CollectingHandler handler = new CollectingHandler(payload.length);
        Future<Channel> open = open(transport, echo.address(), handler);
        assertThat(open.cause()).isNull();
        Channel stream = open.getNow();
        stream.writeAndFlush(Unpooled.wrappedBuffer(payload));
        assertThat(handler.done().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(payload);
        stream.close().await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Runs a no-op on every event loop twice, so that close and inactive events queued before have run. */
    private static void drainEventLoops() throws InterruptedException {
        for (int round = 0; round < 3; round++) {
            for (EventExecutor loop : io.group()) {
                assertThat(loop.submit(() -> { }).await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            }
        }
    }

    @Test
    void relaysTcpToAnEchoServerAndCountsSessionsStreamsAndBytes() throws Exception {
        AnyTlsServerRuntime server = start(config());
        AnyTlsClientTransport transport = client(server, "alice-password");
        byte[] payload = "hello through anytls".getBytes(StandardCharsets.UTF_8);

        echoThrough(transport, payload);
        echoThrough(transport, payload);

        ServerStats.Snapshot running = server.stats();
        assertThat(running.sessionsTotal()).isEqualTo(1);
        assertThat(running.sessionsActive()).isEqualTo(1);
        assertThat(running.streamsTotal()).isEqualTo(2);
        assertThat(running.authenticationFailures()).isZero();

        server.close(Duration.ofSeconds(5));
        drainEventLoops();
        ServerStats.Snapshot closed = server.stats();
        assertThat(closed.sessionsActive()).isZero();
        assertThat(closed.streamsActive()).isZero();
        // A stream's payload from the client starts with its destination address (§8.1).
        int header = SocksAddress.encodedLength(echo.address());
        assertThat(closed.bytesFromClients()).isEqualTo(2L * (header + payload.length));
        assertThat(closed.bytesToClients()).isEqualTo(2L * payload.length);
    }

    @Test
    void aRefusedDestinationFailsTheOpenWithTheServersSynAckErrorText() throws Exception {
        AnyTlsServerRuntime server = start(config());
        AnyTlsClientTransport transport = client(server, "alice-password");
        InetSocketAddress closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = new InetSocketAddress("127.0.0.1", socket.getLocalPort());
        }

        Future<Channel> open = open(transport, closedPort, new CollectingHandler(1));

        assertThat(open.cause()).isInstanceOf(TransportException.class);
        TransportException error = (TransportException) open.cause();
        assertThat(error.reason()).isEqualTo(TransportException.Reason.DESTINATION_REFUSED);
        assertThat(error.remoteMessage()).hasValue("dial tcp " + "127.0.0.1:" + closedPort.getPort()
                + ": connect: connection refused");
        assertThat(server.stats().outboundConnectFailures()).isEqualTo(1);
    }

    @Test
    void twoUsersWithDifferentPasswordsBothWork() throws Exception {
        AnyTlsServerRuntime server = start(config(".users", new String[] {"alice:alice-password", "bob:b0b:pw"}));

        echoThrough(client(server, "alice-password"), new byte[] {1, 2, 3});
        echoThrough(client(server, "b0b:pw"), new byte[] {4, 5, 6});

        assertThat(server.stats().sessionsTotal()).isEqualTo(2);
        assertThat(server.stats().authenticationFailures()).isZero();
    }

    @Test
    void aWrongPasswordWithAFallbackGetsTheFallbacksAnswerToExactlyTheBytesItSent() throws Exception {
        try (ProbeAnsweringServer web = new ProbeAnsweringServer(io.group())) {
            AnyTlsServerRuntime server = start(config("fallback", "127.0.0.1:" + web.address().getPort()));
            byte[] probe = "GET /index.html HTTP/1.1\r\nHost: example.com\r\nUser-Agent: probe\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII);

            try (RawTlsClient prober = RawTlsClient.connect(io, server.localAddress())) {
                prober.send(probe);
                byte[] answer = prober.closedByServer().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                assertThat(new String(answer, StandardCharsets.US_ASCII))
                        .isEqualTo(new String(ProbeAnsweringServer.expectedAnswer(probe), StandardCharsets.US_ASCII));
            }
            assertThat(server.stats().authenticationFailures()).isEqualTo(1);
            assertThat(server.stats().fallbacks()).isEqualTo(1);
            assertThat(server.stats().sessionsTotal()).isZero();
        }
    }

    @Test
    void aProbeShorterThanAPasswordHashFallsBackWhenTheAuthenticationTimeoutEnds() throws Exception {
        try (ProbeAnsweringServer web = new ProbeAnsweringServer(io.group())) {
            AnyTlsServerRuntime server = start(config("fallback", "127.0.0.1:" + web.address().getPort(),
                    "authTimeout", "200ms"));
            byte[] probe = "GET /\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

            try (RawTlsClient prober = RawTlsClient.connect(io, server.localAddress())) {
                prober.send(probe);
                assertThat(prober.closedByServer().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                        .isEqualTo(ProbeAnsweringServer.expectedAnswer(probe));
            }
            assertThat(server.stats().fallbacks()).isEqualTo(1);
        }
    }

    @Test
    void aWrongPasswordWithoutFallbackIsClosedWithoutAnAnswer() throws Exception {
        AnyTlsServerRuntime server = start(config());
        byte[] wrong = java.util.Arrays.copyOf(AuthBlock.passwordHash("not-the-password"), AuthBlock.HEADER_LENGTH);

        try (RawTlsClient client = RawTlsClient.connect(io, server.localAddress())) {
            client.send(wrong);
            assertThat(client.closedByServer().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isEmpty();
        }
        assertThat(server.stats().authenticationFailures()).isEqualTo(1);
        assertThat(server.stats().fallbacks()).isZero();
    }

    @Test
    void aWrongPasswordFailsTheClientEnginesOpenAsAnAuthenticationFailure() throws Exception {
        AnyTlsServerRuntime server = start(config());
        Future<Channel> open = open(client(server, "wrong"), echo.address(), new CollectingHandler(1));
        assertThat(((TransportException) open.cause()).reason()).isEqualTo(TransportException.Reason.UPSTREAM_AUTH);
    }

    @Test
    void aSilentClientIsClosedAfterTheAuthenticationTimeout() throws Exception {
        Duration authTimeout = Duration.ofMillis(300);
        AnyTlsServerRuntime server = start(config("authTimeout", authTimeout.toMillis() + "ms"));

        // The server's timer starts when it accepts the connection, so it cannot fire before we began to connect.
        long connecting = System.nanoTime();
        try (RawTlsClient silent = RawTlsClient.connect(io, server.localAddress())) {
            byte[] received = silent.closedByServer().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            long waited = System.nanoTime() - connecting;
            assertThat(received).isEmpty();
            assertThat(Duration.ofNanos(waited)).isGreaterThanOrEqualTo(authTimeout);
        }
        assertThat(server.stats().authenticationFailures()).isEqualTo(1);
    }

    @Test
    void aSynBeforeSettingsGetsTheAlertAndTheSessionCloses() throws Exception {
        AnyTlsServerRuntime server = start(config());

        try (RawTlsClient client = RawTlsClient.connect(io, server.localAddress())) {
            ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
            ByteBuf request = alloc.buffer();
            ByteBuf auth = AuthBlock.encode(alloc, AuthBlock.passwordHash("alice-password"), 0);
            ByteBuf syn = Frames.control(alloc, Command.SYN, 1);
            request.writeBytes(auth).writeBytes(syn);
            auth.release();
            syn.release();
            client.send(request);

            byte[] received = client.closedByServer().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            ByteBuf alert = Frames.text(alloc, Command.ALERT, 0, ServerSessionHandler.NO_SETTINGS_ALERT);
            try {
                assertThat(received).isEqualTo(ByteBufUtil.getBytes(alert));
            } finally {
                alert.release();
            }
        }
    }

    @Test
    void aCustomPaddingSchemeIsPushedAndTheClientsNextSessionUsesIt() throws Exception {
        String custom = "stop=3\n0=40-60\n1=100-200\n2=300-400,c,500-600";
        AnyTlsServerRuntime server = start(config("paddingScheme", custom.replace("\n", "\\n")));
        assertThat(server.paddingScheme().raw()).isEqualTo(custom.getBytes(StandardCharsets.UTF_8));

        AtomicReference<PaddingScheme> clientScheme = new AtomicReference<>(PaddingScheme.DEFAULT);
        AtomicInteger pushes = new AtomicInteger();
        ClientSessionConnector connector = connector(server, ClientSessionOptions.builder("padding-client")
                .paddingScheme(clientScheme::get, pushed -> {
                    pushes.incrementAndGet();
                    clientScheme.set(pushed);
                })
                .build());

        echoOnNewSession(connector, "first");
        assertThat(pushes).as("the server pushed its scheme to a client with the default").hasValue(1);
        assertThat(clientScheme.get().raw()).isEqualTo(custom.getBytes(StandardCharsets.UTF_8));

        echoOnNewSession(connector, "second");
        // The server pushes whenever the padding-md5 in Settings differs, so no second push means the second
        // session announced (and therefore padded with) the pushed scheme.
        assertThat(pushes).as("no push to a client already on the scheme").hasValue(1);
        assertThat(server.stats().sessionsTotal()).isEqualTo(2);
    }

    private static ClientSessionConnector connector(AnyTlsServerRuntime server, ClientSessionOptions options)
            throws Exception {
        SslContext tls = SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
                .trustManager(InsecureTrustManagerFactory.INSTANCE).build();
        return new ClientSessionConnector(new Bootstrap().channel(io.socketChannel()).resolver(io.resolver()),
                server.localAddress(), Duration.ofSeconds(5),
                (alloc, host, port) -> tls.newHandler(alloc, host, port),
                AuthBlock.passwordHash("alice-password"), options);
    }

    private static void echoOnNewSession(ClientSessionConnector connector, String id) throws Exception {
        Future<ClientSessionHandler> connect = connector.connect(io.group().next(), id, ClientSessionListener.NONE);
        assertThat(connect.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(connect.cause()).isNull();
        ClientSessionHandler session = connect.getNow();
        try {
            byte[] payload = id.getBytes(StandardCharsets.UTF_8);
            CollectingHandler handler = new CollectingHandler(payload.length);
            Future<AnyTlsStream> open = session.openStream(echo.address(), handler, null, false, TIMEOUT);
            assertThat(open.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            assertThat(open.cause()).isNull();
            open.getNow().writeAndFlush(Unpooled.wrappedBuffer(payload));
            // The echo comes after the server's answer to Settings on the same connection, so any push is applied.
            assertThat(handler.done().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(payload);
        } finally {
            BoundedWait.sync(session.channel().close());
        }
    }

    @Test
    void closingStopsTheListenerFirstThenClosesTheSessions() throws Exception {
        AnyTlsServerRuntime server = start(config());
        AnyTlsClientTransport transport = client(server, "alice-password");
        CollectingHandler handler = new CollectingHandler(1);
        Future<Channel> open = open(transport, echo.address(), handler);
        Channel stream = open.getNow();
        int port = server.localAddress().getPort();

        long start = System.nanoTime();
        server.close(Duration.ofSeconds(5));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(6));

        assertThat(stream.closeFuture().await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
        assertThat(server.localAddress()).isNull();
    }

    @Test
    void aBusyPortIsRetriedUntilItIsFree() throws Exception {
        ServerSocket blocker = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
        int port = blocker.getLocalPort();
        AnyTlsServerRuntime server;
        try {
            server = AnyTlsServerRuntime.start(ServerSettings.from(config("port", port)), io, FAST);
            toClose.add(server);
            drainEventLoops();
            assertThat(server.bindFailures()).isGreaterThanOrEqualTo(1);
            assertThat(server.bound()).isNotDone();
        } finally {
            blocker.close();
        }

        InetSocketAddress bound = server.bound().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);

        assertThat(bound.getPort()).isEqualTo(port);
        echoThrough(client(server, "alice-password"), new byte[] {42});
    }

    @Test
    void closingWhileRetryingStopsRetryingAndFailsTheBoundFuture() throws Exception {
        try (ServerSocket blocker = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            AnyTlsServerRuntime server = AnyTlsServerRuntime.start(
                    ServerSettings.from(config("port", blocker.getLocalPort())), io, FAST);
            drainEventLoops();
            server.close(Duration.ofSeconds(5));
            int failures = server.bindFailures();

            assertThat(server.bound()).isCompletedExceptionally();
            assertThat(server.localAddress()).isNull();
            drainEventLoops();
            assertThat(server.bindFailures()).as("no attempt after close").isEqualTo(failures);
        }
    }
}
