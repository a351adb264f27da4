package org.anytls4j.anytls.osgi;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;

/**
 * The service properties a component publishes for its configuration: every property except the private ones.
 *
 * <p>Declarative Services publishes every configuration property whose name does not start with a dot; the client
 * component registers its service itself (so that an invalid configuration publishes nothing), and keeps that rule
 * here so that a host sees the same properties either way — and never a secret, which is why every secret property
 * ({@code .password}, {@code .uri}, {@code .users}) has a leading dot.
 */
final class PublishedProperties {
    private PublishedProperties() {
    }

    static Dictionary<String, Object> of(Map<String, Object> configuration) {
        Hashtable<String, Object> published = new Hashtable<>();
        configuration.forEach((key, value) -> {
            if (!key.startsWith(".") && value != null) {
                published.put(key, value);
            }
        });
        return published;
    }
}
