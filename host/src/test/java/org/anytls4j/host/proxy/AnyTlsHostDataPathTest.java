package org.anytls4j.host.proxy;

import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.anytls4j.anytls.client.AnyTlsClientTransport;
import org.anytls4j.anytls.io.IoRuntime;
import org.anytls4j.anytls.server.AnyTlsServer;
import org.anytls4j.anytls.session.ServerUsers;
import org.anytls4j.anytls.tls.ClientTlsOptions;
import org.anytls4j.anytls.tls.TlsProvider;
import org.anytls4j.host.testing.RawClient;
import org.anytls4j.host.testing.Socks5;
import org.anytls4j.testkit.BoundedWait;
import org.anytls4j.testkit.CapturedLog;
import org.anytls4j.testkit.TcpEchoServer;
import org.anytls4j.testkit.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The host's data path through the real AnyTLS transport and server on 127.0.0.1: half-close (an application that
 * half-closes and then waits gets every byte of its answer, and its session serves the next connection meanwhile)
 * and early data (the client is answered before the destination is reached; a failed dial closes it and is logged).
 */
class AnyTlsHostDataPathTest {
    private static final long BOUND_MILLIS = 20_000;
    private IoRuntime io;
    private TcpEchoServer echo;
    private AnyTlsServer server;
    private Path trustedCertificate;
    private AnyTlsClientTransport transport;
    private ProxyServer proxy;

    @BeforeEach
    void start() throws Exception {
        io = IoRuntime.create(IoRuntime.Kind.NIO, 2, "host-half-close-test");
        echo = new TcpEchoServer(io.group());
        SslContext serverTls = TestCertificates.serverContext();
        server = AnyTlsServer.builder("loopback", io, () -> serverTls, ServerUsers.single("u", "pw"))
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .build();
        BoundedWait.sync(server.start());
        trustedCertificate = Files.createTempFile("anytls-half-close-ca", ".pem");
        Files.writeString(trustedCertificate, "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(TestCertificates.localhost().getCertificate().getEncoded())
                + "\n-----END CERTIFICATE-----\n");
        transport = AnyTlsClientTransport.builder("anytls-half-close", io)
                .server("localhost", server.localAddress().getPort())
                .password("pw")
                .tls(ClientTlsOptions.builder().trustedCertificatesPem(trustedCertificate)
                        .provider(TlsProvider.JDK).build())
                .build();
        // A linger far longer than the test, so that only the reply's arrival can end the first connection; one
        // event loop, so that consecutive connections want the same session (the transport places streams on the
        // host's loop).
        proxy = ProxyServer.builder("half-close", () -> transport)
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .halfCloseLinger(Duration.ofSeconds(60))
                .ioThreads(1)
                .build();
        BoundedWait.sync(proxy.start());
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        transport.close();
        server.close();
        echo.close();
        io.close();
        Files.deleteIfExists(trustedCertificate);
    }

