package org.anytls4j.common.config;

import java.lang.reflect.Array;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Describes what changed between two configurations of one instance, as one log-ready line: {@code port: 8443 ->
 * 9443, .password: <changed>, maxSessions: added (4)}. Secrets are never shown: a property is secret when its name
 * starts with {@code .} (the OSGi convention for private properties, used by every password and URI property here)
 * or contains {@code password}, {@code secret} or {@code token}; for those only {@code <changed>}, {@code added} or
 * {@code removed} appears. Bookkeeping properties of the framework (service.*, component.*, felix.fileinstall.*)
 * are ignored.
 *
 * <p>Components that restart on every change (no {@code @Modified}) keep the last configuration per PID in a
 * {@link History}, so a reactivation can still tell what changed.
 */
public final class ConfigurationChanges {
    static final String CHANGED = "<changed>";

    private ConfigurationChanges() {
    }

    /** The changed property names with old and new values (secrets masked), sorted by name; empty if none changed. */
    public static String describe(Map<String, ?> before, Map<String, ?> after) {
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
        Set<String> names = new TreeSet<>();
        names.addAll(before.keySet());
        names.addAll(after.keySet());
        StringBuilder text = new StringBuilder();
        for (String name : names) {
            if (ignored(name)) {
                continue;
            }
            Object was = before.get(name);
            Object now = after.get(name);
            if (sameValue(was, now)) {
                continue;
            }
            if (text.length() > 0) {
                text.append(", ");
            }
            text.append(name).append(": ").append(change(name, was, now));
        }
        return text.toString();
    }

    /** Whether {@code name} holds a secret whose value must never be shown. */
    public static boolean isSecret(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return name.startsWith(".") || lower.contains("password") || lower.contains("secret")
                || lower.contains("token");
    }

    private static boolean ignored(String name) {
        return UnknownProperties.addedByFramework(name);
    }

    private static String change(String name, Object was, Object now) {
        boolean secret = isSecret(name);
        if (was == null) {
            return secret ? "added" : "added (" + text(now) + ")";
        }
        if (now == null) {
            return "removed";
        }
        return secret ? CHANGED : text(was) + " -> " + text(now);
    }

    private static boolean sameValue(Object a, Object b) {
        if (a == null || b == null) {
            return a == b;
        }
        return text(a).equals(text(b));
    }

    private static String text(Object value) {
        if (value != null && value.getClass().isArray()) {
            Object[] items = new Object[Array.getLength(value)];
            for (int i = 0; i < items.length; i++) {
                items[i] = Array.get(value, i);
            }
            return Arrays.toString(items);
        }
        return String.valueOf(value);
    }

    /** The last configuration seen per PID, so that a restarted component can describe what changed. */
    public static final class History {
        private final Map<String, Map<String, Object>> last = new ConcurrentHashMap<>();

        /**
         * Remembers {@code properties} as the configuration of {@code pid} and describes the change from the one
         * remembered before; empty for the first configuration of a PID or when nothing changed.
         */
        public String record(String pid, Map<String, ?> properties) {
            Map<String, Object> copy = new TreeMap<>(properties);
            Map<String, Object> previous = last.put(Objects.requireNonNull(pid, "pid"), copy);
            return previous == null ? "" : describe(previous, copy);
        }

        /** Forgets {@code pid} (its configuration was deleted). */
        public void forget(String pid) {
            last.remove(pid);
        }
    }
}
