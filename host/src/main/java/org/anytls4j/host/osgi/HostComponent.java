package org.anytls4j.host.osgi;

import org.anytls4j.common.config.UnknownProperties;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.anytls4j.host.proxy.ProxyServer;
import org.anytls4j.transport.api.netty.NettyOutboundTransport;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;

/**
 * One reference-host listener per factory configuration of {@value HostConfiguration#PID}.
 *
 * <p>The {@code outbound} reference is DYNAMIC, GREEDY and OPTIONAL, so the listener never restarts because of a
 * transport: a transport that is unregistered and registered again (its configuration deleted and recreated), replaced by
 * a better-ranked match, or deployed after the host is picked up by the next request; while none matches
 * {@code outbound.target}, requests are refused with SOCKS5 0x01 / HTTP 503.
 *
 * <p>A changed configuration ({@link Modified}) is validated completely first: a rejected change is logged as one
 * ERROR line naming the property and leaves the running listener as it was. A change of users or time limits
 * applies to new connections on the running listener. A change of the listen address binds the new address before
 * the old listener stops accepting (if the bind fails the old one stays); a change of the name or of
 * {@code ioThreads} on the same address replaces the listener in place. Either way the connections already open
 * are not cut: they run to their end on the listener they came in on. Deactivation (the host shutting down) resets
 * every open connection.
 *
 * <p>Activation never fails (a failed DS activation is not retried, toolchain pitfall 9): an invalid first
 * configuration is logged and waits for a corrected one, and binding runs in the background and is retried every
 * {@value #BIND_RETRY_SECONDS} s until it succeeds or the component is deactivated.
 */
