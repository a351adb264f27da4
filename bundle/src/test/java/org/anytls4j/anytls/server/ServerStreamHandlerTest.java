package org.anytls4j.anytls.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.Promise;
import org.anytls4j.anytls.wire.SocksAddress;
import org.anytls4j.testkit.ScriptedResolvers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** A server stream while its destination is dialled: the lookup waits until the test completes {@link #lookup}. */
class ServerStreamHandlerTest {
    private static final InetSocketAddress DESTINATION = InetSocketAddress.createUnresolved("example.com", 443);
    private EmbeddedChannel stream;
    private EmbeddedChannel upstream;
    private Promise<InetAddress> lookup;

    @AfterEach
    void tearDown() {
        if (stream != null) {
            stream.finishAndReleaseAll();
        }
        if (lookup != null && !lookup.isDone()) {
            // A dial still running ends, as a real one does at its connect timeout, and releases what it held.
            lookup.setFailure(new UnknownHostException("the test is over"));
            stream.runPendingTasks();
        }
        if (upstream != null) {
            upstream.finishAndReleaseAll();
        }
    }

    @Test
    void earlyDataWhileTheDestinationIsDialledIsHeldWithoutPausingTheSessionUpToItsBound() {
        dialWith(new byte[ServerStreamHandler.MAX_HELD_WHILE_CONNECTING - 1]);
        assertThat(stream.config().isAutoRead()).as("a first flight below the bound keeps the session reading")
                .isTrue();

        stream.writeInbound(Unpooled.wrappedBuffer(new byte[1]));
        assertThat(stream.config().isAutoRead()).as("the bound reached: the stream waits for its dial").isFalse();
        assertThat(stream.isOpen()).isTrue();
    }

    @Test
    void whatAStreamSentBeforeItClosedDuringTheDialStillReachesTheDestination() {
        dialWith(new byte[] {1, 2, 3});
        stream.close(); // the client's FIN, before the dial ended

        connect();

        ByteBuf delivered = upstream.readOutbound();
        assertThat(delivered).isNotNull();
        byte[] bytes = new byte[delivered.readableBytes()];
        delivered.readBytes(bytes).release();
        assertThat(bytes).containsExactly(1, 2, 3);
        assertThat(upstream.isOpen()).as("closed after the delivery").isFalse();
    }

    @Test
    void aSuccessfulDialResumesReadingAndPassesTheHeldBytesOn() {
        dialWith(new byte[ServerStreamHandler.MAX_HELD_WHILE_CONNECTING]);
        assertThat(stream.config().isAutoRead()).isFalse();

        connect();

        assertThat(stream.config().isAutoRead()).isTrue();
        ByteBuf delivered = upstream.readOutbound();
        assertThat(delivered.readableBytes()).isEqualTo(ServerStreamHandler.MAX_HELD_WHILE_CONNECTING);
        delivered.release();
    }

    /** A stream whose first payload is {@link #DESTINATION} followed by {@code earlyData}: its dial starts. */
    private void dialWith(byte[] earlyData) {
        Bootstrap outbound = new Bootstrap()
                .channelFactory(() -> {
                    upstream = new EmbeddedChannel(false, false);
                    return upstream;
                })
                .resolver(new ScriptedResolvers(address -> lookup = address));
        stream = new EmbeddedChannel(new ServerStreamHandler(outbound, Duration.ofSeconds(10), new ServerStats(),
                null));
        ByteBuf address = Unpooled.buffer();
        SocksAddress.encode(address, DESTINATION);
        stream.writeInbound(address, Unpooled.wrappedBuffer(earlyData));
    }

    /** The lookup answers; the embedded upstream connects at once. */
    private void connect() {
        lookup.setSuccess(InetAddress.getLoopbackAddress());
        stream.runPendingTasks();
        upstream.runPendingTasks();
    }
}
