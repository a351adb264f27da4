package org.anytls4j.anytls.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.resolver.AbstractAddressResolver;
import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Promise;
import org.anytls4j.anytls.wire.SocksAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ServerStreamHandlerTest {
    private static final InetSocketAddress DESTINATION = InetSocketAddress.createUnresolved("example.com", 443);
    private EmbeddedChannel stream;
    private EmbeddedChannel upstream;
    private Promise<InetSocketAddress> resolution;

    @AfterEach
    void tearDown() {
        if (stream != null) {
            stream.finishAndReleaseAll();
        }
        if (resolution != null && !resolution.isDone()) {
            // A dial still running ends, as a real one does at its connect timeout, and releases what it held.
            resolution.setFailure(new UnknownHostException("the test is over"));
            if (stream != null) {
                stream.runPendingTasks();
            }
        }
        if (upstream != null) {
            upstream.finishAndReleaseAll();
        }
    }

    @Test
    void earlyDataWhileTheDestinationIsDialledIsHeldWithoutPausingTheSessionUpToItsBound() {
        stream = new EmbeddedChannel(new ServerStreamHandler(dialWaitingForTheTest(), Duration.ofSeconds(10),
                new ServerStats(), null));
        ByteBuf address = Unpooled.buffer();
        SocksAddress.encode(address, DESTINATION);

        stream.writeInbound(address, Unpooled.wrappedBuffer(new byte[ServerStreamHandler.MAX_HELD_WHILE_CONNECTING - 1]));
        assertThat(stream.config().isAutoRead()).as("a first flight below the bound keeps the session reading")
                .isTrue();

        stream.writeInbound(Unpooled.wrappedBuffer(new byte[1]));
        assertThat(stream.config().isAutoRead()).as("the bound reached: the stream waits for its dial").isFalse();
        assertThat(stream.isOpen()).isTrue();
    }

    @Test
    void whatAStreamSentBeforeItClosedDuringTheDialStillReachesTheDestination() {
        stream = new EmbeddedChannel(new ServerStreamHandler(dialWaitingForTheTest(), Duration.ofSeconds(10),
                new ServerStats(), null));
        ByteBuf address = Unpooled.buffer();
        SocksAddress.encode(address, DESTINATION);
        stream.writeInbound(address, Unpooled.wrappedBuffer(new byte[] {1, 2, 3}));
        stream.close(); // the client's FIN, before the dial ended

        resolution.setSuccess(new InetSocketAddress("127.0.0.1", 443));
        stream.runPendingTasks();
        upstream.runPendingTasks();

        ByteBuf delivered = upstream.readOutbound();
        assertThat(delivered).isNotNull();
        byte[] bytes = new byte[delivered.readableBytes()];
        delivered.readBytes(bytes).release();
        assertThat(bytes).containsExactly(1, 2, 3);
        assertThat(upstream.isOpen()).as("closed after the delivery").isFalse();
    }

    @Test
    void aSuccessfulDialResumesReadingAndPassesTheHeldBytesOn() {
        stream = new EmbeddedChannel(new ServerStreamHandler(dialWaitingForTheTest(), Duration.ofSeconds(10),
                new ServerStats(), null));
        ByteBuf address = Unpooled.buffer();
        SocksAddress.encode(address, DESTINATION);
        stream.writeInbound(address, Unpooled.wrappedBuffer(new byte[ServerStreamHandler.MAX_HELD_WHILE_CONNECTING]));
        assertThat(stream.config().isAutoRead()).isFalse();

        resolution.setSuccess(new InetSocketAddress("127.0.0.1", 443));
        stream.runPendingTasks();
        upstream.runPendingTasks();

        assertThat(stream.config().isAutoRead()).isTrue();
        ByteBuf delivered = upstream.readOutbound();
        assertThat(delivered.readableBytes()).isEqualTo(ServerStreamHandler.MAX_HELD_WHILE_CONNECTING);
        delivered.release();
    }

    /** Outbound whose name resolution ends when the test completes {@link #resolution}. */
    private Bootstrap dialWaitingForTheTest() {
        return new Bootstrap()
                .channelFactory(() -> {
                    upstream = new EmbeddedChannel(false, false);
                    return upstream;
                })
                .resolver(new AddressResolverGroup<InetSocketAddress>() {
                    @Override
                    public AddressResolver<InetSocketAddress> getResolver(EventExecutor executor) {
                        return newResolver(executor); // the group's cache needs a loop that can terminate
                    }

                    @Override
                    protected AddressResolver<InetSocketAddress> newResolver(EventExecutor executor) {
                        return new AbstractAddressResolver<InetSocketAddress>(executor) {
                            @Override
                            protected boolean doIsResolved(InetSocketAddress address) {
                                return !address.isUnresolved();
                            }

                            @Override
                            protected void doResolve(InetSocketAddress unresolved, Promise<InetSocketAddress> promise) {
                                resolution = promise;
                            }

                            @Override
                            protected void doResolveAll(InetSocketAddress unresolved,
                                                        Promise<List<InetSocketAddress>> promise) {
                                // never completes
                            }
                        };
                    }
                });
    }
}
