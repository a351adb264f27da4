package org.anytls4j.anytls.session;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.Future;
import org.anytls4j.anytls.io.IoRuntime;
import org.anytls4j.anytls.server.AnyTlsServer;
import org.anytls4j.anytls.testing.CollectingHandler;
import org.anytls4j.testkit.TcpEchoServer;
import org.anytls4j.anytls.wire.AuthBlock;
import org.anytls4j.testkit.TestCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Client and server engines over real TLS on 127.0.0.1, relaying to a TCP echo server. */
class SessionEndToEndTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static IoRuntime io;
    private static TcpEchoServer echo;
    private static AnyTlsServer server;
    private static ClientSessionConnector connector;

    @BeforeAll
    static void start() throws Exception {
        io = IoRuntime.create(IoRuntime.Kind.NIO, 2, "e2e-io");
        echo = new TcpEchoServer(io.group());
        SslContext serverTls = TestCertificates.serverContext();
        server = AnyTlsServer.builder("e2e-server", io, () -> serverTls, ServerUsers.single("alice", "secret"))
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .build();
        org.anytls4j.testkit.BoundedWait.sync(server.start());
        SslContext clientTls = TestCertificates.clientContext();
        InetSocketAddress serverAddress = InetSocketAddress.createUnresolved("localhost",
                server.localAddress().getPort());
        connector = new ClientSessionConnector(
                new Bootstrap().channel(io.socketChannel()).resolver(io.resolver()),
                serverAddress, Duration.ofSeconds(5),
                (alloc, host, port) -> clientTls.newHandler(alloc, host, port),
                AuthBlock.passwordHash("secret"),
                ClientSessionOptions.builder("e2e-client").build());
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

    private static ClientSessionHandler newSession(String id) throws Exception {
        Future<ClientSessionHandler> session = connector.connect(io.group().next(), id, ClientSessionListener.NONE);
        assertThat(session.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        if (!session.isSuccess()) {
            throw new AssertionError("session failed", session.cause());
        }
        return session.getNow();
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static void echoOnce(ClientSessionHandler session, byte[] payload, boolean reused) throws Exception {
        CollectingHandler collector = new CollectingHandler(payload.length);
        Future<AnyTlsStream> open = session.openStream(echo.address(), collector, null, reused, TIMEOUT);
        assertThat(open.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        if (!open.isSuccess()) {
            throw new AssertionError("open failed", open.cause());
        }
        AnyTlsStream stream = open.getNow();
        assertThat(stream.attr(org.anytls4j.transport.api.netty.TransportAttributes.CONFIRMED).get()).isTrue();
        stream.writeAndFlush(Unpooled.wrappedBuffer(payload));
        byte[] echoed = collector.done().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(echoed).isEqualTo(payload);
        stream.close().await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 64 * 1024, 65536, 2 * 1024 * 1024})
    void echoesPayloadsOfEverySize(int size) throws Exception {
        ClientSessionHandler session = newSession("size-" + size);
        try {
            echoOnce(session, randomBytes(size, size), false);
        } finally {
            org.anytls4j.testkit.BoundedWait.sync(session.channel().close());
        }
    }

    @Test
    void eightStreamsOneAfterAnotherOnOneSession() throws Exception {
        ClientSessionHandler session = newSession("sequential");
        try {
            for (int i = 0; i < 8; i++) {
                echoOnce(session, randomBytes(1000 + i * 7919, i), i > 0);
            }
            assertThat(session.isOpen()).isTrue();
            assertThat(session.peerVersion()).isEqualTo(2);
        } finally {
            org.anytls4j.testkit.BoundedWait.sync(session.channel().close());
        }
    }

    @Test
    void eightSessionsAtOnce() throws Exception {
        List<ClientSessionHandler> sessions = new ArrayList<>();
        List<CollectingHandler> collectors = new ArrayList<>();
        List<byte[]> payloads = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                sessions.add(newSession("parallel-" + i));
            }
            List<Future<AnyTlsStream>> opens = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                byte[] payload = randomBytes(256 * 1024 + i, 100 + i);
                payloads.add(payload);
                CollectingHandler collector = new CollectingHandler(payload.length);
                collectors.add(collector);
                opens.add(sessions.get(i).openStream(echo.address(), collector, null, false, TIMEOUT));
            }
            for (int i = 0; i < 8; i++) {
                Future<AnyTlsStream> open = opens.get(i);
                assertThat(open.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
                assertThat(open.isSuccess()).as("open %d: %s", i, open.cause()).isTrue();
                open.getNow().writeAndFlush(Unpooled.wrappedBuffer(payloads.get(i)));
            }
            for (int i = 0; i < 8; i++) {
                assertThat(collectors.get(i).done().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                        .isEqualTo(payloads.get(i));
            }
        } finally {
            for (ClientSessionHandler session : sessions) {
                org.anytls4j.testkit.BoundedWait.sync(session.channel().close());
            }
        }
    }

    @Test
    void aRefusedDestinationFailsTheOpenWithTheServersErrorText() throws Exception {
        ClientSessionHandler session = newSession("refused");
        try {
            InetSocketAddress closedPort;
            try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1,
                    java.net.InetAddress.getByName("127.0.0.1"))) {
                closedPort = new InetSocketAddress("127.0.0.1", socket.getLocalPort());
            }
            Future<AnyTlsStream> open = session.openStream(closedPort, new CollectingHandler(1), null, false,
                    TIMEOUT);
            assertThat(open.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            assertThat(open.cause()).isInstanceOf(org.anytls4j.transport.api.TransportException.class);
            org.anytls4j.transport.api.TransportException error =
                    (org.anytls4j.transport.api.TransportException) open.cause();
            assertThat(error.reason()).isEqualTo(org.anytls4j.transport.api.TransportException.Reason.DESTINATION_REFUSED);
            assertThat(error.remoteMessage()).hasValueSatisfying(text -> assertThat(text).contains("refused"));
            // The session survives a failed stream and carries the next one.
            echoOnce(session, randomBytes(100, 1), true);
        } finally {
            org.anytls4j.testkit.BoundedWait.sync(session.channel().close());
        }
    }
}
