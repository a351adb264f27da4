package org.anytls4j.common.config;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Names the configuration keys a component does not know, with the closest known name, so that a misspelled
 * property ({@code idleSesionTimeout}) is not accepted in silence. Keys that the framework and Karaf add
 * ({@code service.*}, {@code component.*}, {@code felix.fileinstall.*}, {@code osgi.ds.*}) are never reported.
 *
 * <p>Free of OSGi; embedded privately in both bundles, like the rest of this module.
 */
public final class UnknownProperties {
    private static final System.Logger LOG = System.getLogger(UnknownProperties.class.getName());
    private static final String[] FRAMEWORK_PREFIXES = {"service.", "component.", "felix.fileinstall.", "osgi.ds.",
        "objectClass"};

    private UnknownProperties() {
    }

    /**
     * Logs one WARNING per key of {@code properties} that is neither in {@code known} nor added by the framework.
     * Values are never logged (some are secrets).
     *
     * @param configuration names the configuration in the message (its PID, say)
     * @return the unknown keys, sorted
     */
    public static Set<String> warn(Object configuration, Map<String, ?> properties, Collection<String> known) {
        Set<String> unknown = new TreeSet<>();
        for (String key : properties.keySet()) {
            if (!known.contains(key) && !addedByFramework(key)) {
                unknown.add(key);
            }
        }
        for (String key : unknown) {
            String closest = closest(key, known);
            LOG.log(System.Logger.Level.WARNING, "configuration {0}: unknown property {1}{2}", configuration, key,
                    closest == null ? " (ignored)" : "; did you mean " + closest + "?");
        }
        return unknown;
    }

    /**
     * The property names a configuration type declares: for an annotation, its element names mapped as Declarative
     * Services maps them ({@code _users} is {@code .users}, {@code transport_name} is {@code transport.name});
     * otherwise its public static String constants (a class of property names).
     */
    public static Set<String> namesOf(Class<?>... types) {
        Set<String> names = new TreeSet<>();
        for (Class<?> type : types) {
            if (type.isAnnotation()) {
                for (Method element : type.getDeclaredMethods()) {
                    names.add(dsPropertyName(element.getName()));
                }
                continue;
            }
            for (Field field : type.getFields()) {
                if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class
                        && !field.getName().endsWith("PID")) {
                    try {
                        names.add((String) field.get(null));
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
        return names;
    }

    public static String dsPropertyName(String element) {
        StringBuilder name = new StringBuilder();
        for (int i = 0; i < element.length(); i++) {
            char c = element.charAt(i);
            if (c == '$') {
                if (element.startsWith("$_$", i)) {
                    name.append('-');
                    i += 2;
                } else if (element.startsWith("$$", i)) {
                    name.append('$');
                    i++;
                }
            } else if (c == '_') {
                if (element.startsWith("__", i)) {
                    name.append('_');
                    i++;
                } else {
                    name.append('.');
                }
            } else {
                name.append(c);
            }
        }
        return name.toString();
    }

    /** Whether the framework, the component runtime or File Install put this key into a configuration. */
    static boolean addedByFramework(String key) {
        for (String prefix : FRAMEWORK_PREFIXES) {
            if (key.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** The known name nearest to {@code key} by edit distance, ignoring case; null if none is close. */
    static String closest(String key, Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        String lower = key.toLowerCase(Locale.ROOT);
        for (String candidate : known) {
            int distance = distance(lower, candidate.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                bestDistance = distance;
                best = candidate;
            }
        }
        return bestDistance <= Math.max(2, key.length() / 3) ? best : null;
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
