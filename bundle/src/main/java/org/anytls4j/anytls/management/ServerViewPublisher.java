package org.anytls4j.anytls.management;

import org.anytls4j.anytls.server.AnyTlsServerRuntime;
import org.anytls4j.transport.api.server.ServerConstants;
import org.anytls4j.transport.api.server.ServerView;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

import java.util.Hashtable;

/**
 * Registers the {@link ServerView} of a running AnyTLS server, so that shell commands, MBeans and health checks
 * (the anytls4j-management bundle) can read it without depending on this bundle's classes. The properties name the
 * server only: no configuration value, so nothing secret is published.
 */
public final class ServerViewPublisher {
    private ServerViewPublisher() {
    }

    /**
     * Registers the view; unregister the returned registration before the runtime closes. Without a context (a
     * component driven by a unit test) nothing is registered and null is returned.
     */
    public static ServiceRegistration<ServerView> publish(BundleContext context, AnyTlsServerRuntime runtime) {
        if (context == null) {
            return null;
        }
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(ServerConstants.SERVER_NAME, runtime.name());
        properties.put(ServerConstants.SERVER_TYPE, AnyTlsServerView.TYPE);
        return context.registerService(ServerView.class, new AnyTlsServerView(runtime), properties);
    }

    /** Unregisters quietly: the bundle may be stopping, which unregistered the service already. */
    public static void withdraw(ServiceRegistration<ServerView> registration) {
        if (registration == null) {
            return;
        }
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // unregistered with the bundle
        }
    }
}
