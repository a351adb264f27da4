package org.anytls4j.anytls.client;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.util.concurrent.Future;
import org.anytls4j.anytls.client.pool.CloseCause;
import org.anytls4j.anytls.client.pool.PoolOptions;
import org.anytls4j.anytls.io.IoRuntime;
import org.anytls4j.anytls.server.AnyTlsServer;
import org.anytls4j.anytls.testing.CollectingHandler;
import org.anytls4j.anytls.tls.ClientTlsOptions;
import org.anytls4j.anytls.tls.TlsProvider;
import org.anytls4j.testkit.TcpEchoServer;
import org.anytls4j.transport.api.Destination;
import org.anytls4j.transport.api.OpenRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No stall on a dead pooled session (issue 19): a reused session that died silently costs the open at most one
 * SYNACK timeout plus one new session, the open succeeds on a fresh session, and the idle sessions that went quiet
 * with it are retired so that the next opens do not pay again.
 */
class DeadPooledSessionTest {
    private static final Duration SYNACK_TIMEOUT = Duration.ofMillis(400);
    /**
     * What docs/configuration.md allows on top of the SYNACK timeout: one new session on loopback, plus scheduling on
     * a loaded 2-core machine.
     */
    private static final Duration SLACK = Duration.ofSeconds(2);
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int WARM = 4;
    private static LoopbackAnyTls loopback;
    private static IoRuntime io;
    private static TcpEchoServer echo;
    private static AnyTlsServer server;
    private AnyTlsClientTransport transport;
    private CuttableRelay relay;

    @BeforeAll
    static void start() throws Exception {
        loopback = LoopbackAnyTls.start("dead-session-test");
        io = loopback.io;
        echo = loopback.echo;
        server = loopback.server;
    }

    @AfterAll
    static void stop() throws Exception {
        loopback.close();
    }

    @AfterEach
    void closeAll() throws Exception {
        if (transport != null) {
            transport.close();
        }
        if (relay != null) {
            relay.close();
        }
    }

    @Test
    void afterEveryWarmSessionWasBlackholedFiveRequestsSucceedEachWithinTheSynackTimeoutPlusSlack() throws Exception {
        relay = new CuttableRelay(io, server.localAddress());
        transport = transport(PoolOptions.builder().minIdleSessions(WARM).warmIdleSessions(true).build());
        echoOnce(); // learns that the server speaks v2
        // The warm sessions and the one that served the first request, all idle (warming replaced any it used).
        awaitTrue(() -> transport.poolStats().idleSessions() == WARM + 1
                && transport.poolStats().dialingSessions() == 0 && everyClientByteReachedTheServer());

        relay.blackholeExisting();
        List<Duration> took = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            took.add(echoOnce());
        }

        assertThat(took).allSatisfy(each -> assertThat(each).isLessThan(SYNACK_TIMEOUT.plus(SLACK)));
        // Only the first request met a dead session and waited out its watchdog; the others found live ones.
        assertThat(took.get(0)).isGreaterThanOrEqualTo(SYNACK_TIMEOUT);
        assertThat(extra("anytls.opens.retriedOnFreshSession")).isEqualTo(1);
        // The first request took the newest idle session; every other one was idle alongside it and retired.
        assertThat(transport.poolStats().sessionsClosed(CloseCause.SUSPECT)).isEqualTo(WARM);
        assertThat(transport.stats().opensFailed()).isZero();
        assertThat(transport.stats().opensSucceeded()).isEqualTo(6);
    }

    @Test
    void anOpenWhoseReusedSessionDiesBeforeItsSynackIsRetriedOnAFreshSession() throws Exception {
        relay = new CuttableRelay(io, server.localAddress());
        transport = transport(PoolOptions.defaults());
        echoOnce();
        awaitTrue(() -> transport.poolStats().idleSessions() == 1 && everyClientByteReachedTheServer());

        relay.resetExistingOnData(); // the server restarted while the session was idle
        Duration took = echoOnce();

        assertThat(took).isLessThan(SYNACK_TIMEOUT.plus(SLACK));
        assertThat(extra("anytls.opens.retriedOnFreshSession")).isEqualTo(1);
        assertThat(transport.poolStats().sessionsCreated()).isEqualTo(2);
        assertThat(transport.stats().opensFailed()).isZero();
    }

    @Test
    void anOpenIsRetriedOnceOnly() throws Exception {
        relay = new CuttableRelay(io, server.localAddress());
        transport = transport(PoolOptions.defaults());
        echoOnce();
        awaitTrue(() -> transport.poolStats().idleSessions() == 1 && everyClientByteReachedTheServer());

        relay.resetAll(); // the pooled session dies at its next open, and so does every new one
        Future<Channel> open = transport.open(OpenRequest.tcp(Destination.of(echo.address())).build(),
                new CollectingHandler(1), null);

        assertThat(open.await(WAIT.toMillis())).isTrue();
        assertThat(open.isSuccess()).isFalse();
        assertThat(extra("anytls.opens.retriedOnFreshSession")).isEqualTo(1);
        assertThat(transport.poolStats().acquiresFailed()).isEqualTo(1); // the retry's dial, and nothing after it
        assertThat(transport.stats().opensFailed()).isEqualTo(1);
    }

    /** Opens a stream through the transport, echoes two bytes and closes it; returns how long the open took. */
    private Duration echoOnce() throws Exception {
        CollectingHandler handler = new CollectingHandler(2);
        long started = System.nanoTime();
        Future<Channel> open = transport.open(OpenRequest.tcp(Destination.of(echo.address())).build(), handler, null);
        assertThat(open.await(WAIT.toMillis())).isTrue();
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(open.isSuccess()).as("%s", open.cause()).isTrue();
        open.getNow().writeAndFlush(Unpooled.wrappedBuffer(new byte[] {7, 9}));
        assertThat(handler.done().get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).containsExactly(7, 9);
        assertThat(open.getNow().close().await(WAIT.toMillis())).isTrue();
        return took;
    }

    /**
     * The first request's last bytes (its stream's FIN) went through the relay: the server closed the stream. Only
     * then may a test cut the relay, or those bytes in flight would trip the cut before the open under test.
     */
    private static boolean everyClientByteReachedTheServer() {
        return server.stats().streamsActive() == 0;
    }

    private long extra(String name) {
        return transport.stats().extra().getOrDefault(name, 0L);
    }

    private AnyTlsClientTransport transport(PoolOptions pool) {
        return AnyTlsClientTransport.builder("dead-session-test", io)
                .server("localhost", relay.port())
                .password("pw")
                .tls(ClientTlsOptions.builder().insecure(true).provider(TlsProvider.JDK).build())
                .synackTimeout(SYNACK_TIMEOUT)
                .pool(pool)
                .openTimeout(Duration.ofSeconds(10))
                .build();
    }

    private static void awaitTrue(BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within %s", WAIT).isLessThan(deadline);
            Thread.onSpinWait();
            Thread.yield();
        }
    }
}
