package org.anytls4j.management.model;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;

import org.anytls4j.transport.api.Capability;
import org.anytls4j.transport.api.Network;
import org.anytls4j.transport.api.OpenRequest;
import org.anytls4j.transport.api.SessionSnapshot;
import org.anytls4j.transport.api.TransportException;
import org.anytls4j.transport.api.TransportHealth;
import org.anytls4j.transport.api.TransportStats;
import org.anytls4j.transport.api.netty.NettyOutboundTransport;

/** A transport with fixed stats and scripted open outcomes (null: success). */
public final class FakeTransport implements NettyOutboundTransport {
    public static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    public final Deque<TransportException> outcomes = new ArrayDeque<>();
    public final List<OpenRequest> requests = new java.util.ArrayList<>();

    @Override
    public String name() {
        return "hk1";
    }

    @Override
    public String type() {
        return "anytls";
    }

    @Override
    public Set<Network> networks() {
        return Set.of(Network.TCP);
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.MULTIPLEXED, Capability.CONNECT_CONFIRMATION);
    }

    @Override
    public TransportStats stats() {
        return TransportStats.builder().since(T0).opensAttempted(12).opensSucceeded(10).opensFailed(2)
                .failures(TransportException.Reason.DESTINATION_REFUSED, 2).streamsActive(1).bytesOut(300)
                .bytesIn(4000).sessionsActive(1).sessionsIdle(2).sessionsOpened(3).build();
    }

    @Override
    public TransportHealth health() {
        return TransportHealth.builder(TransportHealth.State.UP, T0).build();
    }

    @Override
    public List<SessionSnapshot> sessions() {
        return List.of(SessionSnapshot.builder("hk1-s1", new InetSocketAddress("127.0.0.1", 8443), T0)
                .activeStreams(1).streamsServed(7).bytesOut(300).bytesIn(4000).peerVersion(2)
                .paddingSchemeMd5("75cff2ad89aadf5e257059ee571ebe11").build());
    }

    @Override
    public Future<Channel> open(OpenRequest request, ChannelHandler handler, EventLoop preferredLoop) {
        requests.add(request);
        TransportException failure = outcomes.poll();
        if (failure != null) {
            return ImmediateEventExecutor.INSTANCE.newFailedFuture(failure);
        }
        return ImmediateEventExecutor.INSTANCE.newSucceededFuture(new EmbeddedChannel(handler));
    }
}