@Component(name = HostConfiguration.PID, configurationPid = HostConfiguration.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
@Designate(ocd = HostConfiguration.class, factory = true)
public final class HostComponent {
    static final String DEFAULT_OUTBOUND_TARGET = "(transport.name=direct)";
    private static final long BIND_RETRY_SECONDS = 5;
    private static final System.Logger LOG = System.getLogger(HostComponent.class.getName());
    private static final java.util.Set<String> KNOWN_PROPERTIES =
            UnknownProperties.namesOf(HostConfiguration.class);

    private final AtomicReference<NettyOutboundTransport> outbound = new AtomicReference<>();
    private final Object lock = new Object();
    private volatile boolean active = true;
    /** Null while no valid configuration has been seen. Guarded by lock for writes. */
    private volatile ProxyServer server;
    private volatile HostSettings settings;
    private volatile ChannelFuture listening;
    /** Listeners replaced by a change whose connections are still open; reset at deactivation. */
    private final Set<ProxyServer> retired = ConcurrentHashMap.newKeySet();

    /** For tests: a configuration without the raw properties. */
    HostComponent(HostConfiguration config) {
        this(config, Map.of());
    }

    @Activate
    public HostComponent(HostConfiguration config, Map<String, Object> properties) {
        apply(config, properties);
    }

    @Modified
    void modified(HostConfiguration config, Map<String, Object> properties) {
        apply(config, properties);
    }

    private void apply(HostConfiguration config, Map<String, Object> properties) {
        UnknownProperties.warn(properties.get("service.pid"), properties, KNOWN_PROPERTIES);
        ConfigurationLog.record("proxy '" + config.name() + "'", properties);
        HostSettings next;
        try {
            next = HostSettings.from(config);
        } catch (IllegalArgumentException rejected) {
            // The message names the property and its value (never a password): one line, no stack trace.
            LOG.log(System.Logger.Level.ERROR, "host configuration {0} rejected, {1}: {2}",
                    properties.getOrDefault("service.pid", config.name()), server == null
                            ? "no listener started" : "the listener keeps its previous configuration",
                    rejected.getMessage());
            return;
        }
        synchronized (lock) {
            if (!active) {
                return;
            }
            ProxyServer previous = server;
            HostSettings current = settings;
            if (previous != null && current != null && next.sameListener(current)) {
                // Only users or time limits changed: the listener and every open connection stay as they are.
                previous.reconfigure(next.users(), next.openTimeout(), next.handshakeTimeout());
                settings = next;
                LOG.log(System.Logger.Level.INFO, () -> "proxy '" + next.name() + "' reconfigured on its running "
                        + "listener " + previous.localAddress() + "; open connections keep their settings");
                return;
            }
            ProxyServer replacement = newServer(next);
            if (previous == null || previous.localAddress() == null || next.listen().equals(current.listen())) {
                // Same address (or not listening yet): the address must be free for the replacement. Open
                // connections are not cut: they finish on the retired listener's event loops.
                if (previous != null) {
                    retire(previous);
                }
                server = replacement;
                settings = next;
                startListening(replacement);
                return;
            }
            moveTo(previous, replacement, next);
        }
    }

    /** The listener stops accepting; its open connections run to their end, or are reset at deactivation. */
    private void retire(ProxyServer previous) {
        retired.add(previous);
        previous.retire().addListener(drained -> retired.remove(previous));
        if (!active) {
            previous.close(); // deactivated meanwhile, and deactivate may not have seen it in the set
        }
    }

    private ProxyServer newServer(HostSettings next) {
        return ProxyServer.builder(next.name(), outbound::get)
                .bind(next.listen())
                .users(next.users())
                .openTimeout(next.openTimeout())
                .handshakeTimeout(next.handshakeTimeout())
                .ioThreads(next.ioThreads())
                .earlyData(next.earlyData())
                .build();
    }

    /** Holds lock. Binds the replacement first; only once it listens does the previous listener close. */
    private void moveTo(ProxyServer previous, ProxyServer replacement, HostSettings next) {
        ChannelFuture attempt = replacement.start();
        // Completes once the replacement is the current listener (or the move failed).
        ChannelPromise moved = attempt.channel().newPromise();
        listening = moved;
        attempt.addListener(bound -> {
            if (bound.isSuccess()) {
                synchronized (lock) {
                    server = replacement;
                    settings = next;
                    GlobalEventExecutor.INSTANCE.execute(() -> retire(previous));
                }
                moved.setSuccess();
                return;
            }
            LOG.log(System.Logger.Level.ERROR, () -> "host " + next.name() + " cannot listen on " + next.listen()
                    + " (" + bound.cause() + "); keeps listening on " + previous.localAddress());
            GlobalEventExecutor.INSTANCE.execute(replacement::close);
            moved.setFailure(bound.cause());
        });
    }

    private void startListening(ProxyServer target) {
        ChannelFuture attempt = target.start();
        listening = attempt;
        attempt.addListener(bound -> {
            if (bound.isSuccess() || !active || server != target) {
                return;
            }
            LOG.log(System.Logger.Level.WARNING, () -> target + " cannot listen yet (" + bound.cause()
                    + "); retrying in " + BIND_RETRY_SECONDS + " s");
            GlobalEventExecutor.INSTANCE.schedule(() -> {
                if (active && server == target) {
                    startListening(target);
                }
            }, BIND_RETRY_SECONDS, TimeUnit.SECONDS);
        });
    }

    @Reference(name = "outbound", service = NettyOutboundTransport.class,
            cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, target = DEFAULT_OUTBOUND_TARGET)
    void bindOutbound(NettyOutboundTransport transport) {
        outbound.set(transport);
        LOG.log(System.Logger.Level.INFO, () -> "proxy '" + proxyName() + "' now routes through transport '"
                + transport.name() + "'");
    }

    /** A GREEDY replacement binds the new transport before it unbinds the old: only clear what is still current. */
    void unbindOutbound(NettyOutboundTransport transport) {
        if (outbound.compareAndSet(transport, null)) {
            LOG.log(System.Logger.Level.INFO, () -> "proxy '" + proxyName() + "' lost transport '"
                    + transport.name() + "'");
        }
    }

    private String proxyName() {
        HostSettings current = settings;
        return current == null ? "<not configured>" : current.name();
    }

    /** The transport requests go through now; for tests and diagnostics. */
    NettyOutboundTransport outbound() {
        return outbound.get();
    }

    /** The latest attempt to bind a listener. */
    ChannelFuture listening() {
        return listening;
    }

    /** The running listener, or null while no valid configuration has been seen. */
    ProxyServer server() {
        return server;
    }

    @Deactivate
    void deactivate() {
        ProxyServer current;
        synchronized (lock) {
            active = false;
            current = server;
            server = null;
        }
        if (current != null) {
            current.close();
        }
        for (ProxyServer previous : retired.toArray(new ProxyServer[0])) {
            previous.close();
        }
    }
}
