package org.anytls4j.anytls.hardening;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.Future;
import org.anytls4j.anytls.client.AnyTlsClientTransport;
import org.anytls4j.anytls.client.pool.CloseCause;
import org.anytls4j.anytls.client.pool.PoolOptions;
import org.anytls4j.anytls.io.IoRuntime;
import org.anytls4j.anytls.server.AnyTlsServer;
import org.anytls4j.anytls.session.ServerUsers;
import org.anytls4j.testkit.BoundedWait;
import org.anytls4j.testkit.TcpEchoServer;
import org.anytls4j.anytls.tls.ClientTlsOptions;
import org.anytls4j.anytls.tls.TlsProvider;
import org.anytls4j.testkit.TestCertificates;
import org.anytls4j.transport.api.Destination;
import org.anytls4j.transport.api.OpenRequest;
import org.anytls4j.transport.api.TransportException;
import org.anytls4j.transport.api.TransportException.Phase;
import org.anytls4j.transport.api.TransportException.Reason;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Faults between a client transport and its server, injected by a relay on 127.0.0.1 that the test controls: the
 * server dies, the path turns into a blackhole, the server never finishes TLS. Timers are short so that every
 * fault must be detected within a bound far below the test timeout.
 */
class ClientFaultInjectionTest {
    private static final Duration SYNACK_TIMEOUT = Duration.ofMillis(300);
    private static final Duration SHORT_HANDSHAKE_TIMEOUT = Duration.ofMillis(300);
    /** Real handshakes on a loaded 2-core machine can take longer than the short timeout. */
    private static final Duration NORMAL_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    /** How long any detection may take: the timers above plus generous slack for a loaded machine. */
    private static final Duration BOUND = Duration.ofSeconds(5);
    private static final Duration TEST_WAIT = Duration.ofSeconds(20);

    private static IoRuntime io;
    private static TcpEchoServer echo;
    private static AnyTlsServer server;
    private static Path trustedCertificate;
    private FaultyRelay relay;
    private AnyTlsClientTransport transport;

    @BeforeAll
    static void start() throws Exception {
        io = IoRuntime.create(IoRuntime.Kind.NIO, 2, "fault-test");
        echo = new TcpEchoServer(io.group());
        SslContext serverTls = TestCertificates.serverContext();
        server = AnyTlsServer.builder("faults", io, () -> serverTls, ServerUsers.single("u", "pw"))
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .build();
        BoundedWait.sync(server.start());
        trustedCertificate = Files.createTempFile("anytls-faults-ca", ".pem");
        Files.writeString(trustedCertificate, "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'})
                        .encodeToString(TestCertificates.localhost().getCertificate().getEncoded())
                + "\n-----END CERTIFICATE-----\n");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        echo.close();
        io.close();
        Files.deleteIfExists(trustedCertificate);
    }

    @BeforeEach
    void startRelay() {
        relay = new FaultyRelay(io.group(), server.localAddress());
    }

    @AfterEach
    void closeAll() {
        if (transport != null) {
            transport.close();
        }
        relay.close();
    }

    private AnyTlsClientTransport transport(Duration heartbeatInterval, Duration heartbeatTimeout) {
        return transport(heartbeatInterval, heartbeatTimeout, NORMAL_HANDSHAKE_TIMEOUT);
    }

    private AnyTlsClientTransport transport(Duration heartbeatInterval, Duration heartbeatTimeout,
                                            Duration handshakeTimeout) {
        transport = AnyTlsClientTransport.builder("faulty-path", io)
                .server("localhost", relay.address().getPort())
                .password("pw")
                .tls(ClientTlsOptions.builder().trustedCertificatesPem(trustedCertificate)
                        .handshakeTimeout(handshakeTimeout).provider(TlsProvider.JDK).build())
                .synackTimeout(SYNACK_TIMEOUT)
                .heartbeat(heartbeatInterval, heartbeatTimeout)
                .pool(PoolOptions.defaults())
                .build();
        return transport;
    }

    private Future<Channel> open(StreamProbe probe) {
        return transport.open(OpenRequest.tcp(Destination.of(echo.address())).build(), probe, null);
    }

