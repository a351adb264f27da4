package org.anytls4j.management.health;

import java.util.Hashtable;
import java.util.function.Supplier;

import org.apache.felix.hc.api.HealthCheck;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * Registers Felix Health Checks, tagged {@code anytls4j}. The Health Check API is an optional import: callers
 * first ask {@link HealthCheckApi#available()}, and only then load this class.
 */
public final class HealthChecks {
    public static final String TAG = "anytls4j";

    private HealthChecks() {
    }

    /** Registers a check named {@code name} whose verdict {@code verdict} gives at each execution. */
    public static ServiceRegistration<?> register(BundleContext context, String name, Supplier<Verdict> verdict) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(HealthCheck.NAME, name);
        properties.put(HealthCheck.TAGS, new String[] {TAG});
        return context.registerService(HealthCheck.class, new VerdictHealthCheck(verdict), properties);
    }
}
