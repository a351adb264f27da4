package org.anytls4j.anytls.config;

import org.anytls4j.common.config.UnknownProperties;
import org.anytls4j.anytls.osgi.AnyTlsClientConfiguration;
import org.anytls4j.anytls.osgi.AnyTlsServerConfiguration;
import org.anytls4j.testkit.CapturedLog;
import org.anytls4j.transport.api.TransportConstants;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;

class UnknownPropertiesTest {
    /** What Felix ConfigAdmin, SCR and Karaf's fileinstall put next to a configuration's own keys. */
    private static final Map<String, Object> KARAF_KEYS = Map.of(
            "service.pid", "org.anytls4j.anytls.client~a", "service.factoryPid", "org.anytls4j.anytls.client",
            "service.bundleLocation", "?", "felix.fileinstall.filename", "file:/etc/x.cfg",
            "component.name", "org.anytls4j.anytls.client", "component.id", 7L,
            "osgi.ds.satisfying.condition.target", "(osgi.condition.id=true)");

    private static Set<String> warn(Set<String> known, Object... keysAndValues) {
        Map<String, Object> properties = new HashMap<>(KARAF_KEYS);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            properties.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return UnknownProperties.warn("pid~1", properties, known);
    }

    @Test
    void aMisspelledClientKeyIsNamedWithTheClosestKnownNameAndKarafsKeysAreNot() {
        Set<String> client = UnknownProperties.namesOf(AnyTlsClientConfiguration.class, ClientProperties.class,
                TransportConstants.class);
        try (CapturedLog log = CapturedLog.of(UnknownProperties.class)) {
            Set<String> unknown = warn(client, "transport.name", "a", ".password", "secret-value",
                    "transport.type", "anytls", "idleSesionTimeout", "10s");

            assertThat(unknown).containsExactly("idleSesionTimeout");
            assertThat(log.messages(Level.WARNING)).containsExactly(
                    "configuration pid~1: unknown property idleSesionTimeout; did you mean idleSessionTimeout?");
        }
    }

    @Test
    void aMisspelledServerKeyIsNamed() {
        Set<String> server = UnknownProperties.namesOf(AnyTlsServerConfiguration.class, ServerProperties.class);
        try (CapturedLog log = CapturedLog.of(UnknownProperties.class)) {
            warn(server, "name", "s", ".users", "a:b", "stopGracePeriod", "1s", "authTimout", "3s");

            assertThat(log.messages(Level.WARNING)).containsExactly(
                    "configuration pid~1: unknown property authTimout; did you mean authTimeout?");
        }
    }

    @Test
    void aKeyFarFromEveryKnownNameIsNamedWithoutASuggestion() {
        try (CapturedLog log = CapturedLog.of(UnknownProperties.class)) {
            warn(Set.of("port", "name"), "completelyDifferent", "x");

            assertThat(log.messages(Level.WARNING)).containsExactly(
                    "configuration pid~1: unknown property completelyDifferent (ignored)");
        }
    }

    @Test
    void annotationElementsMapToPropertyNamesAsDeclarativeServicesDoes() {
        assertThat(UnknownProperties.dsPropertyName("_users")).isEqualTo(".users");
        assertThat(UnknownProperties.dsPropertyName("outbound_target")).isEqualTo("outbound.target");
        assertThat(UnknownProperties.dsPropertyName("a__b")).isEqualTo("a_b");
        assertThat(UnknownProperties.dsPropertyName("a$_$b")).isEqualTo("a-b");
    }
}