    private Channel openAndEcho(StreamProbe probe, byte[] payload) throws Exception {
        Future<Channel> opening = open(probe);
        assertThat(opening.await(TEST_WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        if (!opening.isSuccess()) {
            throw new AssertionError("open failed", opening.cause());
        }
        Channel stream = opening.getNow();
        stream.writeAndFlush(Unpooled.wrappedBuffer(payload));
        assertThat(probe.echoed().get(TEST_WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(payload);
        return stream;
    }

    private static TransportException failureOf(Future<Channel> opening) throws InterruptedException {
        long started = System.nanoTime();
        assertThat(opening.await(TEST_WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(BOUND);
        assertThat(opening.isSuccess()).as("the open must fail").isFalse();
        assertThat(opening.cause()).isInstanceOf(TransportException.class);
        return (TransportException) opening.cause();
    }

    @Test
    void whenTheServerDiesEveryStreamFailsWithSessionLostAndTheNextOpenGetsAFreshSession() throws Exception {
        transport(Duration.ZERO, Duration.ofSeconds(10));
        List<StreamProbe> probes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            StreamProbe probe = new StreamProbe(4);
            openAndEcho(probe, new byte[] {1, 2, 3, (byte) i});
            probes.add(probe);
        }
        assertThat(transport.poolStats().activeSessions()).isEqualTo(3);

        relay.killExisting();

        for (StreamProbe probe : probes) {
            Throwable why = probe.ended().get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(why).as("each stream learns why it ended").isInstanceOf(TransportException.class);
            assertThat(((TransportException) why).reason()).isEqualTo(Reason.SESSION_LOST);
            assertThat(why.getMessage()).isNotBlank();
        }
        Await.until(io.group(), BOUND, () -> transport.poolStats().totalSessions() == 0,
                () -> "dead sessions still pooled: " + transport.poolStats());
        assertThat(transport.poolStats().sessionsClosed(CloseCause.ERROR)).isEqualTo(3);

        openAndEcho(new StreamProbe(1), new byte[] {42});
        assertThat(transport.stats().sessionsOpened()).as("a fresh session").isEqualTo(4);
        assertThat(relay.accepted()).isEqualTo(4);
    }

    @Test
    void aBlackholedReusedSessionIsKilledByTheSynackTimeoutAndTheOpenMovesToAFreshSession() throws Exception {
        transport(Duration.ZERO, Duration.ofSeconds(10));
        Channel first = openAndEcho(new StreamProbe(1), new byte[] {1});
        first.close().await(TEST_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        Await.until(io.group(), BOUND, () -> transport.poolStats().idleSessions() == 1,
                () -> "session not back in the pool: " + transport.poolStats());

        relay.blackholeExisting();

        // Nothing reached the application on the dead session, so the open is not failed but retried (issue 19).
        openAndEcho(new StreamProbe(1), new byte[] {2});
        assertThat(transport.poolStats().sessionsClosed(CloseCause.ERROR)).as("the blackholed session").isEqualTo(1);
        assertThat(transport.stats().sessionsOpened()).isEqualTo(2);
        assertThat(transport.stats().opensFailed()).isZero();
        assertThat(transport.stats().extra()).containsEntry("anytls.opens.retriedOnFreshSession", 1L);
    }

    @Test
    void aSilentlyDeadIdleSessionIsFoundByHeartbeatsAndNeverHandedToANewStream() throws Exception {
        transport(Duration.ofMillis(200), Duration.ofMillis(300));
        Channel first = openAndEcho(new StreamProbe(1), new byte[] {1});
        first.close().await(TEST_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        Await.until(io.group(), BOUND, () -> transport.poolStats().idleSessions() == 1,
                () -> "session not back in the pool: " + transport.poolStats());

        relay.blackholeExisting(); // a NAT forgot the flow: nothing arrives, nothing resets

        Await.until(io.group(), BOUND, () -> transport.poolStats().sessionsClosed(CloseCause.ERROR) == 1,
                () -> "heartbeats did not close the dead idle session: " + transport.poolStats());
        openAndEcho(new StreamProbe(1), new byte[] {2});
        assertThat(transport.poolStats().leasesReused()).as("the dead session was never leased again").isZero();
        assertThat(transport.stats().opensFailed()).isZero();
        assertThat(transport.stats().sessionsOpened()).isEqualTo(2);
    }

    @Test
    void aServerThatAcceptsTcpButNeverFinishesTlsHitsTheHandshakeTimeout() throws Exception {
        transport(Duration.ZERO, Duration.ofSeconds(10), SHORT_HANDSHAKE_TIMEOUT);
        relay.stopConnectingOnwards();

        TransportException failure = failureOf(open(new StreamProbe(1)));
        assertThat(failure.reason()).isEqualTo(Reason.TIMEOUT);
        assertThat(failure.phase()).isEqualTo(Phase.CARRIER_HANDSHAKE);
        assertThat(failure.getMessage()).contains("handshake");
        Await.until(io.group(), BOUND, () -> relay.openConnections() == 0,
                () -> "the client left its half-open connection behind");
        assertThat(transport.poolStats().totalSessions()).isZero();
    }
}
