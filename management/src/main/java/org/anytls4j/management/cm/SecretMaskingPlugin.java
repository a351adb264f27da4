package org.anytls4j.management.cm;

import java.util.Collections;
import java.util.Dictionary;

import org.anytls4j.common.config.ConfigurationChanges;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationPlugin;
import org.osgi.service.component.annotations.Component;

/**
 * Keeps interpolated secrets of anytls4j configurations out of displays such as Karaf's {@code config:list}.
 *
 * <p>Karaf's console shows {@code Configuration.getProcessedProperties(null)}, i.e. the properties after every
 * Configuration Admin plugin ran, including the interpolation plugin that turns {@code $[env:ANYTLS_PASSWORD]} into
 * the password. A processing request without a target service is a display, never a delivery (Configuration Admin
 * delivers to a ManagedService or SCR with their reference), so for such requests this plugin, ranked after the
 * interpolation plugin, replaces the value of every secret property ({@link ConfigurationChanges#isSecret}) of an
 * {@code org.anytls4j.*} PID with {@value #HIDDEN}.
 */
@Component(service = ConfigurationPlugin.class, property = ConfigurationPlugin.CM_RANKING + ":Integer=1000")
public final class SecretMaskingPlugin implements ConfigurationPlugin {
    static final String HIDDEN = "<hidden>";

    @Override
    public void modifyConfiguration(ServiceReference<?> reference, Dictionary<String, Object> properties) {
        if (reference != null || !isAnytls4j(properties)) {
            return;
        }
        for (String key : Collections.list(properties.keys())) {
            if (ConfigurationChanges.isSecret(key)) {
                properties.put(key, HIDDEN);
            }
        }
    }

    private static boolean isAnytls4j(Dictionary<String, Object> properties) {
        Object pid = properties.get("service.pid");
        return pid != null && pid.toString().startsWith("org.anytls4j.");
    }
}
