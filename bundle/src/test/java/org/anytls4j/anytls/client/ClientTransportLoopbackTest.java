package org.anytls4j.anytls.client;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.socket.ChannelOutputShutdownException;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.concurrent.Future;
import org.anytls4j.anytls.client.pool.PoolOptions;
import org.anytls4j.anytls.io.IoRuntime;
import org.anytls4j.anytls.server.AnyTlsServer;
import org.anytls4j.anytls.testing.CollectingHandler;
import org.anytls4j.testkit.TcpEchoServer;
import org.anytls4j.anytls.tls.ClientTlsOptions;
import org.anytls4j.anytls.tls.TlsProvider;
import org.anytls4j.testkit.TestCertificates;
import org.anytls4j.transport.api.Capability;
import org.anytls4j.transport.api.Destination;
import org.anytls4j.transport.api.OpenRequest;
import org.anytls4j.transport.api.TransportException;
import org.anytls4j.transport.api.TransportStats;
import org.anytls4j.transport.api.netty.TransportAttributes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The transport as a host uses it, against the server engine over real TLS on 127.0.0.1. */
class ClientTransportLoopbackTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static LoopbackAnyTls loopback;
    private static IoRuntime io;
    private static TcpEchoServer echo;
    private static AnyTlsServer server;
    private static Path trustedCertificate;
    private AnyTlsClientTransport transport;

    @BeforeAll
    static void start() throws Exception {
        loopback = LoopbackAnyTls.start("transport-test");
        io = loopback.io;
        echo = loopback.echo;
        server = loopback.server;
        trustedCertificate = Files.createTempFile("anytls-test-ca", ".pem");
        Files.writeString(trustedCertificate, pem(TestCertificates.localhost().getCertificate().getEncoded()));
    }

    private static String pem(byte[] der) {
        return "-----BEGIN CERTIFICATE-----\n"
                + java.util.Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END CERTIFICATE-----\n";
    }

    @AfterAll
    static void stop() throws Exception {
        loopback.close();
        Files.deleteIfExists(trustedCertificate);
    }

    @AfterEach
    void closeTransport() {
        if (transport != null) {
            transport.close();
        }
    }

    private AnyTlsClientTransport transport(PoolOptions pool, String password) {
        transport = AnyTlsClientTransport.builder("test-transport", io)
                .server("localhost", server.localAddress().getPort())
                .password(password)
                .tls(ClientTlsOptions.builder().trustedCertificatesPem(trustedCertificate)
                        .provider(TlsProvider.JDK).build())
                .pool(pool)
                .build();
        return transport;
    }

    private static OpenRequest echoRequest() {
        return OpenRequest.tcp(Destination.of(echo.address())).build();
    }

    private Channel open(CollectingHandler handler) throws Exception {
        Future<Channel> open = transport.open(echoRequest(), handler, null);
        assertThat(open.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        if (!open.isSuccess()) {
            throw new AssertionError("open failed", open.cause());
        }
        return open.getNow();
    }

    private static void roundTrip(Channel stream, CollectingHandler handler, byte[] payload) throws Exception {
        stream.writeAndFlush(Unpooled.wrappedBuffer(payload));
        assertThat(handler.done().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(payload);
    }

    @Test
    void aThousandSequentialStreamsUseOneSession() throws Exception {
        transport(PoolOptions.defaults(), "pw");
        for (int i = 0; i < 1000; i++) {
            byte[] payload = ("stream " + i).getBytes();
            CollectingHandler handler = new CollectingHandler(payload.length);
            Channel stream = open(handler);
            roundTrip(stream, handler, payload);
            stream.close().await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            // The stream's close hands its session back before the next open asks for one.
            awaitIdle(1);
        }
        TransportStats stats = transport.stats();
        assertThat(stats.sessionsOpened()).isEqualTo(1);
        assertThat(stats.opensSucceeded()).isEqualTo(1000);
        assertThat(stats.opensFailed()).isZero();
        assertThat(stats.streamsActive()).isZero();
        assertThat(stats.bytesOut()).isEqualTo(stats.bytesIn()).isGreaterThan(0);
        assertThat(transport.poolStats().leasesReused()).isEqualTo(999);
    }

    @Test
    void sixteenConcurrentStreamsUseSixteenSessionsThatAreThenReused() throws Exception {
        transport(PoolOptions.defaults(), "pw");
        List<Channel> streams = new ArrayList<>();
        List<CollectingHandler> handlers = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            CollectingHandler handler = new CollectingHandler(4);
            handlers.add(handler);
            streams.add(open(handler));
        }
        assertThat(transport.stats().sessionsOpened()).isEqualTo(16);
        assertThat(transport.stats().sessionsActive()).isEqualTo(16);
        assertThat(streams.stream().map(s -> s.attr(TransportAttributes.SESSION_ID).get()).distinct()).hasSize(16);
        for (int i = 0; i < 16; i++) {
            roundTrip(streams.get(i), handlers.get(i), new byte[] {1, 2, 3, (byte) i});
            streams.get(i).close().await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        awaitIdle(16);
        for (int i = 0; i < 16; i++) {
            CollectingHandler handler = new CollectingHandler(1);
            Channel stream = open(handler);
            roundTrip(stream, handler, new byte[] {(byte) i});
            stream.close().await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        TransportStats stats = transport.stats();
        assertThat(stats.sessionsOpened()).as("no new session: the idle ones were reused").isEqualTo(16);
        assertThat(stats.opensSucceeded()).isEqualTo(32);
        assertThat(transport.poolStats().leasesReused()).isEqualTo(16);
    }

    @Test
    void theSpiAttributesAreSetAndTheStreamIsConfirmed() throws Exception {
        transport(PoolOptions.defaults(), "pw");
        CollectingHandler handler = new CollectingHandler(1);
        Channel stream = open(handler);
        assertThat(stream.attr(TransportAttributes.CONFIRMED).get()).isTrue();
        assertThat(stream.attr(TransportAttributes.REQUEST).get().destination()).isEqualTo(Destination.of(echo.address()));
        assertThat(stream.attr(TransportAttributes.CHAIN).get()).containsExactly("test-transport");
        assertThat(stream.attr(TransportAttributes.UPSTREAM).get().getPort()).isEqualTo(server.localAddress().getPort());
        assertThat(handler.active()).isDone();
        assertThat(transport.sessions()).hasSize(1);
        assertThat(transport.sessions().get(0).peerVersion()).isEqualTo(2);
        stream.close();
    }

    @Test
    void aWrongPasswordFailsWithTheAuthenticationReason() throws Exception {
        transport(PoolOptions.defaults(), "not-the-password");
        Future<Channel> open = transport.open(echoRequest(), new CollectingHandler(1), null);
        assertThat(open.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(open.cause()).isInstanceOf(TransportException.class);
        assertThat(((TransportException) open.cause()).reason()).isEqualTo(TransportException.Reason.UPSTREAM_AUTH);
        assertThat(transport.stats().failures(TransportException.Reason.UPSTREAM_AUTH)).isEqualTo(1);
    }

    @Test
    void maxSessionsRefusesOpensBeyondTheCapWithResourceExhausted() throws Exception {
        transport(PoolOptions.builder().maxSessions(2).build(), "pw");
        Channel first = open(new CollectingHandler(1));
        Channel second = open(new CollectingHandler(1));
        Future<Channel> third = transport.open(echoRequest(), new CollectingHandler(1), null);
        assertThat(third.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(((TransportException) third.cause()).reason())
                .isEqualTo(TransportException.Reason.RESOURCE_EXHAUSTED);
        assertThat(((TransportException) third.cause()).retryable()).isTrue();
        first.close();
        second.close();
    }

    @Test
    void closingTheTransportClosesEverySessionAndFailsNewOpens() throws Exception {
        transport(PoolOptions.defaults(), "pw");
        CollectingHandler handler = new CollectingHandler(1);
        Channel stream = open(handler);
        transport.close();
        assertThat(stream.closeFuture().await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        Future<Channel> after = transport.open(echoRequest(), new CollectingHandler(1), null);
        assertThat(after.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(((TransportException) after.cause()).reason()).isEqualTo(TransportException.Reason.SHUTDOWN);
        assertThat(transport.stats().sessionsIdle() + transport.stats().sessionsActive()).isZero();
    }

    @Test
    void anOpenOnATransportWhoseLoopsStoppedBeforeItClosedFailsWithShutdownAndTellsItsListener() throws Exception {
        // What a host meets when it opens between the service's unregistration and the transport's close, while the
        // shared loops are already released: a failure on a stopped loop's promise would reach no listener.
        IoRuntime stopping = IoRuntime.create(IoRuntime.Kind.NIO, 1, "stopping");
        AnyTlsClientTransport orphan = AnyTlsClientTransport.builder("orphan", stopping)
                .server("localhost", server.localAddress().getPort())
                .password("pw")
                .tls(ClientTlsOptions.builder().trustedCertificatesPem(trustedCertificate)
                        .provider(TlsProvider.JDK).build())
                .pool(PoolOptions.defaults())
                .build();
        try {
            stopping.close();
            CompletableFuture<Throwable> told = new CompletableFuture<>();
            orphan.open(echoRequest(), new CollectingHandler(1), null).addListener(done -> told.complete(done.cause()));

            assertThat(told.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isInstanceOfSatisfying(
                    TransportException.class, e -> assertThat(e.reason()).isEqualTo(TransportException.Reason.SHUTDOWN));
            assertThat(orphan.stats().opensFailed()).isEqualTo(1);
        } finally {
            orphan.close();
        }
    }

    @Test
    void aStreamWhoseWritesEndedLendsItsSessionToTheNextStreamAndStillGetsItsWholeReply() throws Exception {
        transport(PoolOptions.defaults(), "pw");
        byte[] request = new byte[1 << 20];
        new java.util.Random(17).nextBytes(request);
        CollectingHandler firstReply = new CollectingHandler(request.length);
        DuplexChannel first = (DuplexChannel) open(firstReply);
        first.write(Unpooled.wrappedBuffer(request));
        assertThat(first.shutdownOutput().await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(first.isOutputShutdown()).isTrue();
        ChannelFuture late = first.writeAndFlush(Unpooled.wrappedBuffer(new byte[1]));
        assertThat(late.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(late.cause()).isInstanceOf(ChannelOutputShutdownException.class);
        awaitIdle(1); // lent back while the first stream is open (an AnyTLS FIN would end the reply)

        CollectingHandler secondReply = new CollectingHandler(3);
        Channel second = open(secondReply);
        roundTrip(second, secondReply, new byte[] {7, 8, 9});
        assertThat(second.attr(TransportAttributes.SESSION_ID).get())
                .isEqualTo(first.attr(TransportAttributes.SESSION_ID).get());
        assertThat(firstReply.done().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(request);
        assertThat(transport.stats().sessionsOpened()).isEqualTo(1);
        first.close();
        second.close();
    }

    @Test
    void aSessionRetiredWhileAStreamStillReceivesClosesOnlyAfterThatStream() throws Exception {
        transport(PoolOptions.builder().disableReuse(true).build(), "pw");
        byte[] request = new byte[1 << 20];
        new java.util.Random(18).nextBytes(request);
        CollectingHandler reply = new CollectingHandler(request.length);
        DuplexChannel stream = (DuplexChannel) open(reply);
        stream.write(Unpooled.wrappedBuffer(request));
        // The lease goes back now and reuse is off, so the pool retires the session: it must wait for the reply.
        stream.shutdownOutput();
        assertThat(reply.done().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(request);
        assertThat(stream.isActive()).isTrue();
        stream.close();
        assertThat(stream.parent().closeFuture().await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                .as("the retired session closes with its last stream").isTrue();
    }

    @Test
    void anEarlyDataOpenCompletesUnconfirmedAndCarriesData() throws Exception {
        transport(PoolOptions.defaults(), "pw");
        assertThat(transport.capabilities()).contains(Capability.EARLY_DATA);
        CollectingHandler handler = new CollectingHandler(5);
        Future<Channel> open = transport.open(OpenRequest.tcp(Destination.of(echo.address())).earlyData(true).build(),
                handler, null);
        assertThat(open.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        Channel stream = open.getNow();
        assertThat(stream.attr(TransportAttributes.CONFIRMED).get()).isFalse();
        roundTrip(stream, handler, "early".getBytes());
        stream.close();
    }

    @Test
    void anEarlyDataOpenToARefusingDestinationSucceedsThenFailsTheStreamWithTheReason() throws Exception {
        transport(PoolOptions.defaults(), "pw");
        InetSocketAddress refusing;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            refusing = (InetSocketAddress) socket.getLocalSocketAddress();
        }
        CollectingHandler handler = new CollectingHandler(1);
        Future<Channel> open = transport.open(OpenRequest.tcp(Destination.of(refusing)).earlyData(true).build(),
                handler, null);
        assertThat(open.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(open.isSuccess()).as("early data: the open does not wait for the dial").isTrue();
        open.getNow().writeAndFlush(Unpooled.wrappedBuffer(new byte[] {1}));
        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(
                () -> handler.done().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
        assertThat(failure).hasCauseInstanceOf(TransportException.class);
        TransportException cause = (TransportException) failure.getCause();
        assertThat(cause.phase()).isEqualTo(TransportException.Phase.REMOTE_CONNECT);
        assertThat(cause.reason()).isEqualTo(TransportException.Reason.DESTINATION_REFUSED);
        assertThat(open.getNow().closeFuture().await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    }

    @Test
    void aStreamRunsOnThePreferredLoopOnASessionPlacedThere() throws Exception {
        transport(PoolOptions.defaults(), "pw");
        assertThat(transport.capabilities()).contains(Capability.LOOP_AFFINITY);
        EventLoop first = io.group().next();
        EventLoop second = io.group().next();
        assertThat(second).isNotSameAs(first);

        Channel onFirst = openOn(first);
        assertThat(onFirst.eventLoop()).isSameAs(first);
        Channel onSecond = openOn(second);
        assertThat(onSecond.eventLoop()).as("the only session is busy: a new one is dialled on the preferred loop")
                .isSameAs(second);
        onFirst.close().await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        onSecond.close().await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        awaitIdle(2);

        Channel againOnSecond = openOn(second);
        Channel againOnFirst = openOn(first);
        assertThat(againOnFirst.eventLoop()).isSameAs(first);
        assertThat(againOnSecond.eventLoop()).isSameAs(second);
        assertThat(againOnFirst.attr(TransportAttributes.SESSION_ID).get())
                .isEqualTo(onFirst.attr(TransportAttributes.SESSION_ID).get());
        assertThat(againOnSecond.attr(TransportAttributes.SESSION_ID).get())
                .isEqualTo(onSecond.attr(TransportAttributes.SESSION_ID).get());
        assertThat(transport.stats().sessionsOpened()).isEqualTo(2);
        againOnFirst.close();
        againOnSecond.close();
    }

    @Test
    void anIdleSessionOnAnotherLoopIsReusedAtOnceAndASessionIsDialledOnTheWantedLoopForNextTime() throws Exception {
        transport(PoolOptions.defaults(), "pw");
        EventLoop first = io.group().next();
        EventLoop second = io.group().next();
        assertThat(second).isNotSameAs(first);

        Channel onFirst = openOn(first);
        onFirst.close().await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        awaitIdle(1);
        Channel onSecond = openOn(second);

        assertThat(onSecond.eventLoop()).as("the session in hand, not a new handshake").isSameAs(first);
        assertThat(onSecond.attr(TransportAttributes.SESSION_ID).get())
                .isEqualTo(onFirst.attr(TransportAttributes.SESSION_ID).get());
        onSecond.close().await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        // Meanwhile a session was dialled on the second loop, so its next stream stays on its own thread.
        awaitIdle(2);
        Channel again = openOn(second);
        assertThat(again.eventLoop()).isSameAs(second);
        assertThat(transport.stats().sessionsOpened()).as("one session per loop that opens streams").isEqualTo(2);
        again.close();
    }

    @Test
    void aStreamRunsOnTheLoopOfAnotherGroupSuchAsAHosts() throws Exception {
        transport(PoolOptions.defaults(), "pw");
        EventLoopGroup hostGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            EventLoop hostLoop = hostGroup.next();
            CollectingHandler handler = new CollectingHandler(4);
            Future<Channel> open = transport.open(echoRequest(), handler, hostLoop);
            assertThat(open.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            Channel stream = open.getNow();
            assertThat(stream.eventLoop()).isSameAs(hostLoop);
            roundTrip(stream, handler, new byte[] {4, 3, 2, 1});
            stream.close().await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            transport.close();
            hostGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private Channel openOn(EventLoop loop) throws Exception {
        CollectingHandler handler = new CollectingHandler(1);
        Future<Channel> open = transport.open(echoRequest(), handler, loop);
        assertThat(open.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        Channel stream = open.getNow();
        roundTrip(stream, handler, new byte[] {9});
        return stream;
    }

    private void awaitIdle(int expected) throws InterruptedException {
        // The hand-back runs on the session's event loop right after the close: a bounded wait for that event.
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (transport.poolStats().idleSessions() != expected) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("pool never reached " + expected + " idle sessions: "
                        + transport.poolStats());
            }
            io.group().next().submit(() -> { }).await(1, TimeUnit.SECONDS);
        }
    }

}
