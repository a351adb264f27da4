package org.anytls4j.host.testing;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.util.EnumSet;
import java.util.Set;
import org.anytls4j.transport.api.Capability;
import org.anytls4j.transport.api.Network;
import org.anytls4j.transport.api.OpenRequest;
import org.anytls4j.transport.api.TransportException;
import org.anytls4j.transport.api.TransportHealth;
import org.anytls4j.transport.api.TransportStats;
import org.anytls4j.transport.api.netty.NettyOutboundTransport;

/** A transport whose every open fails with one reason, as a real one would report it. */
public final class FailingTransport implements NettyOutboundTransport {
    private final TransportException.Reason reason;

    public FailingTransport(TransportException.Reason reason) {
        this.reason = reason;
    }

    @Override
    public Future<Channel> open(OpenRequest request, ChannelHandler handler, EventLoop preferredLoop) {
        TransportException failure = new TransportException(reason, TransportException.Phase.REMOTE_CONNECT,
                name(), "scripted failure for " + request.destination(), null);
        return (preferredLoop != null ? preferredLoop : GlobalEventExecutor.INSTANCE).newFailedFuture(failure);
    }

    @Override
    public String name() {
        return "failing-" + reason;
    }

    @Override
    public String type() {
        return "test";
    }

    @Override
    public Set<Network> networks() {
        return EnumSet.allOf(Network.class);
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.noneOf(Capability.class);
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
