package org.anytls4j.host.testing;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.anytls4j.transport.api.Capability;
import org.anytls4j.transport.api.Network;
import org.anytls4j.transport.api.OpenRequest;
import org.anytls4j.transport.api.TransportHealth;
import org.anytls4j.transport.api.TransportStats;
import org.anytls4j.transport.api.netty.NettyOutboundTransport;

/** Delegates to a real transport and hands the test every channel it opened. */
public final class RecordingTransport implements NettyOutboundTransport {
    private final NettyOutboundTransport delegate;
    private final BlockingQueue<Channel> opened = new LinkedBlockingQueue<>();

    public RecordingTransport(NettyOutboundTransport delegate) {
        this.delegate = delegate;
    }

    /** The next channel an open produced, waiting at most ten seconds. */
    public Channel nextOpened() throws InterruptedException {
        Channel channel = opened.poll(10, TimeUnit.SECONDS);
        if (channel == null) {
            throw new AssertionError("no open succeeded within 10 s");
        }
        return channel;
    }

    @Override
    public Future<Channel> open(OpenRequest request, ChannelHandler handler, EventLoop preferredLoop) {
        Future<Channel> result = delegate.open(request, handler, preferredLoop);
        result.addListener(done -> {
            if (done.isSuccess()) {
                opened.add(result.getNow());
            }
        });
        return result;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public String type() {
        return delegate.type();
    }

    @Override
    public Set<Network> networks() {
        return delegate.networks();
    }

    @Override
    public Set<Capability> capabilities() {
        return delegate.capabilities();
    }

    @Override
    public TransportStats stats() {
        return delegate.stats();
    }

    @Override
    public TransportHealth health() {
        return delegate.health();
    }
}
