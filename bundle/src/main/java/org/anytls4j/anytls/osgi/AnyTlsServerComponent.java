package org.anytls4j.anytls.osgi;

import org.anytls4j.anytls.config.InvalidConfigurationException;
import org.anytls4j.anytls.config.ServerProperties;
import org.anytls4j.anytls.config.ServerSettings;
import org.anytls4j.anytls.io.IoRuntime;
import org.anytls4j.anytls.io.SharedIoRuntime;
import org.anytls4j.anytls.management.ConfigurationLog;
import org.anytls4j.anytls.management.ServerViewPublisher;
import org.anytls4j.anytls.server.AnyTlsServerRuntime;
import org.anytls4j.transport.api.server.ServerView;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.RequireServiceComponentRuntime;

import java.time.Duration;
import java.util.Map;

/**
 * One AnyTLS server per factory configuration of {@value ServerProperties#FACTORY_PID} (described by
 * {@link AnyTlsServerConfiguration}, whose {@code factoryPid} already designates this PID).
 *
 * <p>Activation fails, with an ERROR naming the property, only for a configuration that can never work; a busy
 * port is retried inside the {@link AnyTlsServerRuntime}. There is no modified method: any change restarts the
 * server. Reading Felix SCR 2.2's {@code SingleComponentManager.reconfigure}, a component in the failed-activation
 * state is deactivated and activated again when its configuration is updated, so correcting a configuration
 * brings the server up; what SCR never retries is an activation that failed with the configuration unchanged,
 * which is why nothing transient may fail activation here.
 *
 * <p>The component registers no service through DS; it publishes a read-only {@link ServerView} of the running
 * server for operators' tools.
 */
// Requires SCR explicitly (toolchain pitfalls 1-3) instead of relying on what bnd derives from the XML.
@RequireServiceComponentRuntime
@Component(configurationPid = ServerProperties.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
public final class AnyTlsServerComponent {
    private static final System.Logger LOG = System.getLogger(AnyTlsServerComponent.class.getName());
    /** Bounded so that stopping the bundle never hangs on a peer that does not answer. */
    static final Duration DEACTIVATION_TIMEOUT = Duration.ofSeconds(10);

    private IoRuntime io;
    private AnyTlsServerRuntime runtime;
    private ServiceRegistration<ServerView> view;

    @Activate
    void activate(BundleContext context, Map<String, Object> properties) {
        ConfigurationLog.record("AnyTLS server " + properties.get("name"), properties);
        ServerSettings settings;
        try {
            settings = ServerSettings.from(properties);
        } catch (InvalidConfigurationException e) {
            // The message names the property and masks secrets, so it is safe to log as it is.
            LOG.log(System.Logger.Level.ERROR, "AnyTLS server configuration {0} rejected: {1}",
                    properties.get("service.pid"), e.getMessage());
            throw e;
        }
        IoRuntime acquired = SharedIoRuntime.acquire();
        try {
            runtime = AnyTlsServerRuntime.start(settings, acquired);
            io = acquired;
            view = ServerViewPublisher.publish(context, runtime);
        } catch (RuntimeException e) {
            SharedIoRuntime.release(acquired);
            LOG.log(System.Logger.Level.ERROR, "AnyTLS server {0} not started: {1}", settings.name(),
                    e.getMessage());
            throw e;
        }
    }

    @Deactivate
    void deactivate() {
        ServerViewPublisher.withdraw(view);
        view = null;
        try {
            if (runtime != null) {
                runtime.close(DEACTIVATION_TIMEOUT);
            }
        } finally {
            runtime = null;
            if (io != null) {
                SharedIoRuntime.release(io);
                io = null;
            }
        }
    }

    /** The running server, or null when not active; for tests in this package. */
    AnyTlsServerRuntime runtime() {
        return runtime;
    }
}
