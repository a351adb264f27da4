package org.anytls4j.transport.api.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.anytls4j.transport.api.Capability;
import org.anytls4j.transport.api.Destination;
import org.anytls4j.transport.api.Network;
import org.anytls4j.transport.api.OpenRequest;
import org.anytls4j.transport.api.TransportHealth;
import org.anytls4j.transport.api.TransportStats;
import org.junit.jupiter.api.Test;

class TransportAttributesTest {

    @Test
    void keysAreNamespacedAndDistinct() {
        List<AttributeKey<?>> keys = List.of(TransportAttributes.REQUEST, TransportAttributes.CHAIN,
                TransportAttributes.CONFIRMED, TransportAttributes.UPSTREAM, TransportAttributes.SESSION_ID);

        assertThat(keys).extracting(AttributeKey::name)
                .allSatisfy(name -> assertThat(name).startsWith(TransportAttributes.class.getName()))
                .doesNotHaveDuplicates();
    }

    @Test
    void attributesTravelWithTheChannel() {
        EmbeddedChannel channel = new EmbeddedChannel();
        OpenRequest request = OpenRequest.tcp(Destination.ofHost("example.com", 443)).build();

        channel.attr(TransportAttributes.REQUEST).set(request);
        channel.attr(TransportAttributes.CHAIN).set(List.of("auto-hk", "hk1"));
        channel.attr(TransportAttributes.CONFIRMED).set(Boolean.TRUE);

        assertThat(channel.attr(TransportAttributes.REQUEST).get()).isSameAs(request);
        assertThat(channel.attr(TransportAttributes.CHAIN).get()).containsExactly("auto-hk", "hk1");
        assertThat(channel.attr(TransportAttributes.CONFIRMED).get()).isTrue();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void openWithoutLoopPassesNoPreference() {
        List<EventLoop> seenLoops = new ArrayList<>();
        EmbeddedChannel channel = new EmbeddedChannel();
        NettyOutboundTransport transport = new RecordingTransport(seenLoops, channel);
        ChannelHandler handler = new ChannelInboundHandlerAdapter();

        Future<Channel> opened = transport.open(OpenRequest.tcp(Destination.ofHost("example.com", 443)).build(),
                handler);

        assertThat(opened.getNow()).isSameAs(channel);
        assertThat(seenLoops).hasSize(1).containsNull();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    /** Hands back a pre-made channel and records the loop each open asked for. */
    private static final class RecordingTransport implements NettyOutboundTransport {
        private final List<EventLoop> seenLoops;
        private final Channel channel;

        RecordingTransport(List<EventLoop> seenLoops, Channel channel) {
            this.seenLoops = seenLoops;
            this.channel = channel;
        }

        @Override
        public Future<Channel> open(OpenRequest request, ChannelHandler handler, EventLoop preferredLoop) {
            seenLoops.add(preferredLoop);
            return channel.eventLoop().newSucceededFuture(channel);
        }

        @Override
        public String name() {
            return "recording";
        }

        @Override
        public String type() {
            return "test";
        }

        @Override
        public Set<Network> networks() {
            return Set.of(Network.TCP);
        }

        @Override
        public Set<Capability> capabilities() {
            return Set.of();
        }

        @Override
        public TransportStats stats() {
            return TransportStats.EMPTY;
        }

        @Override
        public TransportHealth health() {
            return TransportHealth.unknown();
        }
    }
}
