package org.anytls4j.anytls.udp;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.Future;
import org.anytls4j.anytls.client.UdpOverTcpClientCodec;
import org.anytls4j.anytls.io.IoRuntime;
import org.anytls4j.anytls.server.AnyTlsServer;
import org.anytls4j.anytls.session.AnyTlsStream;
import org.anytls4j.anytls.session.ClientSessionConnector;
import org.anytls4j.anytls.session.ClientSessionHandler;
import org.anytls4j.anytls.session.ClientSessionListener;
import org.anytls4j.anytls.session.ClientSessionOptions;
import org.anytls4j.anytls.session.ServerUsers;
import org.anytls4j.anytls.testing.CollectingHandler;
import org.anytls4j.anytls.wire.AuthBlock;
import org.anytls4j.anytls.wire.UdpOverTcp;
import org.anytls4j.testkit.BoundedWait;
import org.anytls4j.testkit.TestCertificates;
import org.anytls4j.transport.api.Destination;
import org.anytls4j.transport.api.TransportException;
import org.anytls4j.transport.api.UdpMode;
import org.anytls4j.transport.api.netty.TransportAttributes;
import org.anytls4j.transport.api.netty.TransportDatagram;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server's UDP-over-TCP flows driven by a raw client session, which can send what the transport never does:
 * a request header that comes late (as the reference client sends it), split byte by byte, or malformed.
 */
class UdpServerStreamTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final Duration SYNACK_TIMEOUT = Duration.ofMillis(300);
    private static IoRuntime io;
    private static UdpEchoServer echo;
    private static AnyTlsServer server;
    private static ClientSessionConnector connector;
    private ClientSessionHandler session;

    @BeforeAll
    static void start() throws Exception {
        io = IoRuntime.create(IoRuntime.Kind.NIO, 2, "udp-raw");
        echo = new UdpEchoServer(io.group(), "127.0.0.1");
        SslContext serverTls = TestCertificates.serverContext();
        server = AnyTlsServer.builder("udp-raw-server", io, () -> serverTls, ServerUsers.single("alice", "secret"))
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .build();
        // The bound address from the bind itself: server.localAddress() is set by a listener that may run after
        // the bind future wakes this thread.
        int serverPort = ((InetSocketAddress) BoundedWait.sync(server.start()).channel().localAddress()).getPort();
        SslContext clientTls = TestCertificates.clientContext();
        connector = new ClientSessionConnector(
                new Bootstrap().channel(io.socketChannel()).resolver(io.resolver()),
                InetSocketAddress.createUnresolved("localhost", serverPort),
                Duration.ofSeconds(5),
                (alloc, host, port) -> clientTls.newHandler(alloc, host, port),
                AuthBlock.passwordHash("secret"),
                ClientSessionOptions.builder("udp-raw-client").synackTimeout(SYNACK_TIMEOUT).build());
    }

    @AfterAll
    static void stop() {
        server.close();
        echo.close();
        io.close();
    }

    @AfterEach
    void closeSession() {
        if (session != null) {
            BoundedWait.sync(session.channel().close());
        }
    }

    private ClientSessionHandler newSession() throws Exception {
        Future<ClientSessionHandler> connecting = connector.connect(io.group().next(), "raw",
                ClientSessionListener.NONE);
        assertThat(connecting.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        if (!connecting.isSuccess()) {
            throw new AssertionError("session failed", connecting.cause());
        }
        session = connecting.getNow();
        return session;
    }

    private static Future<AnyTlsStream> openUot(ClientSessionHandler on, ChannelHandler handler,
                                                       ByteBuf header, boolean reused) {
        return on.openStream(UdpOverTcp.V2_DESTINATION, handler, header, reused, TIMEOUT);
    }

    private static AnyTlsStream opened(Future<AnyTlsStream> open) throws Exception {
        assertThat(open.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).as("open completed").isTrue();
        if (!open.isSuccess()) {
            throw new AssertionError("open failed", open.cause());
        }
        return open.getNow();
    }

    private static ByteBuf header(boolean connect, InetSocketAddress destination) {
        ByteBuf header = Unpooled.buffer();
        UdpOverTcp.encodeRequest(header, connect, destination);
        return header;
    }

    /** A UoT flow as the transport makes it: the request header sent with the open, datagrams through the codec. */
    private static AnyTlsStream associationFlow(ClientSessionHandler on, DatagramCollector collector,
                                                       boolean reused) throws Exception {
        ChannelHandler pipeline = new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel flow) {
                flow.pipeline().addLast(new UdpOverTcpClientCodec(UdpMode.ASSOCIATION, anyPeer()), collector);
            }
        };
        return opened(openUot(on, pipeline, header(false, new InetSocketAddress("0.0.0.0", 0)), reused));
    }

    private static Destination anyPeer() {
        try {
            return Destination.ofAnyPort(InetAddress.getByName("0.0.0.0"), 0);
        } catch (java.net.UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static void assertEchoes(Channel flow, DatagramCollector collector, String text) throws Exception {
        Destination target = Destination.of(echo.address());
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        assertThat(flow.writeAndFlush(new TransportDatagram(Unpooled.wrappedBuffer(payload), target))
                .await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        DatagramCollector.Received reply = collector.next(TIMEOUT);
        assertThat(reply.peer()).isEqualTo(target);
        assertThat(reply.payload()).isEqualTo(payload);
    }

    @Test
    void aLateRequestHeaderOnAReusedSessionStillGetsItsSynackAtOnce() throws Exception {
        ClientSessionHandler on = newSession();
        DatagramCollector first = new DatagramCollector();
        associationFlow(on, first, false).close().await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);

        // Like the reference client: magic destination now, request header only with the first datagram.
        CollectingHandler raw = new CollectingHandler(2 + 4);
        AnyTlsStream quiet = opened(openUot(on, raw, null, true));
        assertThat(quiet.attr(TransportAttributes.CONFIRMED).get()).as("confirmed by SYNACK").isTrue();

        Future<?> pastTheWatchdog = quiet.eventLoop().schedule(() -> { },
                SYNACK_TIMEOUT.toMillis() + 300, TimeUnit.MILLISECONDS);
        assertThat(pastTheWatchdog.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(on.isOpen()).isTrue();
        assertThat(quiet.isActive()).isTrue();

        ByteBuf lazy = header(true, echo.address());
        lazy.writeBytes(ByteBufUtil.decodeHexDump("0004")).writeBytes("late".getBytes(StandardCharsets.US_ASCII));
        quiet.writeAndFlush(lazy);
        assertThat(raw.done().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                .isEqualTo(ByteBufUtil.decodeHexDump("00046c617465"));
        quiet.close();
    }

    @Test
    void aRequestHeaderSplitByteByByteIsReassembled() throws Exception {
        ClientSessionHandler on = newSession();
        CollectingHandler raw = new CollectingHandler(2 + 5);
        AnyTlsStream flow = opened(openUot(on, raw, null, false));
        ByteBuf bytes = header(true, echo.address());
        bytes.writeBytes(ByteBufUtil.decodeHexDump("0005")).writeBytes("split".getBytes(StandardCharsets.US_ASCII));
        try {
            while (bytes.isReadable()) {
                flow.writeAndFlush(bytes.readRetainedSlice(1));
            }
        } finally {
            bytes.release();
        }
        assertThat(raw.done().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                .isEqualTo(ByteBufUtil.decodeHexDump("00057370 6c6974".replace(" ", "")));
        flow.close();
    }

    @Test
    void aMalformedRequestHeaderClosesThatStreamOnly() throws Exception {
        ClientSessionHandler on = newSession();
        DatagramCollector healthy = new DatagramCollector();
        AnyTlsStream neighbour = associationFlow(on, healthy, false);
        assertEchoes(neighbour, healthy, "before");

        // isConnect=1, then address type 0x05, which SOCKS does not have.
        ByteBuf malformed = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("01057f0000010035"));
        Future<AnyTlsStream> open = openUot(on, new CollectingHandler(1), malformed, true);
        assertThat(open.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        if (open.isSuccess()) {
            // The UDP socket was bound (and confirmed) before the header was read: only a FIN can tell.
            assertThat(open.getNow().closeFuture().await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        } else {
            assertThat(open.cause()).isInstanceOf(TransportException.class)
                    .hasMessageContaining("unknown SOCKS address type 0x05");
        }

        assertThat(on.isOpen()).as("the session survives").isTrue();
        assertThat(neighbour.isActive()).as("the other flow survives").isTrue();
        assertEchoes(neighbour, healthy, "after");
        DatagramCollector later = new DatagramCollector();
        assertEchoes(associationFlow(on, later, true), later, "a new flow");
    }

    @Test
    void aMalformedPacketClosesThatFlowOnly() throws Exception {
        ClientSessionHandler on = newSession();
        DatagramCollector healthy = new DatagramCollector();
        AnyTlsStream neighbour = associationFlow(on, healthy, false);

        AnyTlsStream broken = opened(openUot(on, new CollectingHandler(1),
                header(false, new InetSocketAddress("0.0.0.0", 0)), true));
        // UoT address type 0x07 does not exist (0 IPv4, 1 IPv6, 2 domain).
        broken.writeAndFlush(Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("077f00000100350001ff")));
        assertThat(broken.closeFuture().await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).as("closed").isTrue();

        assertThat(on.isOpen()).isTrue();
        assertEchoes(neighbour, healthy, "unaffected");
    }
}
