package org.anytls4j.anytls.osgi;

import org.anytls4j.anytls.management.ConfigurationLog;
import org.anytls4j.anytls.management.ServerViewPublisher;
import org.anytls4j.transport.api.server.ServerView;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.anytls4j.anytls.config.InvalidConfigurationException;
import org.anytls4j.anytls.config.ServerProperties;
import org.anytls4j.anytls.config.ServerSettings;
import org.anytls4j.common.config.UnknownProperties;
import org.anytls4j.anytls.io.IoRuntime;
import org.anytls4j.anytls.io.SharedIoRuntime;
import org.anytls4j.anytls.server.AnyTlsServerRuntime;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.RequireServiceComponentRuntime;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One AnyTLS server per factory configuration of {@value ServerProperties#FACTORY_PID} (described by
 * {@link AnyTlsServerConfiguration}, whose {@code factoryPid} already designates this PID).
 *
 * <p>Activation never fails (toolchain pitfall 9): a configuration that cannot work is logged as one ERROR line
 * naming the property and leaves the component active without a server, and a busy port is retried inside the
 * {@link AnyTlsServerRuntime}. A changed configuration ({@link Modified}) is validated completely before anything
 * running is touched: a rejected change leaves the running server as it was, an accepted one applies live
 * ({@link AnyTlsServerRuntime#reconfigure}) without closing open sessions.
 *
 * <p>The component registers no service: it only listens.
 */
// Requires SCR explicitly (toolchain pitfalls 1-3) instead of relying on what bnd derives from the XML.
@RequireServiceComponentRuntime
@Component(configurationPid = ServerProperties.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
public final class AnyTlsServerComponent {
    private static final System.Logger LOG = System.getLogger(AnyTlsServerComponent.class.getName());
    /** Bounded so that stopping the bundle never hangs on a peer that does not answer. */
    static final Duration DEACTIVATION_TIMEOUT = Duration.ofSeconds(10);
    private static final Set<String> KNOWN_PROPERTIES =
            UnknownProperties.namesOf(AnyTlsServerConfiguration.class, ServerProperties.class);

    private IoRuntime io;
    private AnyTlsServerRuntime runtime;
    private CompletableFuture<InetSocketAddress> lastChange = CompletableFuture.completedFuture(null);
    private BundleContext context;
    private ServiceRegistration<ServerView> view;

    /** @param context where the server's read-only view is published; null in tests without a framework */
    @Activate
    void activate(BundleContext context, Map<String, Object> properties) {
        this.context = context;
        apply(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        apply(properties);
    }

    private void apply(Map<String, Object> properties) {
        UnknownProperties.warn(properties.get("service.pid"), properties, KNOWN_PROPERTIES);
        ConfigurationLog.record("AnyTLS server " + properties.get("name"), properties);
        try {
            ServerSettings settings = ServerSettings.from(properties);
            if (runtime == null) {
                start(settings);
            } else {
                lastChange = runtime.reconfigure(settings);
            }
        } catch (InvalidConfigurationException e) {
            // The message names the property, shows the value (masked when secret) and the reason: one line.
            LOG.log(System.Logger.Level.ERROR, "AnyTLS server configuration {0} rejected, {1}: {2}",
                    properties.get("service.pid"), runtime == null ? "server not started"
                            : "the server keeps running with its previous configuration", e.getMessage());
        }
    }

    private void start(ServerSettings settings) {
        IoRuntime acquired = SharedIoRuntime.acquire();
        try {
            runtime = AnyTlsServerRuntime.start(settings, acquired);
            io = acquired;
            if (context != null) {
                view = ServerViewPublisher.publish(context, runtime);
            }
        } catch (RuntimeException e) {
            SharedIoRuntime.release(acquired);
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

    /** How the latest accepted change ended (the listening address); for tests in this package. */
    CompletableFuture<InetSocketAddress> lastChange() {
        return lastChange;
    }

    /** The running server, or null when not active; for tests in this package. */
    AnyTlsServerRuntime runtime() {
        return runtime;
    }
}
