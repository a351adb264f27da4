package org.anytls4j.management.health;

/** Tells whether the optional Felix Health Check API is wired; refers to none of its types itself. */
public final class HealthCheckApi {
    private HealthCheckApi() {
    }

    public static boolean available() {
        try {
            Class.forName("org.apache.felix.hc.api.HealthCheck", false, HealthCheckApi.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
