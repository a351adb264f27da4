package org.anytls4j.anytls.management;

import org.anytls4j.common.config.ConfigurationChanges;

import java.util.Map;

/**
 * Logs, at INFO, which properties of a component's configuration changed (secrets as {@code <changed>}), for the
 * components of this bundle. Keyed by {@code service.pid}: a server restarts on every change, so the configuration
 * it ran with before is remembered here.
 */
public final class ConfigurationLog {
    private static final System.Logger LOG = System.getLogger(ConfigurationLog.class.getName());
    private static final ConfigurationChanges.History HISTORY = new ConfigurationChanges.History();

    private ConfigurationLog() {
    }

    /** Remembers {@code properties} and logs what changed since the last configuration of the same PID. */
    public static void record(String what, Map<String, ?> properties) {
        Object pid = properties.get("service.pid");
        if (pid == null) {
            return;
        }
        String changes = HISTORY.record(pid.toString(), properties);
        if (!changes.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, () -> what + " configuration changed: " + changes);
        }
    }

    /** Logs the change from {@code before} to {@code after} directly (a component with a modified method). */
    public static void changed(String what, Map<String, ?> before, Map<String, ?> after) {
        String changes = ConfigurationChanges.describe(before, after);
        if (!changes.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, () -> what + " configuration changed: " + changes);
        }
    }
}
