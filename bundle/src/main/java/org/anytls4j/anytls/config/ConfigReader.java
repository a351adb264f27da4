package org.anytls4j.anytls.config;

import org.anytls4j.common.config.DurationText;
import org.anytls4j.common.config.InstanceNames;

import java.lang.reflect.Array;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeSet;

/**
 * Typed, validating reads from Configuration Admin / Declarative Services properties.
 *
 * <p>Liberal in types, strict in values. A value may arrive as a String (Karaf {@code .cfg} files), a Number or
 * Boolean (typed {@code .config} files, the web console), or an array or Collection; a single-valued property
 * accepts an array or Collection of exactly one element. Strings are trimmed, and a blank value counts as
 * absent (a Karaf line {@code sni =} means "not set"). Surrounding white space is never part of a value, secrets
 * included: Karaf trims {@code .cfg} values anyway, and other sources should not behave differently. Secret
 * values are never shown in messages.
 * Every rejection is an {@link InvalidConfigurationException} naming the property and the value; nothing is
 * silently clamped.
 *
 * <p>The reader remembers which names were asked for ({@link #namesRead()}), so that a component can report
 * properties nobody reads ({@link #unreadNames()}), typically typos.
 */
public final class ConfigReader {

    /** Prefixes of properties that Configuration Admin, DS, Felix FileInstall and the web console add. */
    private static final List<String> FRAMEWORK_PREFIXES =
            List.of("service.", "component.", "felix.", "osgi.", "webconsole.", "objectClass");

    private final Map<String, ?> properties;
    private final Set<String> namesRead = new LinkedHashSet<>();

    public ConfigReader(Map<String, ?> properties) {
        // A copy, so that later changes to the caller's map cannot change what was validated; null values
        // (which Configuration Admin never produces) count as absent.
        this.properties = Collections.unmodifiableMap(new HashMap<>(Objects.requireNonNull(properties, "properties")));
    }

    /** A trimmed string; empty when absent or blank. */
    public Optional<String> optionalString(String name) {
        return Optional.ofNullable(scalar(name, false));
    }

    /** A trimmed string, or {@code defaultValue} when absent or blank. */
    public String string(String name, String defaultValue) {
        return optionalString(name).orElse(defaultValue);
    }

    public String requiredString(String name) {
        return optionalString(name).orElseThrow(() -> InvalidConfigurationException.missing(name));
    }

    /** A required instance name, checked against the one rule of {@link InstanceNames}. */
    public String instanceName(String name) {
        String value = requiredString(name);
        if (!InstanceNames.isValid(value)) {
            throw InvalidConfigurationException.of(name, value, "expected " + InstanceNames.RULE);
        }
        return value;
    }

    /**
     * A multi-line text: a String exactly as configured (not trimmed: the bytes may matter), or the lines of an
     * array or Collection joined with LF. Empty when absent or blank.
     */
    public Optional<String> optionalText(String name) {
        Object value = raw(name);
        if (value == null) {
            return Optional.empty();
        }
        List<Object> lines = elements(value);
        String text;
        if (lines == null) {
            text = value.toString();
        } else {
            StringJoiner joined = new StringJoiner("\n");
            lines.forEach(line -> joined.add(String.valueOf(line)));
            text = joined.toString();
        }
        return text.isBlank() ? Optional.empty() : Optional.of(text);
    }

    /** {@code true} or {@code false}, in any letter case; "yes", "1" and the like are rejected. */
    public boolean bool(String name, boolean defaultValue) {
        return optionalBool(name).orElse(defaultValue);
    }

    /** Like {@link #bool}, but tells "not configured" apart from an explicit value. */
    public Optional<Boolean> optionalBool(String name) {
        String text = scalar(name, false);
        if (text == null) {
            return Optional.empty();
        }
        if (text.equalsIgnoreCase("true")) {
            return Optional.of(Boolean.TRUE);
        }
        if (text.equalsIgnoreCase("false")) {
            return Optional.of(Boolean.FALSE);
        }
        throw InvalidConfigurationException.of(name, text, "expected true or false");
    }

