package org.anytls4j.anytls.osgi;

import org.anytls4j.anytls.client.ReconfigurableClientTransport;
import org.anytls4j.anytls.config.ClientProperties;
import org.anytls4j.anytls.config.ClientSettings;
import org.anytls4j.common.config.UnknownProperties;
import org.anytls4j.anytls.config.InvalidConfigurationException;
import org.anytls4j.anytls.io.IoRuntime;
import org.anytls4j.anytls.io.SharedIoRuntime;
import org.anytls4j.anytls.management.ConfigurationLog;
import org.anytls4j.common.service.TransportServiceProperties;
import org.anytls4j.transport.api.OutboundTransport;
import org.anytls4j.transport.api.TransportConstants;
import org.anytls4j.transport.api.netty.NettyOutboundTransport;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;

import java.util.Map;

/**
 * Publishes one AnyTLS client transport per factory configuration of {@value ClientProperties#FACTORY_PID}.
 *
 * <p>Glue only: {@link ClientSettings} validates, and the service object is the {@link ReconfigurableClientTransport}
 * itself, the one layer between this component and the engine. A change of pool options only is applied live; any
 * other change replaces the engine while the old one drains.
 *
 * <p>Why the component registers the service itself instead of declaring it to DS. Not because SCR would never
 * activate a failed component again: it does once the configuration changes (see {@link AnyTlsServerComponent}, and
 * toolchain pitfall 9, which is about an activation failing with the configuration unchanged). The reasons are what
 * DS would publish: a DS-declared service is registered before activation (delayed), so an invalid configuration
 * would show up as a transport that fails on first use; on an invalid change of a running transport SCR would
 * publish the rejected configuration's properties while the transport keeps running with the previous ones; and
 * the SPI's properties ({@code transport.capabilities}, networks, type) must be those the transport's methods
 * return, which DS annotations (compile-time constants) cannot derive. So activation never fails: an invalid
 * configuration is rejected with an ERROR naming the property and publishes nothing; an invalid change of a running
 * transport is rejected the same way and the transport keeps its last valid configuration, properties and service
 * id (no stream is lost to a typo). The service appears once a valid configuration is applied.
 */
@Component(
        name = ClientProperties.FACTORY_PID,
        configurationPid = ClientProperties.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {},
        immediate = true)
public final class AnyTlsClientComponent {
    private static final System.Logger LOG = System.getLogger(AnyTlsClientComponent.class.getName());
    private static final String[] SERVICES = {NettyOutboundTransport.class.getName(), OutboundTransport.class.getName()};

    // SCR calls activate, modified and deactivate of one instance one at a time.
    private BundleContext bundleContext;
    private IoRuntime io;
    private ServiceRegistration<?> registration;
    private volatile ReconfigurableClientTransport transport;

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
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // The framework unregistered it while stopping the bundle.
            }
            registration = null;
        }
        if (transport != null) {
            // Kept, closed: a host that still holds the service object gets the final stats and SHUTDOWN on open.
            transport.close();
        }
        if (io != null) {
            SharedIoRuntime.release(io);
            io = null;
        }
    }

    private void apply(Map<String, Object> properties) {
        ConfigurationLog.record("AnyTLS transport " + properties.get("transport.name"), properties);
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
                        + " keeps running with its previous configuration", pid, e.getMessage(), transport.name());
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
        if (registration == null) {
            registration = bundleContext.registerService(SERVICES, transport,
                    TransportServiceProperties.of(transport, properties));
        } else {
            registration.setProperties(TransportServiceProperties.of(transport, properties));
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
}
