package org.anytls4j.management.jmx;

import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.management.DynamicMBean;
import javax.management.StandardMBean;

import org.anytls4j.management.health.HealthCheckApi;
import org.anytls4j.management.health.HealthChecks;
import org.anytls4j.management.health.Verdict;
import org.anytls4j.transport.api.OutboundTransport;
import org.anytls4j.transport.api.server.ServerView;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * For every transport and server: an MXBean registered through the JMX whiteboard (a {@link DynamicMBean} service
 * with the property {@code jmx.objectname}, which Karaf's {@code management} feature puts into its MBean server),
 * and, when the Felix Health Check API is present, a health check tagged {@code anytls4j}. Both go away with the
 * transport or server.
 */
@Component(service = {}, immediate = true)
public final class Publisher {
    static final String OBJECT_NAME = "jmx.objectname";
    private static final System.Logger LOG = System.getLogger(Publisher.class.getName());

    private final BundleContext context;
    private final boolean healthChecks = HealthCheckApi.available();
    private final Map<Object, List<ServiceRegistration<?>>> published = new ConcurrentHashMap<>();

    @Activate
    public Publisher(BundleContext context) {
        this.context = context;
    }

    @Reference(name = "transport", service = OutboundTransport.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC)
    void addTransport(OutboundTransport transport) {
        List<ServiceRegistration<?>> registrations = new ArrayList<>();
        registrations.add(registerMBean(ObjectNames.transport(transport.name()),
                mxBean(new TransportManagement(transport), TransportMXBean.class)));
        if (healthChecks) {
            registrations.add(HealthChecks.register(context, "anytls4j transport " + transport.name(),
                    () -> Verdict.of(transport.name(), transport.health())));
        }
        withdraw(published.put(transport, registrations));
    }

    void removeTransport(OutboundTransport transport) {
        withdraw(published.remove(transport));
    }

    @Reference(name = "server", service = ServerView.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC)
    void addServer(ServerView server) {
        List<ServiceRegistration<?>> registrations = new ArrayList<>();
        registrations.add(registerMBean(ObjectNames.server(server.name()),
                mxBean(new ServerManagement(server), ServerMXBean.class)));
        if (healthChecks) {
            registrations.add(HealthChecks.register(context, "anytls4j " + server.type() + " server " + server.name(),
                    () -> Verdict.of(server.snapshot())));
        }
        withdraw(published.put(server, registrations));
    }

    void removeServer(ServerView server) {
        withdraw(published.remove(server));
    }

    @Deactivate
    void deactivate() {
        published.values().forEach(Publisher::withdraw);
        published.clear();
    }

    private ServiceRegistration<?> registerMBean(String objectName, DynamicMBean mbean) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(OBJECT_NAME, objectName);
        LOG.log(System.Logger.Level.DEBUG, () -> "publishing MBean " + objectName);
        return context.registerService(DynamicMBean.class, mbean, properties);
    }

    static <T> DynamicMBean mxBean(T implementation, Class<T> type) {
        try {
            return new StandardMBean(implementation, type, true);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(type.getName() + " is not a valid MXBean interface", e);
        }
    }

    private static void withdraw(List<ServiceRegistration<?>> registrations) {
        if (registrations == null) {
            return;
        }
        for (ServiceRegistration<?> registration : registrations) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // unregistered with the bundle
            }
        }
    }
}
