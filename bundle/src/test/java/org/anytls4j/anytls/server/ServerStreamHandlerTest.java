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
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ServerStreamHandlerTest {
    private static final InetSocketAddress DESTINATION = InetSocketAddress.createUnresolved("example.com", 443);
    private EmbeddedChannel stream;

    @AfterEach
    void tearDown() {
        if (stream != null) {
            stream.finishAndReleaseAll();
        }
    }

    @Test
    void earlyDataWhileTheDestinationIsDialledIsHeldWithoutPausingTheSessionUpToItsBound() {
        stream = new EmbeddedChannel(new ServerStreamHandler(dialThatNeverCompletes(), Duration.ofSeconds(10),
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

    /** Outbound connections whose name resolution never ends: the stream stays in its dial. */
    private static Bootstrap dialThatNeverCompletes() {
        return new Bootstrap()
                .channelFactory(() -> new EmbeddedChannel(false, false))
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
                                // never completes
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
