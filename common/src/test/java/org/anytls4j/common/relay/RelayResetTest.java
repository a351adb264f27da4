package org.anytls4j.common.relay;

import org.anytls4j.testkit.BoundedWait;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The relay's rule for how a pair ends, seen from a real socket at the far end of the peer: a side that failed
 * resets the peer (the application reads "Connection reset"), a side that ended cleanly closes it (end of stream).
 */
class RelayResetTest {
    private static final int TIMEOUT_MILLIS = 10_000;
    private static MultiThreadIoEventLoopGroup group;
    private Channel listener;
    private CompletableFuture<SocketChannel> accepted;
    private Socket application;
    private Channel socketSide;

    @BeforeAll
    static void startGroup() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stopGroup() {
        BoundedWait.sync(group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS));
    }

    @BeforeEach
    void connect() throws Exception {
        accepted = new CompletableFuture<>();
        listener = BoundedWait.sync(new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(new ChannelInboundHandlerAdapter());
                        accepted.complete(channel);
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))).channel();
        application = new Socket();
        application.setSoTimeout(TIMEOUT_MILLIS);
        application.connect(listener.localAddress(), TIMEOUT_MILLIS);
        socketSide = accepted.get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    }

    @AfterEach
    void close() throws Exception {
        application.close();
        BoundedWait.sync(socketSide.close());
        BoundedWait.sync(listener.close());
    }

    @Test
    void aSideThatFailsResetsTheSocketPeer() throws Exception {
        // The side that fails stands for a transport stream whose session was lost mid-transfer.
        EmbeddedChannel stream = relayTo(socketSide);
        stream.writeInbound(Unpooled.copiedBuffer("partial", StandardCharsets.US_ASCII));
        InputStream in = application.getInputStream();
        assertThat(new String(in.readNBytes(7), StandardCharsets.US_ASCII)).isEqualTo("partial");

        stream.pipeline().fireExceptionCaught(new IOException("the session to the server was lost"));

        assertThat(stream.isOpen()).isFalse();
        assertThatThrownBy(() -> readToEnd(in)).isInstanceOf(SocketException.class)
                .hasMessageContaining("Connection reset");
    }

    @Test
    void aSideThatEndsCleanlyClosesTheSocketPeerWithAFin() throws Exception {
        EmbeddedChannel stream = relayTo(socketSide);
        stream.writeInbound(Unpooled.copiedBuffer("complete", StandardCharsets.US_ASCII));

        stream.close();

        assertThat(new String(readToEnd(application.getInputStream()), StandardCharsets.US_ASCII))
                .isEqualTo("complete");
    }

    @Test
    void aResetOfAChannelWithoutSoLingerIsAPlainClose() {
        EmbeddedChannel withoutLinger = new EmbeddedChannel();
        RelayHandler.reset(withoutLinger);
        assertThat(withoutLinger.isOpen()).isFalse();
    }

    private static EmbeddedChannel relayTo(Channel socket) {
        return new EmbeddedChannel(new RelayHandler(socket));
    }

    /** Everything up to end of stream; throws what the socket throws (a reset, or the read timeout). */
    private static byte[] readToEnd(InputStream in) throws IOException {
        return in.readAllBytes();
    }
}