    /** A whole number in {@code min..max} (inclusive), or {@code defaultValue} when absent. */
    public int intInRange(String name, int defaultValue, int min, int max) {
        String text = scalar(name, false);
        if (text == null) {
            return defaultValue;
        }
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw InvalidConfigurationException.of(name, text, "expected a whole number in " + min + ".." + max);
        }
        if (value < min || value > max) {
            throw InvalidConfigurationException.of(name, text, "must be in " + min + ".." + max);
        }
        return (int) value;
    }

    /**
     * A duration of zero or more, or {@code defaultValue} when absent. Accepts {@code 30s}, {@code 500ms},
     * {@code 2m}, {@code 1h}, {@code 1d}, combinations largest unit first ({@code 1m30s}), ISO-8601
     * ({@code PT30S}), and a bare whole number, which means <em>seconds</em> (a Number value too).
     */
    public Duration duration(String name, Duration defaultValue) {
        Object value = raw(name);
        if (value != null) {
            Object single = single(name, value, false);
            if (single instanceof Duration) {
                if (((Duration) single).isNegative()) {
                    throw InvalidConfigurationException.of(name, single, "negative durations are not allowed");
                }
                return (Duration) single;
            }
        }
        String text = scalar(name, false);
        if (text == null) {
            return defaultValue;
        }
        try {
            return DurationText.parse(text);
        } catch (IllegalArgumentException e) {
            throw InvalidConfigurationException.of(name, text, e.getMessage(), e);
        }
    }

    /** Like {@link #duration}, but zero is rejected too. */
    public Duration positiveDuration(String name, Duration defaultValue) {
        Duration duration = duration(name, defaultValue);
        if (duration.isZero()) {
            throw InvalidConfigurationException.of(name, raw(name), "must be greater than zero");
        }
        return duration;
    }

    /** {@code host:port} or {@code [ipv6]:port} with a port in 1..65535; empty when absent. */
    public Optional<HostPort> hostPort(String name) {
        String text = scalar(name, false);
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(HostPort.parse(text));
        } catch (IllegalArgumentException e) {
            throw InvalidConfigurationException.of(name, text, e.getMessage(), e);
        }
    }

    /**
     * A list from an array or Collection (one element each) or a comma-separated String; elements are trimmed
     * and blank ones dropped. Empty when absent.
     */
    public List<String> stringList(String name) {
        return list(name, false);
    }

    /** Like {@link #stringList}, for secret elements ({@code .users}): the value is never shown in a message. */
    public List<String> secretList(String name) {
        return list(name, true);
    }

    /** A secret such as {@code .password}; empty when absent or blank. */
    public Optional<Secret> secret(String name) {
        return Optional.ofNullable(scalar(name, true)).map(Secret::of);
    }

    /** A secret string that is not itself a password but contains one, such as the {@code .uri}. */
    public Optional<String> secretString(String name) {
        return Optional.ofNullable(scalar(name, true));
    }

    /**
     * An absolute path to an existing, readable regular file. Relative paths are refused: the working directory
     * of an OSGi container is rarely what the author of a configuration file has in mind.
     */
    public Optional<Path> readableFile(String name) {
        String text = scalar(name, false);
        if (text == null) {
            return Optional.empty();
        }
        Path path;
        try {
            path = Path.of(text);
        } catch (InvalidPathException e) {
            throw InvalidConfigurationException.of(name, text, "not a valid path: " + e.getReason(), e);
        }
        if (!path.isAbsolute()) {
            throw InvalidConfigurationException.of(name, text, "must be an absolute path");
        }
        if (!Files.exists(path)) {
            throw InvalidConfigurationException.of(name, text, "no such file");
        }
        if (!Files.isRegularFile(path)) {
            throw InvalidConfigurationException.of(name, text, "not a regular file");
        }
        if (!Files.isReadable(path)) {
            throw InvalidConfigurationException.of(name, text, "not readable");
        }
        return Optional.of(path);
    }

    /** One of the constants of {@code defaultValue}'s enum, by name in any letter case. */
    public <E extends Enum<E>> E enumValue(String name, E defaultValue) {
        String text = scalar(name, false);
        if (text == null) {
            return defaultValue;
        }
        List<String> allowed = new ArrayList<>();
        for (E constant : defaultValue.getDeclaringClass().getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(text)) {
                return constant;
            }
            allowed.add(constant.name().toLowerCase(Locale.ROOT));
        }
        throw InvalidConfigurationException.of(name, text, "expected one of " + String.join(", ", allowed));
    }

    /**
     * Refuses a secret configured under its public name ({@code password} instead of {@code .password}).
     * Declarative Services publishes every property without a leading dot as a service property, so such a
     * value would be visible to every bundle and in {@code service:list}.
     */
    public void rejectPublished(String secretName) {
        if (!secretName.startsWith(".")) {
            throw new IllegalArgumentException("secret property names start with '.': " + secretName);
        }
        String publicName = secretName.substring(1);
        if (properties.containsKey(publicName)) {
            throw InvalidConfigurationException.ofSecret(publicName, "a secret would be published as a service"
                    + " property; configure it as '" + secretName + "'");
        }
    }

    /** The names asked for so far, in order. */
    public Set<String> namesRead() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(namesRead));
    }

    /** Configured names that nobody has asked for, except those that the framework adds; sorted. */
    public Set<String> unreadNames() {
        Set<String> unread = new TreeSet<>();
        for (String name : properties.keySet()) {
            if (!namesRead.contains(name) && FRAMEWORK_PREFIXES.stream().noneMatch(name::startsWith)) {
                unread.add(name);
            }
        }
        return unread;
    }

    private Object raw(String name) {
        namesRead.add(name);
        return properties.get(name);
    }

    /** The single value as trimmed text; null when absent, blank or an empty array. */
    private String scalar(String name, boolean secret) {
        Object value = raw(name);
        if (value == null) {
            return null;
        }
        Object single = single(name, value, secret);
        if (single == null) {
            return null;
        }
        String text = single.toString().strip();
        return text.isEmpty() ? null : text;
    }

    /** Unwraps a one-element array or Collection; null for an empty one. */
    private static Object single(String name, Object value, boolean secret) {
        List<Object> elements = elements(value);
        if (elements == null) {
            return value;
        }
        if (elements.size() > 1) {
            String reason = "expected a single value, got " + elements.size();
            throw secret ? InvalidConfigurationException.ofSecret(name, reason)
                    : InvalidConfigurationException.of(name, value, reason);
        }
        return elements.isEmpty() ? null : elements.get(0);
    }

    private List<String> list(String name, boolean secret) {
        Object value = raw(name);
        if (value == null) {
            return List.of();
        }
        List<Object> elements = elements(value);
        List<String> texts = new ArrayList<>();
        if (elements == null) {
            for (String part : value.toString().split(",", -1)) {
                texts.add(part);
            }
        } else {
            for (Object element : elements) {
                if (element == null) {
                    throw secret ? InvalidConfigurationException.ofSecret(name, "contains a null element")
                            : InvalidConfigurationException.of(name, value, "contains a null element");
                }
                texts.add(element.toString());
            }
        }
        List<String> result = new ArrayList<>(texts.size());
        for (String text : texts) {
            String kept = text.strip();
            if (!kept.isEmpty()) {
                result.add(kept);
            }
        }
        return List.copyOf(result);
    }

    /** The elements of an array (of any component type) or Collection; null for anything else. */
    private static List<Object> elements(Object value) {
        if (value instanceof Collection) {
            return new ArrayList<>((Collection<?>) value);
        }
        if (value.getClass().isArray()) {
            int length = Array.getLength(value);
            List<Object> elements = new ArrayList<>(length);
            for (int i = 0; i < length; i++) {
                elements.add(Array.get(value, i));
            }
            return elements;
        }
        return null;
    }
}
