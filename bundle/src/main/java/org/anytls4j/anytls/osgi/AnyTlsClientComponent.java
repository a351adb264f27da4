package org.anytls4j.anytls.osgi;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.anytls4j.anytls.client.AnyTlsClientTransport;
import org.anytls4j.anytls.client.ReconfigurableClientTransport;
import org.anytls4j.anytls.config.ClientProperties;
import org.anytls4j.anytls.config.ClientSettings;
import org.anytls4j.anytls.config.UnknownProperties;
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
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
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
 * <p>Thin by design: {@link ClientSettings} validates, {@link ReconfigurableClientTransport} does the work. A change
 * of pool options only is applied live; any other change replaces the transport while the old one drains.
 *
 * <p>Why the component registers its service itself instead of letting DS do it: with a DS-declared (delayed)
 * service, an invalid configuration is published as a transport that is not there (activation fails only when a
 * host first asks for it, and a host tracking it can miss the corrected one), and a component whose activation
 * failed is not activated again when its configuration is corrected (toolchain pitfall 9). So activation never
 * fails: an invalid configuration is rejected with an ERROR naming the property and publishes nothing; an invalid
 * change of a running transport is rejected the same way and the transport keeps its last valid configuration (no
 * stream is lost to a typo). The service appears once a valid configuration is applied and keeps its registration
 * (and service id) across every later change.
 */
@Component(
        name = ClientProperties.FACTORY_PID,
        configurationPid = ClientProperties.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {},
        immediate = true,
        property = {
            TransportConstants.TRANSPORT_TYPE + "=" + AnyTlsClientTransport.TYPE,
            TransportConstants.TRANSPORT_NETWORKS + "=tcp",
            TransportConstants.TRANSPORT_NETWORKS + "=udp"
        })
public final class AnyTlsClientComponent implements NettyOutboundTransport {
    private static final System.Logger LOG = System.getLogger(AnyTlsClientComponent.class.getName());
    private static final String[] SERVICES = {NettyOutboundTransport.class.getName(), OutboundTransport.class.getName()};

    // SCR calls activate, modified and deactivate of one instance one at a time; hosts read these from any thread.
    private BundleContext bundleContext;
    private IoRuntime io;
    private ServiceRegistration<?> registration;
    private volatile ReconfigurableClientTransport transport;
    private volatile String lastName;
    private volatile boolean deactivated;

    @Activate
    void activate(BundleContext context, Map<String, Object> properties) {
        bundleContext = context;
        apply(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        apply(properties);
    }

    @Deactivate
    void deactivate() {
        deactivated = true;
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // The framework unregistered it while stopping the bundle.
            }
            registration = null;
        }
        if (transport != null) {
            // Kept, closed: a host that still holds this object gets the final stats.
            transport.close();
        }
        if (io != null) {
            SharedIoRuntime.release(io);
            io = null;
        }
    }

    private void apply(Map<String, Object> properties) {
        Object pid = properties.get("service.pid");
        UnknownProperties.warn(pid, properties, UnknownProperties.namesOf(AnyTlsClientConfiguration.class,
                ClientProperties.class, TransportConstants.class));
        ClientSettings settings;
        try {
            settings = ClientSettings.from(properties);
        } catch (InvalidConfigurationException e) {
            // The message names the property and its value, with secrets masked.
            if (transport == null) {
                LOG.log(System.Logger.Level.ERROR, "invalid AnyTLS client configuration {0}: {1}; no transport is"
                        + " published until it is corrected", pid, e.getMessage());
            } else {
                LOG.log(System.Logger.Level.ERROR, "invalid AnyTLS client configuration {0}: {1}; transport {2}"
                        + " keeps running with its previous configuration", pid, e.getMessage(), lastName);
            }
            return;
        }
        try {
            if (transport == null) {
                start(settings);
            } else {
                ReconfigurableClientTransport.Change change = transport.reconfigure(settings);
                LOG.log(System.Logger.Level.INFO, "AnyTLS transport {0} reconfigured: {1}", settings.name(), change);
            }
        } catch (RuntimeException e) {
            // A valid configuration the transport still cannot use (an unreadable certificate file, say).
            LOG.log(System.Logger.Level.ERROR, "AnyTLS transport {0} ({1}) not applied: {2}", settings.name(), pid,
                    e.getMessage());
            return;
        }
        lastName = settings.name();
        if (registration == null) {
            registration = bundleContext.registerService(SERVICES, this, PublishedProperties.of(properties));
        } else {
            registration.setProperties(PublishedProperties.of(properties));
        }
    }

    private void start(ClientSettings settings) {
        IoRuntime acquired = SharedIoRuntime.acquire();
        try {
            transport = ReconfigurableClientTransport.create(settings, acquired);
        } catch (RuntimeException e) {
            SharedIoRuntime.release(acquired);
            throw e;
        }
        io = acquired;
        LOG.log(System.Logger.Level.INFO, "AnyTLS transport {0} started ({1}:{2})", settings.name(),
                settings.serverHost(), String.valueOf(settings.serverPort()));
    }

    /** The transport behind this component, for tests and diagnostics inside the bundle. */
    ReconfigurableClientTransport transport() {
        return transport;
    }

    @Override
    public Future<Channel> open(OpenRequest request, ChannelHandler handler, EventLoop preferredLoop) {
        ReconfigurableClientTransport current = transport;
        if (current == null || deactivated) {
            // A host that kept the service object past deactivation gets the contract's answer. Not from the closed
            // transport: its event loops may be gone with the shared I/O runtime, and a future failed on a
            // terminated loop never notifies its listeners.
            EventExecutor executor = preferredLoop != null && !preferredLoop.isShuttingDown()
                    ? preferredLoop : GlobalEventExecutor.INSTANCE;
            return executor.newFailedFuture(new TransportException(TransportException.Reason.SHUTDOWN,
                    TransportException.Phase.QUEUE, String.valueOf(lastName),
                    current == null ? "the transport has no valid configuration"
                            : "the transport was deactivated (its configuration was deleted or its bundle stopped)",
                    null));
        }
        return current.open(request, handler, preferredLoop);
    }

    @Override
    public String name() {
        return lastName;
    }

    @Override
    public String type() {
        return AnyTlsClientTransport.TYPE;
    }

    @Override
    public Set<Network> networks() {
        return live().networks();
    }

    @Override
    public Set<Capability> capabilities() {
        return live().capabilities();
    }

    @Override
    public TransportStats stats() {
        return live().stats();
    }

    @Override
    public TransportHealth health() {
        return live().health();
    }

    @Override
    public List<SessionSnapshot> sessions() {
        return live().sessions();
    }

    private ReconfigurableClientTransport live() {
        ReconfigurableClientTransport current = transport;
        if (current == null) {
            throw new IllegalStateException("AnyTLS transport " + lastName + " has no valid configuration");
        }
        return current;
    }
}
