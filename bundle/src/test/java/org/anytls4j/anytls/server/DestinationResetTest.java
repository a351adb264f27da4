package org.anytls4j.anytls.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.util.concurrent.Future;
import org.anytls4j.anytls.client.AnyTlsClientTransport;
import org.anytls4j.anytls.client.pool.PoolOptions;
import org.anytls4j.anytls.config.ServerSettings;
import org.anytls4j.anytls.io.IoRuntime;
import org.anytls4j.anytls.testing.CollectingHandler;
import org.anytls4j.anytls.tls.ClientTlsOptions;
import org.anytls4j.anytls.tls.TlsProvider;
import org.anytls4j.transport.api.Destination;
import org.anytls4j.transport.api.OpenRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How the server ends its connection to a destination: reset (the destination reads "Connection reset") when the
 * client's session dies or the server stops, since the stream was cut; closed with a FIN when the client ended the
 * stream with its FIN.
 */
class DestinationResetTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final byte[] REQUEST = "upload in progress".getBytes(StandardCharsets.US_ASCII);
    private static final ServerRuntimeTimings FAST =
            new ServerRuntimeTimings(Duration.ZERO, Duration.ofMillis(20), Duration.ofMillis(200));

    private static IoRuntime io;
    private AnyTlsServerRuntime server;
    private AnyTlsClientTransport client;
    private ServerSocket destination;

    @BeforeAll
    static void startIo() {
        io = IoRuntime.create(IoRuntime.Kind.NIO, 2, "destination-reset-test");
    }

    @AfterAll
    static void stopIo() {
        io.close();
    }

    @BeforeEach
    void start() throws Exception {
        destination = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        destination.setSoTimeout((int) TIMEOUT.toMillis());
        server = AnyTlsServerRuntime.start(ServerSettings.from(AnyTlsServerRuntimeTest.config(
                "stopGracePeriod", "0s")), io, FAST);
        server.bound().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        client = AnyTlsClientTransport.builder("reset-client", io)
                .server("127.0.0.1", server.localAddress().getPort())
                .password("alice-password")
                .tls(ClientTlsOptions.builder().insecure(true).provider(TlsProvider.JDK).build())
                .pool(PoolOptions.defaults())
                .build();
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        server.close(TIMEOUT);
        destination.close();
    }

    /** A stream to the destination that has carried {@link #REQUEST}; returns the destination's side. */
    private Socket relaying(Channel[] stream) throws Exception {
        Future<Channel> open = client.open(OpenRequest.tcp(Destination.of(
                (InetSocketAddress) destination.getLocalSocketAddress())).build(), new CollectingHandler(1), null);
        assertThat(open.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).as("open finished").isTrue();
        assertThat(open.cause()).isNull();
        stream[0] = open.getNow();
        stream[0].writeAndFlush(Unpooled.wrappedBuffer(REQUEST));
        Socket accepted = destination.accept();
        accepted.setSoTimeout((int) TIMEOUT.toMillis());
        assertThat(accepted.getInputStream().readNBytes(REQUEST.length)).isEqualTo(REQUEST);
        return accepted;
    }

    private static void assertReset(Socket socket) {
        InputStream in;
        try {
            in = socket.getInputStream();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertThatThrownBy(in::readAllBytes).isInstanceOf(SocketException.class)
                .hasMessageContaining("Connection reset");
    }

    @Test
    void theClientsSessionDyingResetsTheDestination() throws Exception {
        Channel[] stream = new Channel[1];
        try (Socket far = relaying(stream)) {
            // The session's carrier goes away under the stream: no FIN for the stream ever reaches the server.
            stream[0].parent().close();
            assertReset(far);
        }
    }

    @Test
    void theServerStoppingResetsTheDestination() throws Exception {
        Channel[] stream = new Channel[1];
        try (Socket far = relaying(stream)) {
            server.close(TIMEOUT);
            assertReset(far);
        }
    }

    @Test
    void theClientsFinClosesTheDestinationCleanly() throws Exception {
        Channel[] stream = new Channel[1];
        try (Socket far = relaying(stream)) {
            stream[0].close();
            assertThat(far.getInputStream().readAllBytes()).isEmpty();
        }
    }
}
