package org.anytls4j.management.cm;

import org.junit.jupiter.api.Test;

import java.util.Dictionary;
import java.util.Hashtable;

import static org.assertj.core.api.Assertions.assertThat;

class SecretMaskingPluginTest {
    private final SecretMaskingPlugin plugin = new SecretMaskingPlugin();

    @Test
    void hidesSecretsOfAnytls4jConfigurationsForDisplays() {
        Dictionary<String, Object> properties = properties("org.anytls4j.anytls.client~default");

        plugin.modifyConfiguration(null, properties);

        assertThat(properties.get(".password")).isEqualTo("<hidden>");
        assertThat(properties.get("server")).isEqualTo("127.0.0.1:8443");
    }

    @Test
    void leavesOtherPidsAlone() {
        Dictionary<String, Object> properties = properties("org.example.other");

        plugin.modifyConfiguration(null, properties);

        assertThat(properties.get(".password")).isEqualTo("s3cret");
    }

    private static Dictionary<String, Object> properties(String pid) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("service.pid", pid);
        properties.put(".password", "s3cret");
        properties.put("server", "127.0.0.1:8443");
        return properties;
    }
}
