package org.anytls4j.host.osgi;

import java.util.Map;
import org.anytls4j.common.config.ConfigurationChanges;

/**
 * Logs, at INFO, which properties of a host component's configuration changed, secrets as {@code <changed>}. A
 * component that restarts on a change forgets its previous configuration, so the configuration each PID ran with
 * before is remembered here, for the life of the bundle.
 */
final class ConfigurationLog {
    private static final System.Logger LOG = System.getLogger(ConfigurationLog.class.getName());
    private static final ConfigurationChanges.History HISTORY = new ConfigurationChanges.History();

    private ConfigurationLog() {
    }

    static void record(String what, Map<String, ?> properties) {
        Object pid = properties.get("service.pid");
        if (pid == null) {
            return;
        }
        String changes = HISTORY.record(pid.toString(), properties);
        if (!changes.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, () -> what + " configuration changed: " + changes);
        }
    }
}
