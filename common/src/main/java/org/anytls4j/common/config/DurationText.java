package org.anytls4j.common.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the duration notations users bring from other AnyTLS configurations:
 * <ul>
 *   <li>Go-style units as in sing-box ({@code 30s}, {@code 500ms}, {@code 2m}, {@code 1h}, {@code 1d},
 *       combined largest first: {@code 1m30s}); whole numbers only, lower-case units;</li>
 *   <li>ISO-8601 as {@link Duration#parse} reads it ({@code PT30S});</li>
 *   <li>a bare whole number, meaning <em>seconds</em>, as mihomo's {@code idle-session-timeout: 30}.</li>
 * </ul>
 * Negative durations are refused: every duration in this project's configurations is a timeout, an interval or
 * an age. The one grammar of both bundles (client, server, host and direct transport configurations), so that a
 * value that works in one {@code .cfg} file works in every other.
 */
public final class DurationText {

    public static final String EXPECTED = "expected a duration such as 30s, 500ms, 1m30s, PT30S, or whole seconds";

    private static final Pattern PART = Pattern.compile("(\\d+)(ms|d|h|m|s)");
    /** Units in the only order they may appear; each at most once. */
    private static final String[] UNIT_ORDER = {"d", "h", "m", "s", "ms"};

    private DurationText() {
    }

    /**
     * @throws IllegalArgumentException with the reason; the caller adds the property name and value
     */
    public static Duration parse(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException(EXPECTED);
        }
        if (text.startsWith("-")) {
            throw new IllegalArgumentException("negative durations are not allowed");
        }
        if (text.startsWith("P") || text.startsWith("p")) {
            return parseIso(text);
        }
        if (text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Duration.ofSeconds(parseAmount(text));
        }
        return parseUnits(text);
    }

    /**
     * Parses a duration greater than zero; surrounding white space is ignored.
     *
     * @throws IllegalArgumentException naming {@code property} and the text, if it is not a duration or not positive
     */
    public static Duration parsePositive(String text, String property) {
        Duration duration = parseNonNegative(text, property);
        if (duration.isZero()) {
            throw new IllegalArgumentException(property + " must be positive, got '" + text + "'");
        }
        return duration;
    }

    /**
     * Parses a duration of zero or more; surrounding white space is ignored.
     *
     * @throws IllegalArgumentException naming {@code property} and the text, if it is not a duration
     */
    public static Duration parseNonNegative(String text, String property) {
        if (text == null) {
            throw new IllegalArgumentException(property + " is required (" + EXPECTED + ")");
        }
        try {
            return parse(text.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(property + " is not a valid duration: '" + text + "' ("
                    + e.getMessage() + ")", e);
        }
    }

    private static Duration parseIso(String text) {
        Duration duration;
        try {
            duration = Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(EXPECTED, e);
        }
        if (duration.isNegative()) {
            throw new IllegalArgumentException("negative durations are not allowed");
        }
        return duration;
    }

    private static Duration parseUnits(String text) {
        Matcher part = PART.matcher(text);
        Duration total = Duration.ZERO;
        int position = 0;
        int nextUnit = 0;
        while (position < text.length()) {
            if (!part.find(position) || part.start() != position) {
                throw new IllegalArgumentException(EXPECTED);
            }
            String unit = part.group(2);
            int unitIndex = indexOfUnit(unit);
            if (unitIndex < nextUnit) {
                throw new IllegalArgumentException("units must appear once each, largest first (as in 1h30m)");
            }
            nextUnit = unitIndex + 1;
            total = add(total, parseAmount(part.group(1)), unit);
            position = part.end();
        }
        return total;
    }

    private static Duration add(Duration total, long amount, String unit) {
        try {
            switch (unit) {
                case "d":
                    return total.plus(Duration.ofDays(amount));
                case "h":
                    return total.plus(Duration.ofHours(amount));
                case "m":
                    return total.plus(Duration.ofMinutes(amount));
                case "s":
                    return total.plus(Duration.ofSeconds(amount));
                default:
                    return total.plus(Duration.ofMillis(amount));
            }
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("too large", e);
        }
    }

    private static long parseAmount(String digits) {
        try {
            long amount = Long.parseLong(digits);
            // Keeps every unit conversion above (days to seconds at most) clear of overflow.
            if (amount > Long.MAX_VALUE / 86_400) {
                throw new IllegalArgumentException("too large");
            }
            return amount;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("too large", e);
        }
    }

    private static int indexOfUnit(String unit) {
        for (int i = 0; i < UNIT_ORDER.length; i++) {
            if (UNIT_ORDER[i].equals(unit)) {
                return i;
            }
        }
        throw new IllegalStateException("unit not in UNIT_ORDER: " + unit);
    }
}
