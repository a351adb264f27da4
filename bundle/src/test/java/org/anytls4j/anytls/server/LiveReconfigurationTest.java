package org.anytls4j.anytls.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.util.concurrent.Future;
import org.anytls4j.anytls.client.AnyTlsClientTransport;
import org.anytls4j.anytls.client.pool.PoolOptions;
import org.anytls4j.anytls.config.ServerSettings;
import org.anytls4j.anytls.io.IoRuntime;
import org.anytls4j.anytls.padding.PaddingScheme;
import org.anytls4j.anytls.testing.CollectingHandler;
import org.anytls4j.anytls.tls.ClientTlsOptions;
import org.anytls4j.anytls.tls.TlsProvider;
import org.anytls4j.testkit.CapturedLog;
import org.anytls4j.testkit.TcpEchoServer;
import org.anytls4j.transport.api.Destination;
import org.anytls4j.transport.api.OpenRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Configuration changes applied to a running server while traffic flows through it, and a graceful stop. */
class LiveReconfigurationTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final ServerRuntimeTimings FAST =
            new ServerRuntimeTimings(Duration.ZERO, Duration.ofMillis(20), Duration.ofMillis(200));
    private static final String CUSTOM_SCHEME = "stop=3\n0=30-30\n1=100-400\n2=400-500";

    private static IoRuntime io;
    private static TcpEchoServer echo;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeAll
    static void startIo() {
        io = IoRuntime.create(IoRuntime.Kind.NIO, 2, "live-reconfiguration-test");
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

    private AnyTlsServerRuntime start(Object... keysAndValues) throws Exception {
        AnyTlsServerRuntime runtime = AnyTlsServerRuntime.start(
                ServerSettings.from(AnyTlsServerRuntimeTest.config(keysAndValues)), io, FAST);
        toClose.add(runtime);
        runtime.bound().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        return runtime;
    }

    private AnyTlsClientTransport client(AnyTlsServerRuntime server, String password) {
        AnyTlsClientTransport transport = AnyTlsClientTransport.builder("live-client-" + password, io)
                .server("127.0.0.1", server.localAddress().getPort())
                .password(password)
                .tls(ClientTlsOptions.builder().insecure(true).provider(TlsProvider.JDK).build())
                .pool(PoolOptions.defaults())
                .build();
        toClose.add(transport::close);
        return transport;
    }

    private static Channel open(AnyTlsClientTransport transport, CollectingHandler handler) throws Exception {
        Future<Channel> open = transport.open(OpenRequest.tcp(Destination.of(echo.address())).build(), handler,
                null);
        assertThat(open.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).as("open finished").isTrue();
        assertThat(open.cause()).isNull();
        return open.getNow();
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(21).nextBytes(bytes);
        return bytes;
    }

    @Test
    void authTimeoutUsersAndPaddingSchemeChangeWhileADownloadRunsAndItCompletesByteExact() throws Exception {
        AnyTlsServerRuntime server = start(".users", new String[] {"alice:alice-password", "bob:bob-password"});
        byte[] payload = randomBytes(8 * 1024 * 1024);
        int half = payload.length / 2;
        CollectingHandler download = new CollectingHandler(payload.length);
        Channel stream = open(client(server, "alice-password"), download);
        CollectingHandler bobsHandler = new CollectingHandler(1);
        Channel bobsStream = open(client(server, "bob-password"), bobsHandler);
        stream.writeAndFlush(Unpooled.wrappedBuffer(payload, 0, half));

        try (CapturedLog log = CapturedLog.of(AnyTlsServerRuntime.class)) {
            server.reconfigure(ServerSettings.from(AnyTlsServerRuntimeTest.config("authTimeout", "3s",
                    ".users", new String[] {"alice:alice-password", "carol:carol-password"},
                    "paddingScheme", CUSTOM_SCHEME))).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);

            assertThat(bobsStream.closeFuture().await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                    .as("the removed user's stream is closed").isTrue();
            assertThat(log.messages(Level.INFO)).anySatisfy(line -> assertThat(line).contains("[bob]", "closed"));
        }
        stream.writeAndFlush(Unpooled.wrappedBuffer(payload, half, payload.length - half));

        byte[] received = download.done().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(Arrays.equals(received, payload)).as("byte-exact").isTrue();
        assertThat(stream.isActive()).as("alice's stream survived the change").isTrue();
        assertThat(server.paddingScheme().md5Hex()).isNotEqualTo(PaddingScheme.DEFAULT.md5Hex());
        // New sessions use the new users: carol gets in.
        CollectingHandler carols = new CollectingHandler(3);
        open(client(server, "carol-password"), carols).writeAndFlush(Unpooled.wrappedBuffer(new byte[] {1, 2, 3}));
        assertThat(carols.done().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).containsExactly(1, 2, 3);
    }

    @Test
    void stoppingStopsAcceptingAtOnceAndLetsAnOpenStreamFinishWithinTheGracePeriod() throws Exception {
        AnyTlsServerRuntime server = start("stopGracePeriod", "30s");
        int port = server.localAddress().getPort();
        byte[] payload = randomBytes(1024 * 1024);
        CollectingHandler download = new CollectingHandler(payload.length);
        Channel stream = open(client(server, "alice-password"), download);

        CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> server.close(TIMEOUT));
        // The listener closes first; the stream keeps working while close() waits for it.
        awaitRefused(port);
        stream.writeAndFlush(Unpooled.wrappedBuffer(payload));
        assertThat(Arrays.equals(download.done().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), payload)).isTrue();
        assertThat(stopped).isNotDone();
        stream.close();

        stopped.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(server.localAddress()).isNull();
    }

    /** Connects until refused; bounded by {@link #TIMEOUT}. */
    private static void awaitRefused(int port) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                Thread.onSpinWait();
            } catch (ConnectException refused) {
                return;
            } catch (SocketException resetWhileClosing) {
                // The connection was queued on the listener as it closed: the next attempt shows whether it is gone.
                Thread.onSpinWait();
            }
        }
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
    }
}
