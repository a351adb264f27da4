package org.anytls4j.anytls.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import org.anytls4j.anytls.client.pool.PoolOptions;
import org.anytls4j.anytls.io.IoRuntime;
import org.anytls4j.anytls.server.AnyTlsServer;
import org.anytls4j.anytls.testing.CollectingHandler;
import org.anytls4j.anytls.tls.ClientTlsOptions;
import org.anytls4j.anytls.tls.TlsProvider;
import org.anytls4j.common.relay.RelayHandler;
import org.anytls4j.testkit.TcpEchoServer;
import org.anytls4j.transport.api.Destination;
import org.anytls4j.transport.api.OpenRequest;
import org.anytls4j.transport.api.TransportException;
import org.anytls4j.transport.api.TransportException.Phase;
import org.anytls4j.transport.api.TransportException.Reason;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The request's open timeout bounds the whole open: session acquisition with its dial (TCP, TLS handshake,
 * authentication) as well as the stream's SYNACK. A cold open against a server that accepts TCP and never answers
 * TLS fails with TIMEOUT after the open timeout, not after connect + handshake + open timeout.
 */
class ClientOpenTimeoutTest {
    private static final Duration OPEN_TIMEOUT = Duration.ofMillis(300);
    /** Scheduling slack on a loaded 2-core machine; the bug this guards against took the handshake timeout (30 s). */
    private static final Duration SLACK = Duration.ofSeconds(2);
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static LoopbackAnyTls loopback;
    private static IoRuntime io;
    private static TcpEchoServer echo;
    private static AnyTlsServer server;
    private AnyTlsClientTransport transport;
    private final List<Channel> toClose = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        loopback = LoopbackAnyTls.start("open-timeout-test");
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
        for (Channel channel : toClose) {
            assertThat(channel.close().await(WAIT.toMillis())).isTrue();
        }
    }

    @Test
    void aColdOpenToAServerThatNeverAnswersTlsTimesOutWithinTheOpenTimeout() throws Exception {
        Channel silent = listen(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ReferenceCountUtil.release(msg); // reads the ClientHello, says nothing
            }
        });
        transport = transport(((InetSocketAddress) silent.localAddress()).getPort());

        long started = System.nanoTime();
        Future<Channel> open = transport.open(request(), new CollectingHandler(1), null);
        assertThat(open.await(WAIT.toMillis())).isTrue();
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(open.cause()).isInstanceOf(TransportException.class);
        TransportException failure = (TransportException) open.cause();
        assertThat(failure.reason()).isEqualTo(Reason.TIMEOUT);
        assertThat(failure.phase()).isEqualTo(Phase.QUEUE);
        assertThat(failure.getMessage()).contains("within 300 ms");
        assertThat(took).isLessThan(OPEN_TIMEOUT.plus(SLACK));
        assertThat(transport.stats().failures(Reason.TIMEOUT)).isEqualTo(1);
        assertThat(transport.stats().pendingOpens()).isZero();
    }

    @Test
    void aSessionDialledTooLateForItsOpenServesTheNextOne() throws Exception {
        GatedRelay relay = new GatedRelay(server.localAddress());
        transport = transport(relay.port());

        Future<Channel> first = transport.open(request(), new CollectingHandler(1), null);
        assertThat(first.await(WAIT.toMillis())).isTrue();
        assertThat(((TransportException) first.cause()).reason()).isEqualTo(Reason.TIMEOUT);

        relay.openGate(); // the dial started for the first open now completes, after that open gave up
        awaitTrue(() -> transport.poolStats().idleSessions() == 1);
        assertThat(transport.poolStats().sessionsCreated()).isEqualTo(1);

        CollectingHandler handler = new CollectingHandler(2);
        Future<Channel> second = transport.open(request(), handler, null);
        assertThat(second.await(WAIT.toMillis())).isTrue();
        assertThat(second.isSuccess()).as("%s", second.cause()).isTrue();
        assertThat(transport.poolStats().leasesReused()).isEqualTo(1);
        assertThat(transport.poolStats().sessionsCreated()).isEqualTo(1);
        second.getNow().writeAndFlush(Unpooled.wrappedBuffer(new byte[] {1, 2}));
        assertThat(handler.done().get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).containsExactly(1, 2);
        assertThat(second.getNow().close().await(WAIT.toMillis())).isTrue();
    }

    private AnyTlsClientTransport transport(int port) {
        return AnyTlsClientTransport.builder("timeout-test", io)
                .server("localhost", port)
                .password("pw")
                // Session-level limits far above the open timeout: only the request's timeout can end the open.
                .tls(ClientTlsOptions.builder().insecure(true).provider(TlsProvider.JDK)
                        .handshakeTimeout(Duration.ofSeconds(30)).build())
                .connectTimeout(Duration.ofSeconds(30))
                .pool(PoolOptions.defaults())
                .openTimeout(Duration.ofSeconds(60))
                .build();
    }

    private static OpenRequest request() {
        return OpenRequest.tcp(Destination.of(echo.address())).openTimeout(OPEN_TIMEOUT).build();
    }

    private Channel listen(ChannelInboundHandlerAdapter handler) throws Exception {
        ChannelFuture bound = new ServerBootstrap().group(io.group()).channel(io.serverSocketChannel())
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel child) {
                        toClose.add(child);
                        child.pipeline().addLast(handler);
                    }
                })
                .childOption(ChannelOption.AUTO_READ, true)
                .bind(new InetSocketAddress("127.0.0.1", 0));
        assertThat(bound.await(WAIT.toMillis())).isTrue();
        toClose.add(bound.channel());
        return bound.channel();
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within %s", WAIT).isLessThan(deadline);
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    /** A TCP relay to the AnyTLS server that holds every connection (reads nothing) until its gate opens. */
    private final class GatedRelay {
        private final InetSocketAddress target;
        private final List<Channel> held = new CopyOnWriteArrayList<>();
        private final Channel listener;
        private volatile boolean open;

        GatedRelay(InetSocketAddress target) throws Exception {
            this.target = target;
            ChannelFuture bound = new ServerBootstrap().group(io.group()).channel(io.serverSocketChannel())
                    .childOption(ChannelOption.AUTO_READ, false)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel child) {
                            toClose.add(child);
                            held.add(child);
                            if (open) {
                                relay(child);
                            }
                        }
                    })
                    .bind(new InetSocketAddress("127.0.0.1", 0));
            assertThat(bound.await(WAIT.toMillis())).isTrue();
            listener = bound.channel();
            toClose.add(listener);
        }

        int port() {
            return ((InetSocketAddress) listener.localAddress()).getPort();
        }

        void openGate() {
            open = true;
            for (Channel child : held) {
                child.eventLoop().execute(() -> relay(child));
            }
        }

        private void relay(Channel inbound) {
            if (inbound.attr(RELAYED).setIfAbsent(Boolean.TRUE) != null) {
                return;
            }
            ChannelFuture connected = new Bootstrap().group(inbound.eventLoop()).channel(io.socketChannel())
                    .handler(new RelayHandler(inbound))
                    .connect(target);
            toClose.add(connected.channel());
            connected.addListener(done -> {
                if (!done.isSuccess()) {
                    inbound.close();
                    return;
                }
                inbound.pipeline().addLast(new RelayHandler(connected.channel()));
                inbound.config().setAutoRead(true);
            });
        }
    }

    private static final AttributeKey<Boolean> RELAYED = AttributeKey.valueOf("open-timeout-test.relayed");
}
