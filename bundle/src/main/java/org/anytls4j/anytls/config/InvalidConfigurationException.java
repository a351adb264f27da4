package org.anytls4j.anytls.config;

import java.util.Collection;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * A configuration property has a value that cannot be used. The message always has the form
 * {@code Invalid value for '<property>': <value> (<reason>)}; the value of a secret property is shown as
 * {@code ***}, so the message can be logged as it is.
 */
public final class InvalidConfigurationException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** Longer values are cut in messages: a padding scheme or a certificate must not flood a log line. */
    private static final int MAX_SHOWN_CHARS = 120;

    static final String MASK = "***";

    private final String property;

    private InvalidConfigurationException(String property, String shownValue, String reason, Throwable cause) {
        super("Invalid value for '" + property + "': " + shownValue + " (" + reason + ")", cause);
        this.property = property;
    }

    /** A rejected value of a property that is not secret; the value appears in the message. */
    public static InvalidConfigurationException of(String property, Object value, String reason) {
        return new InvalidConfigurationException(requireProperty(property), describe(value), reason, null);
    }

    /** Like {@link #of(String, Object, String)}, keeping the underlying failure as the cause. */
    public static InvalidConfigurationException of(String property, Object value, String reason, Throwable cause) {
        return new InvalidConfigurationException(requireProperty(property), describe(value), reason, cause);
    }

    /** A rejected value of a secret property: the message shows {@code ***} instead of the value. */
    public static InvalidConfigurationException ofSecret(String property, String reason) {
        return new InvalidConfigurationException(requireProperty(property), MASK, reason, null);
    }

    /** A required property that has no value. */
    public static InvalidConfigurationException missing(String property) {
        return new InvalidConfigurationException(requireProperty(property), "<missing>", "required", null);
    }

    /** The name of the offending configuration property, e.g. {@code idleSessionTimeout} or {@code .password}. */
    public String property() {
        return property;
    }

    private static String requireProperty(String property) {
        return Objects.requireNonNull(property, "property");
    }

    static String describe(Object value) {
        if (value == null) {
            return "<missing>";
        }
        if (value instanceof Object[]) {
            StringJoiner joined = new StringJoiner(", ", "[", "]");
            for (Object element : (Object[]) value) {
                joined.add(describe(element));
            }
            return joined.toString();
        }
        if (value instanceof Collection) {
            StringJoiner joined = new StringJoiner(", ", "[", "]");
            for (Object element : (Collection<?>) value) {
                joined.add(describe(element));
            }
            return joined.toString();
        }
        if (value instanceof CharSequence) {
            return "'" + printable(value.toString()) + "'";
        }
        return printable(value.toString());
    }

    /** Keeps a message on one line and of bounded length, whatever the configured value holds. */
    private static String printable(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_SHOWN_CHARS) + 8);
        for (int i = 0; i < text.length(); i++) {
            if (out.length() >= MAX_SHOWN_CHARS) {
                out.append("...");
                break;
            }
            char c = text.charAt(i);
            if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c == '\t') {
                out.append("\\t");
            } else if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
