package org.anytls4j.anytls.hardening;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.Future;
import org.anytls4j.anytls.client.AnyTlsClientTransport;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile clients against the server: each must lose its own connection within a bound, holding a bounded amount of
 * server memory meanwhile, while an honest client's session on the same server keeps moving data.
 */
class HostileClientTest {
    private static final Duration AUTH_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration IDLE_SESSION_TIMEOUT = Duration.ofSeconds(2);
    private static final int MAX_STREAMS = 4;
    /** The timers above plus slack for a loaded machine; far below what an unprotected server would take (never). */
    private static final long BOUND_MILLIS = 10_000;
    private static final int HONEST_BYTES = 256 * 1024;

    private static IoRuntime io;
    private static TcpEchoServer echo;
    private static AnyTlsServer server;
    private static SslContext hostileTls;
    private static Path trustedCertificate;
    private static AnyTlsClientTransport honest;
    private final List<HostileClient> hostile = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        io = IoRuntime.create(IoRuntime.Kind.NIO, 2, "hostile-test");
        echo = new TcpEchoServer(io.group());
        SslContext serverTls = TestCertificates.serverContext();
        server = AnyTlsServer.builder("hostile", io, () -> serverTls, ServerUsers.single("u", "pw"))
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .authTimeout(AUTH_TIMEOUT)
                .idleSessionTimeout(IDLE_SESSION_TIMEOUT)
                .maxStreamsPerSession(MAX_STREAMS)
                // Accepted streams that never name a destination linger this long: only the refusal limit, not
                // the idle timeout, can end a SYN flood within the bound.
                .connectTimeout(Duration.ofSeconds(30))
                .build();
        BoundedWait.sync(server.start());
        hostileTls = TestCertificates.clientContext();
        trustedCertificate = Files.createTempFile("anytls-hostile-ca", ".pem");
        Files.writeString(trustedCertificate, "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'})
                        .encodeToString(TestCertificates.localhost().getCertificate().getEncoded())
                + "\n-----END CERTIFICATE-----\n");
        honest = AnyTlsClientTransport.builder("honest", io)
                .server("localhost", server.localAddress().getPort())
                .password("pw")
                .tls(ClientTlsOptions.builder().trustedCertificatesPem(trustedCertificate)
                        .provider(TlsProvider.JDK).build())
                // A fresh session per honest stream: the server's short idle timeout would otherwise race with reuse.
                .pool(PoolOptions.builder().disableReuse(true).minIdleSessions(0).build())
                .build();
    }

    @AfterAll
    static void stop() throws Exception {
        honest.close();
        server.close();
        echo.close();
        io.close();
        Files.deleteIfExists(trustedCertificate);
    }

    @AfterEach
    void closeHostile() {
        hostile.forEach(HostileClient::close);
    }

    private HostileClient attacker(boolean reads) throws Exception {
        HostileClient client = HostileClient.connect(io.group(), hostileTls, server.localAddress(), reads);
        hostile.add(client);
        return client;
    }

    /** An honest stream moves {@link #HONEST_BYTES} through the echo server within the bound, attack or not. */
    private static void honestStreamKeepsItsThroughput() throws Exception {
        byte[] payload = new byte[HONEST_BYTES];
        new Random(7).nextBytes(payload);
        StreamProbe probe = new StreamProbe(payload.length);
        long started = System.nanoTime();
        Future<Channel> opening = honest.open(OpenRequest.tcp(Destination.of(echo.address())).build(), probe, null);
        assertThat(opening.await(BOUND_MILLIS, TimeUnit.MILLISECONDS)).isTrue();
        assertThat(opening.isSuccess()).as("honest open: %s", opening.cause()).isTrue();
        Channel stream = opening.getNow();
        stream.writeAndFlush(Unpooled.wrappedBuffer(payload));
        assertThat(probe.echoed().get(BOUND_MILLIS, TimeUnit.MILLISECONDS)).isEqualTo(payload);
        stream.close().await(BOUND_MILLIS, TimeUnit.MILLISECONDS);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(BOUND_MILLIS);
    }

    private void assertCutWithinBound(HostileClient client, String what) throws Exception {
        honestStreamKeepsItsThroughput();
        assertThat(client.awaitClosedBy(BOUND_MILLIS)).as("server closed the %s", what).isTrue();
        honestStreamKeepsItsThroughput();
    }

    @Test
    void aSlowlorisThatNeverFinishesAuthenticationIsCutAtTheAuthTimeout() throws Exception {
        long failuresBefore = server.stats().authenticationFailures();
        HostileClient slow = attacker(true);
        // The right hash, 65535 bytes of padding announced, then one padding byte every 50 ms.
        slow.send(HostileClient.authHeader("pw", 0xFFFF));
        slow.dribble(new byte[0xFFFF], 50);
        assertCutWithinBound(slow, "slowloris");
        assertThat(server.stats().authenticationFailures()).isGreaterThan(failuresBefore);
    }

    @Test
    void theLargestAuthPaddingAnnouncedButNeverSentIsCutAtTheAuthTimeout() throws Exception {
        // A u16 length: the server buffers at most 34 + 65535 bytes for it, and only until the auth timeout.
        HostileClient padder = attacker(true);
        padder.send(HostileClient.authHeader("pw", 0xFFFF), new byte[60_000]);
        assertCutWithinBound(padder, "client that announced 65535 padding bytes");
    }

    @Test
    void aFloodOfSynsBeyondTheStreamLimitClosesThatSessionOnly() throws Exception {
        // It reads (a client that does not read never notices the close); the refusals it gets are bounded by the
        // session's refusal limit whether it reads them or not.
        HostileClient flooder = attacker(true);
        byte[][] flood = new byte[2 + 10_000][];
        flood[0] = HostileClient.authHeader("pw", 0);
        flood[1] = HostileClient.settings();
        for (int i = 0; i < 10_000; i++) {
            flood[2 + i] = HostileClient.frame(1, i + 1, new byte[0]);
        }
        flooder.send(flood);
        assertCutWithinBound(flooder, "SYN flood");
    }

    @Test
    void aFrameWhoseAnnouncedBodyNeverArrivesEndsWithTheIdleSession() throws Exception {
        HostileClient staller = attacker(true);
        staller.send(HostileClient.authHeader("pw", 0), HostileClient.settings(),
                new byte[] {2, 0, 0, 0, 1, (byte) 0xFF, (byte) 0xFF}, new byte[10]);
        assertCutWithinBound(staller, "client stuck in the middle of a frame");
    }

    @Test
    void aSessionThatNeverSendsSettingsEndsWithTheIdleSession() throws Exception {
        HostileClient silent = attacker(true);
        silent.send(HostileClient.authHeader("pw", 0));
        assertCutWithinBound(silent, "client that never sent its settings");
    }

    @Test
    void aStreamBeforeSettingsIsRefusedAndTheSessionClosedAtOnce() throws Exception {
        HostileClient eager = attacker(true);
        eager.send(HostileClient.authHeader("pw", 0), HostileClient.frame(1, 1, new byte[0]));
        assertCutWithinBound(eager, "client that opened a stream before its settings");
    }
}
