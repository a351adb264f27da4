package org.anytls4j.group.core;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.anytls4j.transport.api.Capability;
import org.anytls4j.transport.api.Network;
import org.anytls4j.transport.api.OpenRequest;
import org.anytls4j.transport.api.TransportException;
import org.anytls4j.transport.api.TransportException.Phase;
import org.anytls4j.transport.api.TransportException.Reason;
import org.anytls4j.transport.api.TransportHealth;
import org.anytls4j.transport.api.TransportStats;
import org.anytls4j.transport.api.netty.NettyOutboundTransport;
import org.anytls4j.transport.api.netty.TransportAttributes;

/** A member whose opens succeed or fail as the test sets it, on the test's time; records what it was asked. */
final class FakeMember implements NettyOutboundTransport {
    private final String name;
    private final ManualTime time;
    private final EventLoop loop;
    private Set<Network> networks = EnumSet.of(Network.TCP, Network.UDP);
    private Set<Capability> capabilities = EnumSet.of(Capability.HALF_CLOSE, Capability.MULTIPLEXED);
    private Duration latency = Duration.ZERO;
    private TransportException failure;
    private Duration failAfter = Duration.ZERO;
    private boolean hang;
    final List<OpenRequest> opens = new ArrayList<>();
    final List<Future<Channel>> attempts = new ArrayList<>();
    final List<EmbeddedChannel> channels = new ArrayList<>();

    FakeMember(String name, ManualTime time, EventLoop loop) {
        this.name = name;
        this.time = time;
        this.loop = loop;
    }

    FakeMember up(Duration latency) {
        this.latency = latency;
        this.failure = null;
        this.hang = false;
        return this;
    }

    FakeMember up() {
        return up(Duration.ZERO);
    }

    FakeMember down(Reason reason, Phase phase) {
        return failsAfter(Duration.ZERO, reason, phase);
    }

    FakeMember failsAfter(Duration after, Reason reason, Phase phase) {
        this.failure = new TransportException(reason, phase, name, "scripted", null);
        this.failAfter = after;
        this.hang = false;
        return this;
    }

    FakeMember hangs() {
        this.hang = true;
        return this;
    }

    FakeMember capabilities(Set<Capability> capabilities) {
        this.capabilities = capabilities;
        return this;
    }

    FakeMember networks(Set<Network> networks) {
        this.networks = networks;
        return this;
    }

    /** Opens to {@code host}, the application's and the probes' alike. */
    long opensTo(String host) {
        return opens.stream().filter(r -> r.destination().host().equals(host)).count();
    }

    @Override
    public Future<Channel> open(OpenRequest request, ChannelHandler handler, EventLoop preferredLoop) {
        opens.add(request);
        Promise<Channel> promise = (preferredLoop != null ? preferredLoop : loop).newPromise();
        attempts.add(promise);
        if (hang) {
            return promise;
        }
        if (failure != null) {
            TransportException scripted = failure;
            run(failAfter, () -> promise.tryFailure(scripted));
            return promise;
        }
        run(latency, () -> {
            if (promise.isDone()) {
                return;
            }
            EmbeddedChannel channel = new EmbeddedChannel(false, false, handler);
            channel.attr(TransportAttributes.CHAIN).set(List.of(name));
            channels.add(channel);
            try {
                channel.register();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            if (!promise.trySuccess(channel)) {
                channel.close();
            }
        });
        return promise;
    }

    private void run(Duration after, Runnable action) {
        if (after.isZero()) {
            action.run();
        } else {
            time.schedule(action, after.toNanos());
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return "fake";
    }

    @Override
    public Set<Network> networks() {
        return networks;
    }

    @Override
    public Set<Capability> capabilities() {
        return capabilities;
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
