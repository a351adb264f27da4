package org.anytls4j.anytls.client;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import org.anytls4j.anytls.config.ClientSettings;
import org.anytls4j.anytls.io.IoRuntime;
import org.anytls4j.transport.api.Capability;
import org.anytls4j.transport.api.Network;
import org.anytls4j.transport.api.OpenRequest;
import org.anytls4j.transport.api.SessionSnapshot;
import org.anytls4j.transport.api.TransportHealth;
import org.anytls4j.transport.api.TransportStats;
import org.anytls4j.transport.api.netty.NettyOutboundTransport;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The transport a client configuration publishes, surviving configuration changes: a change of pool options only
 * is applied to the live pool (no stream is touched); any other change (server, password, TLS, timeouts) builds a
 * new transport for new streams while the old one drains — its open streams finish, then it closes.
 */
public final class ReconfigurableClientTransport implements NettyOutboundTransport, AutoCloseable {
    /** What {@link #reconfigure} did. */
    public enum Change { UNCHANGED, POOL_UPDATED, REPLACED }

    private final IoRuntime io;
    private final Set<AnyTlsClientTransport> draining = ConcurrentHashMap.newKeySet();
    private volatile ClientSettings settings;
    private volatile AnyTlsClientTransport current;

    private ReconfigurableClientTransport(ClientSettings settings, IoRuntime io) {
        this.io = io;
        this.settings = settings;
        this.current = ClientTransportFactory.create(settings, io);
    }

    public static ReconfigurableClientTransport create(ClientSettings settings, IoRuntime io) {
        return new ReconfigurableClientTransport(settings, io);
    }

    public synchronized Change reconfigure(ClientSettings next) {
        if (next.equals(settings)) {
            return Change.UNCHANGED;
        }
        if (settings.isPoolOnlyChange(next)) {
            current.updatePoolOptions(ClientTransportFactory.poolOptions(next.pool()));
            settings = next;
            return Change.POOL_UPDATED;
        }
        AnyTlsClientTransport replacement = ClientTransportFactory.create(next, io);
        AnyTlsClientTransport old = current;
        current = replacement;
        settings = next;
        draining.add(old);
        old.drain().whenComplete((done, error) -> draining.remove(old));
        return Change.REPLACED;
    }

    public ClientSettings settings() {
        return settings;
    }

    /** The transport new streams go to. */
    public AnyTlsClientTransport current() {
        return current;
    }

    /** Transports replaced by a configuration change whose streams have not all ended yet. */
    public Set<AnyTlsClientTransport> draining() {
        return Set.copyOf(draining);
    }

    @Override
    public Future<Channel> open(OpenRequest request, ChannelHandler handler, EventLoop preferredLoop) {
        return current.open(request, handler, preferredLoop);
    }

    @Override
    public String name() {
        return current.name();
    }

    @Override
    public String type() {
        return current.type();
    }

    @Override
    public Set<Network> networks() {
        return current.networks();
    }

    @Override
    public Set<Capability> capabilities() {
        return current.capabilities();
    }

    @Override
    public TransportStats stats() {
        return current.stats();
    }

    @Override
    public TransportHealth health() {
        return current.health();
    }

    @Override
    public List<SessionSnapshot> sessions() {
        return current.sessions();
    }

    /** Closes the current transport and every draining one; their streams end now. */
    @Override
    public synchronized void close() {
        current.close();
        for (AnyTlsClientTransport old : draining) {
            old.close();
        }
    }

    @Override
    public String toString() {
        return "ReconfigurableClientTransport[" + current + ", draining " + draining.size() + "]";
    }
}
