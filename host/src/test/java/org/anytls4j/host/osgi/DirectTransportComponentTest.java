package org.anytls4j.host.osgi;

import org.anytls4j.common.config.UnknownProperties;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.anytls4j.host.testing.ComponentDescriptions;
import org.anytls4j.host.testing.Configs;
import org.anytls4j.testkit.CapturedLog;
import org.anytls4j.transport.api.Capability;
import org.anytls4j.transport.api.Network;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DirectTransportComponentTest {
    private static DirectTransportConfiguration config(Map<String, Object> properties) {
        return Configs.of(DirectTransportConfiguration.class, properties);
    }

    @Test
    void publishedPropertiesEqualWhatTheTransportReports() throws Exception {
        DirectTransportComponent component = new DirectTransportComponent(config(Map.of("transport.name", "d1")));
        try {
            Dictionary<String, Object> properties = component.serviceProperties(
                    Map.of("transport.name", "d1", "transport.labels", "eu", ".secret", "x"));
            assertThat(properties.get("transport.type")).isEqualTo(component.type());
            assertThat((String[]) properties.get("transport.networks")).containsExactlyInAnyOrderElementsOf(
                    component.networks().stream().map(Network::wireName).collect(Collectors.toList()));
            assertThat((String[]) properties.get("transport.capabilities")).containsExactlyInAnyOrder(
                    "half-close", "connect-confirmation", "udp-association", "loop-affinity", "isolation");
            assertThat(properties.get("transport.name")).isEqualTo("d1");
            assertThat(properties.get("transport.labels")).isEqualTo("eu");
            assertThat(properties.get(".secret")).isNull();
            // DS publishes nothing of its own for this component: the service is registered with these.
            assertThat(ComponentDescriptions.load(DirectTransportConfiguration.PID).properties())
                    .doesNotContainKeys("transport.type", "transport.capabilities");
            assertThat(component.name()).isEqualTo("d1");
        } finally {
            component.deactivate();
        }
    }

    @Test
    void aMisspelledKeyIsWarnedAboutAndKarafsAndTheComponentsOwnKeysAreNot() {
        try (CapturedLog log = CapturedLog.of(UnknownProperties.class)) {
            DirectTransportComponent component = new DirectTransportComponent(config(Map.of("transport.name", "d2")), null,
                    Map.of("service.pid", "org.anytls4j.host.direct~d2", "transport.name", "d2",
                            "transport.type", "direct", "transport.networks", new String[] {"tcp", "udp"},
                            "felix.fileinstall.filename", "file:/x.cfg", "component.name", "c",
                            "conectTimeout", "5s"));
            component.deactivate();

            assertThat(log.messages(Level.WARNING)).containsExactly("configuration org.anytls4j.host.direct~d2:"
                    + " unknown property conectTimeout; did you mean connectTimeout?");
        }
    }

    @Test
    void invalidConfigurationNamesThePropertyAndStartsNothing() {
        assertThatThrownBy(() -> new DirectTransportComponent(config(Map.of())))
                .hasMessageContaining("transport.name must be");
        assertThatThrownBy(() -> new DirectTransportComponent(config(Map.of("transport.name", "d",
                "connectTimeout", "-1s")))).hasMessageContaining("connectTimeout");
        assertThatThrownBy(() -> new DirectTransportComponent(config(Map.of("transport.name", "d",
                "bindAddress", "eth0")))).hasMessageContaining("bindAddress");
    }
}
