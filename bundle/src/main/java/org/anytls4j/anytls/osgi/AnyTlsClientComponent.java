package org.anytls4j.anytls.osgi;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.anytls4j.anytls.client.ReconfigurableClientTransport;
import org.anytls4j.anytls.config.ClientProperties;
import org.anytls4j.anytls.config.ClientSettings;
import org.anytls4j.anytls.config.InvalidConfigurationException;
import org.anytls4j.anytls.io.IoRuntime;
import org.anytls4j.anytls.io.SharedIoRuntime;
import org.anytls4j.transport.api.Capability;
import org.anytls4j.transport.api.Network;
import org.anytls4j.transport.api.OpenRequest;
import org.anytls4j.transport.api.OutboundTransport;
import org.anytls4j.transport.api.SessionSnapshot;
import org.anytls4j.transport.api.TransportConstants;
import org.anytls4j.transport.api.TransportException;
import org.anytls4j.transport.api.TransportHealth;
import org.anytls4j.transport.api.TransportStats;
import org.anytls4j.transport.api.netty.NettyOutboundTransport;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Publishes one AnyTLS client transport per factory configuration of {@value ClientProperties#FACTORY_PID}.
 *
 * <p>Thin by design: {@link ClientSettings} validates, {@link ReconfigurableClientTransport} does the work. An
 * invalid configuration fails activation with an error naming the property (the transport is not published); a
 * change of pool options only is applied live; any other change replaces the transport while the old one drains.
 * DS publishes every configuration property without a leading dot as a service property, which is why every
 * secret ({@code .password}, {@code .uri}) has one.
 */
@Component(
        name = ClientProperties.FACTORY_PID,
        configurationPid = ClientProperties.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {NettyOutboundTransport.class, OutboundTransport.class},
        property = {
            TransportConstants.TRANSPORT_TYPE + "=anytls",
            TransportConstants.TRANSPORT_NETWORKS + "=tcp",
            TransportConstants.TRANSPORT_NETWORKS + "=udp"
        })
public final class AnyTlsClientComponent implements NettyOutboundTransport {
    private static final System.Logger LOG = System.getLogger(AnyTlsClientComponent.class.getName());

    private IoRuntime io;
    private volatile ReconfigurableClientTransport transport;
    private volatile String lastName;

    @Activate
    void activate(Map<String, Object> properties) {
        ClientSettings settings = read(properties);
        io = SharedIoRuntime.acquire();
        try {
            transport = ReconfigurableClientTransport.create(settings, io);
        } catch (RuntimeException e) {
            SharedIoRuntime.release(io);
            io = null;
            LOG.log(System.Logger.Level.ERROR, "AnyTLS transport {0} not started: {1}", settings.name(),
                    e.getMessage());
            throw e;
        }
        lastName = settings.name();
        LOG.log(System.Logger.Level.INFO, "AnyTLS transport {0} started ({1}:{2})", settings.name(),
                settings.serverHost(), String.valueOf(settings.serverPort()));
    }

    @Modified
    void modified(Map<String, Object> properties) {
        ClientSettings settings = read(properties);
        ReconfigurableClientTransport.Change change = transport.reconfigure(settings);
        LOG.log(System.Logger.Level.INFO, "AnyTLS transport {0} reconfigured: {1}", settings.name(), change);
    }

    @Deactivate
    void deactivate() {
        if (transport != null) {
            transport.close();
            transport = null;
        }
        if (io != null) {
            SharedIoRuntime.release(io);
            io = null;
        }
    }

    private static ClientSettings read(Map<String, Object> properties) {
        try {
            return ClientSettings.from(properties);
        } catch (InvalidConfigurationException e) {
            // The message names the property and its value, with secrets masked.
            LOG.log(System.Logger.Level.ERROR, "invalid AnyTLS client configuration {0}: {1}",
                    properties.get("service.pid"), e.getMessage());
            throw e;
        }
    }

    /** The transport behind this component, for tests and diagnostics inside the bundle. */
    ReconfigurableClientTransport transport() {
        return transport;
    }

    @Override
    public Future<Channel> open(OpenRequest request, ChannelHandler handler, EventLoop preferredLoop) {
        ReconfigurableClientTransport current = transport;
        if (current == null) {
            // A host that kept the service object past deactivation gets the contract's answer, not an NPE.
            EventExecutor executor = preferredLoop != null ? preferredLoop : GlobalEventExecutor.INSTANCE;
            return executor.newFailedFuture(new TransportException(TransportException.Reason.SHUTDOWN,
                    TransportException.Phase.QUEUE, String.valueOf(lastName),
                    "the transport was deactivated (its configuration was deleted or changed)", null));
        }
        return current.open(request, handler, preferredLoop);
    }

    @Override
    public String name() {
        return transport.name();
    }

    @Override
    public String type() {
        return transport.type();
    }

    @Override
    public Set<Network> networks() {
        return transport.networks();
    }

    @Override
    public Set<Capability> capabilities() {
        return transport.capabilities();
    }

    @Override
    public TransportStats stats() {
        return transport.stats();
    }

    @Override
    public TransportHealth health() {
        return transport.health();
    }

    @Override
    public List<SessionSnapshot> sessions() {
        return transport.sessions();
    }
}
