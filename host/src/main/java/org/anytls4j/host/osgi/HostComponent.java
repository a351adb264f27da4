package org.anytls4j.host.osgi;

import io.netty.channel.ChannelFuture;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.anytls4j.host.proxy.ProxyServer;
import org.anytls4j.transport.api.netty.NettyOutboundTransport;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
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
 * {@code outbound.target}, requests are refused with SOCKS5 0x01 / HTTP 503. Changing the host's own configuration,
 * {@code outbound.target} included, restarts the listener (there is no {@code @Modified}), which keeps the component
 * simple.
 *
 * <p>Activation cannot fail because the port is busy (a failed DS activation is not retried, toolchain pitfall 9):
 * binding runs in the background and is retried every {@value #BIND_RETRY_SECONDS} s until it succeeds or the
 * component is deactivated.
 */
@Component(name = HostConfiguration.PID, configurationPid = HostConfiguration.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
@Designate(ocd = HostConfiguration.class, factory = true)
public final class HostComponent {
    static final String DEFAULT_OUTBOUND_TARGET = "(transport.name=direct)";
    private static final long BIND_RETRY_SECONDS = 5;
    private static final System.Logger LOG = System.getLogger(HostComponent.class.getName());

    private final AtomicReference<NettyOutboundTransport> outbound = new AtomicReference<>();
    private final ProxyServer server;
    private volatile boolean active = true;
    private volatile ChannelFuture listening;

    /** @throws IllegalArgumentException naming the property, if the configuration is invalid */
    public HostComponent(HostConfiguration config) {
        this(config, Map.of());
    }

    /**
     * @param properties the raw configuration, only to log which properties changed since the last activation
     * @throws IllegalArgumentException naming the property, if the configuration is invalid
     */
    @Activate
    public HostComponent(HostConfiguration config, Map<String, Object> properties) {
        ConfigurationLog.record("proxy '" + config.name() + "'", properties);
        HostSettings settings = HostSettings.from(config);
        this.server = ProxyServer.builder(settings.name(), outbound::get)
                .bind(settings.listen())
                .users(settings.users())
                .openTimeout(settings.openTimeout())
                .handshakeTimeout(settings.handshakeTimeout())
                .ioThreads(settings.ioThreads())
                .build();
        startListening();
    }

    private void startListening() {
        listening = server.start();
        listening.addListener(bound -> {
            if (bound.isSuccess() || !active) {
                return;
            }
            LOG.log(System.Logger.Level.WARNING, () -> server + " cannot listen yet (" + bound.cause()
                    + "); retrying in " + BIND_RETRY_SECONDS + " s");
            GlobalEventExecutor.INSTANCE.schedule(() -> {
                if (active) {
                    startListening();
                }
            }, BIND_RETRY_SECONDS, TimeUnit.SECONDS);
        });
    }

    @Reference(name = "outbound", service = NettyOutboundTransport.class,
            cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, target = DEFAULT_OUTBOUND_TARGET)
    void bindOutbound(NettyOutboundTransport transport) {
        outbound.set(transport);
        LOG.log(System.Logger.Level.INFO, () -> "proxy '" + server.name() + "' now routes through transport '"
                + transport.name() + "'");
    }

    /** A GREEDY replacement binds the new transport before it unbinds the old: only clear what is still current. */
    void unbindOutbound(NettyOutboundTransport transport) {
        if (outbound.compareAndSet(transport, null)) {
            LOG.log(System.Logger.Level.INFO, () -> "proxy '" + server.name() + "' lost transport '"
                    + transport.name() + "'");
        }
    }

    /** The transport requests go through now; for tests and diagnostics. */
    NettyOutboundTransport outbound() {
        return outbound.get();
    }

    /** The latest attempt to bind the listener. */
    ChannelFuture listening() {
        return listening;
    }

    ProxyServer server() {
        return server;
    }

    @Deactivate
    void deactivate() {
        active = false;
        server.close();
    }
}
