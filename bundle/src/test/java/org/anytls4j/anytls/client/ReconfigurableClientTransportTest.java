package org.anytls4j.anytls.client;

import org.anytls4j.testkit.BoundedWait;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.Future;
import org.anytls4j.anytls.config.ClientSettings;
import org.anytls4j.anytls.io.IoRuntime;
import org.anytls4j.anytls.server.AnyTlsServer;
import org.anytls4j.anytls.session.ServerUsers;
import org.anytls4j.anytls.testing.CollectingHandler;
import org.anytls4j.testkit.TcpEchoServer;
import org.anytls4j.testkit.TestCertificates;
import org.anytls4j.transport.api.Destination;
import org.anytls4j.transport.api.OpenRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Configuration changes on a live transport: pool options applied in place, other changes drain the old pool. */
class ReconfigurableClientTransportTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static IoRuntime io;
    private static TcpEchoServer echo;
    private static AnyTlsServer serverA;
    private static AnyTlsServer serverB;
    private static Path trusted;
    private ReconfigurableClientTransport transport;

    @BeforeAll
    static void start() throws Exception {
        io = IoRuntime.create(IoRuntime.Kind.NIO, 2, "reconfigure-test");
        echo = new TcpEchoServer(io.group());
        SslContext tls = TestCertificates.serverContext();
        serverA = AnyTlsServer.builder("a", io, () -> tls, ServerUsers.single("u", "pw"))
                .bind(new InetSocketAddress("127.0.0.1", 0)).build();
        serverB = AnyTlsServer.builder("b", io, () -> tls, ServerUsers.single("u", "pw"))
                .bind(new InetSocketAddress("127.0.0.1", 0)).build();
        BoundedWait.sync(serverA.start());
        BoundedWait.sync(serverB.start());
        trusted = Files.createTempFile("anytls-ca", ".pem");
        Files.writeString(trusted, "-----BEGIN CERTIFICATE-----\n"
                + java.util.Base64.getMimeEncoder(64, "\n".getBytes())
                        .encodeToString(TestCertificates.localhost().getCertificate().getEncoded())
                + "\n-----END CERTIFICATE-----\n");
    }

    @AfterAll
    static void stop() throws Exception {
        serverA.close();
        serverB.close();
        echo.close();
        io.close();
        Files.deleteIfExists(trusted);
    }

    @AfterEach
    void closeTransport() {
        if (transport != null) {
            transport.close();
        }
    }

    private static Map<String, Object> config(AnyTlsServer server, String idleTimeout) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("transport.name", "reconfigured");
        properties.put("server", "localhost:" + server.localAddress().getPort());
        properties.put(".password", "pw");
        properties.put("trustedCertificate", trusted.toAbsolutePath().toString());
        properties.put("tlsProvider", "jdk");
        properties.put("idleSessionTimeout", idleTimeout);
        properties.put("idleSessionCheckInterval", "1s");
        properties.put("minIdleSessions", "0");
        return properties;
    }

    private List<Channel> openStreams(int count, List<CollectingHandler> handlers) throws Exception {
        List<Future<Channel>> opens = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            CollectingHandler handler = new CollectingHandler(2);
            handlers.add(handler);
            opens.add(transport.open(OpenRequest.tcp(Destination.of(echo.address())).build(), handler, null));
        }
        List<Channel> streams = new ArrayList<>();
        for (Future<Channel> open : opens) {
            assertThat(open.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            assertThat(open.isSuccess()).as("open: %s", open.cause()).isTrue();
            streams.add(open.getNow());
        }
        return streams;
    }

    private static void echoOnEach(List<Channel> streams, List<CollectingHandler> handlers) throws Exception {
        for (int i = 0; i < streams.size(); i++) {
            streams.get(i).writeAndFlush(Unpooled.wrappedBuffer(new byte[] {(byte) i, (byte) (i >> 8)}));
        }
        for (int i = 0; i < streams.size(); i++) {
            assertThat(handlers.get(i).done().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                    .containsExactly((byte) i, (byte) (i >> 8));
        }
    }

    @Test
    void aPoolOnlyChangeKeepsFiftyOpenStreamsAndAppliesTheNewIdleTimeout() throws Exception {
        transport = ReconfigurableClientTransport.create(ClientSettings.from(config(serverA, "60s")), io);
        List<CollectingHandler> handlers = new ArrayList<>();
        List<Channel> streams = openStreams(50, handlers);
        AnyTlsClientTransport before = transport.current();

        assertThat(transport.reconfigure(ClientSettings.from(config(serverA, "1s"))))
                .isEqualTo(ReconfigurableClientTransport.Change.POOL_UPDATED);

        assertThat(transport.current()).isSameAs(before);
        assertThat(transport.current().poolOptions().idleSessionTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(streams).allMatch(Channel::isActive);
        echoOnEach(streams, handlers);
        assertThat(transport.stats().sessionsActive()).isEqualTo(50);

        for (Channel stream : streams) {
            stream.close().await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        // With the new one-second idle timeout and no minimum, the idle sessions go away on their own.
        awaitCondition(() -> transport.stats().sessionsIdle() == 0 && transport.stats().sessionsActive() == 0);
        assertThat(transport.current().poolStats().sessionsClosed(
                org.anytls4j.anytls.client.pool.CloseCause.IDLE_TIMEOUT)).isEqualTo(50);
    }

    @Test
    void aServerChangeSendsNewStreamsToTheNewServerAndDrainsTheOldPool() throws Exception {
        transport = ReconfigurableClientTransport.create(ClientSettings.from(config(serverA, "60s")), io);
        List<CollectingHandler> handlers = new ArrayList<>();
        List<Channel> oldStreams = openStreams(3, handlers);
        AnyTlsClientTransport old = transport.current();
        long sessionsOnB = serverB.stats().sessionsTotal();

        assertThat(transport.reconfigure(ClientSettings.from(config(serverB, "60s"))))
                .isEqualTo(ReconfigurableClientTransport.Change.REPLACED);
        assertThat(transport.draining()).containsExactly(old);

        List<CollectingHandler> newHandlers = new ArrayList<>();
        List<Channel> newStreams = openStreams(1, newHandlers);
        echoOnEach(newStreams, newHandlers);
        assertThat(serverB.stats().sessionsTotal()).isEqualTo(sessionsOnB + 1);

        // The old streams finish undisturbed on the old pool.
        echoOnEach(oldStreams, handlers);
        for (Channel stream : oldStreams) {
            stream.close().await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        awaitCondition(() -> transport.draining().isEmpty());
        assertThat(old.isClosed()).isTrue();
        assertThat(old.stats().sessionsIdle() + old.stats().sessionsActive()).isZero();
        newStreams.get(0).close();
    }

    @Test
    void anUnchangedConfigurationChangesNothing() throws Exception {
        transport = ReconfigurableClientTransport.create(ClientSettings.from(config(serverA, "60s")), io);
        AnyTlsClientTransport before = transport.current();
        assertThat(transport.reconfigure(ClientSettings.from(config(serverA, "60s"))))
                .isEqualTo(ReconfigurableClientTransport.Change.UNCHANGED);
        assertThat(transport.current()).isSameAs(before);
    }

    /** Waits, with a bound, for state that event loops change; each round waits for the loops to run once. */
    private static void awaitCondition(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached within " + TIMEOUT);
            }
            io.group().next().schedule(() -> { }, 50, TimeUnit.MILLISECONDS).await(1, TimeUnit.SECONDS);
        }
    }
}
