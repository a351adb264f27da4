package org.anytls4j.anytls.client;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import org.anytls4j.anytls.client.pool.PoolStats;
import org.anytls4j.anytls.config.ClientSettings;
import org.anytls4j.anytls.io.IoRuntime;
import org.anytls4j.anytls.padding.PaddingScheme;
import org.anytls4j.transport.api.Capability;
import org.anytls4j.transport.api.Network;
import org.anytls4j.transport.api.OpenRequest;
import org.anytls4j.transport.api.SessionSnapshot;
import org.anytls4j.transport.api.TransportException;
import org.anytls4j.transport.api.TransportHealth;
import org.anytls4j.transport.api.TransportStats;
import org.anytls4j.transport.api.netty.NettyOutboundTransport;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The AnyTLS transport service of one client configuration, the one layer between the DS component and the engine:
 * it survives configuration changes. A change of pool options only is applied to the live pool (no stream is
 * touched); any other change (server, password, TLS, timeouts) builds a new {@link AnyTlsClientTransport} for new
 * streams while the old one drains: its open streams finish, then it closes.
 *
 * <p>What a host sees does not reset with a replacement: the replacement counts into the same counters (opens,
 * bytes, health), streams still draining on the old transport stay in {@code streamsActive} until they end, and
 * sessions and session counters are those of every transport, current, draining and retired.
 *
 * <p>The padding scheme the server pushed carries over to the replacement, so its first sessions look like the
 * ones before. Except when the server address or the password changed: another server (or another account on it)
 * may push another scheme, and until it does the replacement pads with the default, as any fresh client would.
 */
public final class ReconfigurableClientTransport implements NettyOutboundTransport, AutoCloseable {
    /** What {@link #reconfigure} did. */
    public enum Change { UNCHANGED, POOL_UPDATED, REPLACED }

    private final IoRuntime io;
    private final ClientCounters counters;
    private final Set<AnyTlsClientTransport> draining = ConcurrentHashMap.newKeySet();
    private final List<PoolStats> retired = new CopyOnWriteArrayList<>();
    private volatile ClientSettings settings;
    private volatile AnyTlsClientTransport current;
    private volatile boolean closed;

    private ReconfigurableClientTransport(ClientSettings settings, IoRuntime io) {
        this.io = io;
        this.settings = settings;
        this.counters = new ClientCounters(Clock.systemUTC());
        this.current = ClientTransportFactory.create(settings, io, counters, PaddingScheme.DEFAULT);
    }

    /** @throws IllegalArgumentException when the settings cannot be used (a trusted certificate that does not load) */
    public static ReconfigurableClientTransport create(ClientSettings settings, IoRuntime io) {
        return new ReconfigurableClientTransport(settings, io);
    }

    /** @throws IllegalArgumentException like {@link #create}; the transport then keeps its configuration */
    public synchronized Change reconfigure(ClientSettings next) {
        if (next.equals(settings)) {
            return Change.UNCHANGED;
        }
        if (settings.isPoolOnlyChange(next)) {
            current.updatePoolOptions(next.pool());
            settings = next;
            return Change.POOL_UPDATED;
        }
        boolean samePeer = settings.server().equals(next.server()) && settings.password().equals(next.password());
        PaddingScheme scheme = samePeer ? current.paddingScheme() : PaddingScheme.DEFAULT;
        AnyTlsClientTransport replacement = ClientTransportFactory.create(next, io, counters, scheme);
        AnyTlsClientTransport old = current;
        current = replacement;
        settings = next;
        draining.add(old);
        old.drain().whenComplete((done, error) -> {
            synchronized (retired) { // so that stats() never counts it twice, nor not at all
                retired.add(old.poolStats());
                draining.remove(old);
            }
        });
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
        if (closed) {
            // Not from the closed transport: its event loops may be gone with the shared I/O runtime, and a future
            // failed on a terminated loop never notifies its listeners.
            return OpenFailures.onRunningExecutor(preferredLoop, new TransportException(
                    TransportException.Reason.SHUTDOWN, TransportException.Phase.QUEUE, name(),
                    "the transport was deactivated (its configuration was deleted or its bundle stopped)", null));
        }
        return current.open(request, handler, preferredLoop);
    }

    @Override
    public String name() {
        return settings.name();
    }

    @Override
    public String type() {
        return AnyTlsClientTransport.TYPE;
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
        List<PoolStats> pools;
        synchronized (retired) {
            pools = new ArrayList<>(retired);
            for (AnyTlsClientTransport old : draining) {
                pools.add(old.poolStats());
            }
        }
        pools.add(current.poolStats());
        return counters.stats(pools);
    }

    @Override
    public TransportHealth health() {
        return counters.opens.health();
    }

    @Override
    public List<SessionSnapshot> sessions() {
        List<SessionSnapshot> sessions = new ArrayList<>(current.sessions());
        for (AnyTlsClientTransport old : draining) {
            sessions.addAll(old.sessions());
        }
        return sessions;
    }

    /** Closes the current transport and every draining one; their streams end now. Kept readable: final stats. */
    @Override
    public synchronized void close() {
        closed = true;
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