    @Test
    void aClientThatHalfClosesGetsTheWholeReplyWhileItsSessionServesTheNextConnection() throws Exception {
        byte[] answer = new byte[512 * 1024];
        new Random(5).nextBytes(answer);
        CountDownLatch mayAnswer = new CountDownLatch(1);
        try (ServerSocket destination = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             RawClient client = new RawClient(proxy.localAddress())) {
            CompletableFuture<Void> served = CompletableFuture.runAsync(() -> answerAfter(destination, mayAnswer,
                    answer));
            Socks5.greet(client, Socks5.NO_AUTH);
            assertThat(Socks5.command(client, Socks5.CONNECT,
                    (InetSocketAddress) destination.getLocalSocketAddress()).code).isZero();
            client.write("query").shutdownOutput();

            awaitIdleSessions(1);
            long sessions = transport.stats().sessionsOpened();
            try (RawClient next = new RawClient(proxy.localAddress())) {
                Socks5.greet(next, Socks5.NO_AUTH);
                assertThat(Socks5.command(next, Socks5.CONNECT, echo.address()).code).isZero();
                assertThat(next.write("again").read(5)).isEqualTo("again".getBytes(StandardCharsets.US_ASCII));
            }
            assertThat(transport.stats().sessionsOpened()).as("the half-closed connection's session was reused")
                    .isEqualTo(sessions);

            mayAnswer.countDown(); // only now, after the half-close reached the host and the session was lent
            assertThat(client.read(answer.length)).isEqualTo(answer);
            served.get(BOUND_MILLIS, TimeUnit.MILLISECONDS);
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void withEarlyDataTheClientIsAnsweredAtOnceAndItsBytesReachTheDestination() throws Exception {
        try (RawClient client = new RawClient(proxy.localAddress())) {
            Socks5.greet(client, Socks5.NO_AUTH);
            assertThat(Socks5.command(client, Socks5.CONNECT, echo.address()).code).isZero();
            assertThat(client.write("early").read(5)).isEqualTo("early".getBytes(StandardCharsets.US_ASCII));
        }
    }

    @Test
    void withEarlyDataAnUnreachableDestinationClosesTheClientAndIsLogged() throws Exception {
        InetSocketAddress refused = closedPort();
        try (CapturedLog log = CapturedLog.of(OpenFailureLog.class);
             RawClient client = new RawClient(proxy.localAddress())) {
            Socks5.greet(client, Socks5.NO_AUTH);
            assertThat(Socks5.command(client, Socks5.CONNECT, refused).code).as("success before the dial").isZero();
            try {
                client.write("lost");
            } catch (SocketException resetFirst) {
                // The open left with the reply, so the refusal may reset the client before its first bytes.
            }
            assertThat(client.closedByServer()).isTrue();
            awaitLogLine(log, "DESTINATION_REFUSED in REMOTE_CONNECT");
        }
    }

    @Test
    void withoutEarlyDataAnUnreachableDestinationGetsItsFailureReply() throws Exception {
        InetSocketAddress refused = closedPort();
        ProxyServer confirming = ProxyServer.builder("confirming", () -> transport)
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .earlyData(false)
                .build();
        try {
            BoundedWait.sync(confirming.start());
            try (RawClient client = new RawClient(confirming.localAddress())) {
                Socks5.greet(client, Socks5.NO_AUTH);
                assertThat(Socks5.command(client, Socks5.CONNECT, refused).code).isEqualTo((byte) 0x05);
            }
        } finally {
            confirming.close();
        }
    }

    /** An address on 127.0.0.1 that refuses connections: a port just bound and released. */
    private static InetSocketAddress closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return (InetSocketAddress) socket.getLocalSocketAddress();
        }
    }

    private static void awaitLogLine(CapturedLog log, String part) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BOUND_MILLIS);
        while (log.messages(Level.INFO).stream().noneMatch(line -> line.contains(part))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no INFO line with '" + part + "': " + log.messages(Level.INFO));
            }
            GlobalEventExecutor.INSTANCE.submit(() -> { }).await(100, TimeUnit.MILLISECONDS);
        }
    }

    /** Reads the 5-byte query, waits for the test's go, sends the answer and closes. */
    private static void answerAfter(ServerSocket destination, CountDownLatch go, byte[] answer) {
        try (Socket socket = destination.accept()) {
            socket.setSoTimeout((int) BOUND_MILLIS);
            InputStream in = socket.getInputStream();
            if (in.readNBytes(5).length != 5 || !go.await(BOUND_MILLIS, TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("no query, or no go from the test");
            }
            OutputStream out = socket.getOutputStream();
            out.write(answer);
            out.flush();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private void awaitIdleSessions(int expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BOUND_MILLIS);
        while (transport.poolStats().idleSessions() != expected) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("pool never reached " + expected + " idle sessions: " + transport.poolStats());
            }
            io.group().next().submit(() -> { }).await(1, TimeUnit.SECONDS); // a bounded wait for the loop's work
        }
    }
}
