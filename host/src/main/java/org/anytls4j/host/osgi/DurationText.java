package org.anytls4j.host.osgi;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them in configuration files: {@code 500ms}, {@code 30s}, {@code 1m30s}, {@code PT30S}. */
final class DurationText {
    private static final Pattern WHOLE = Pattern.compile("(?:\\d+(?:ms|s|m|h))+");
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h)");

    private DurationText() {
    }

    /**
     * Parses a positive duration: whole numbers with units ms, s, m, h (combinable, largest first or not), a bare
     * whole number of seconds, or ISO-8601 ({@code PT30S}).
     *
     * @throws IllegalArgumentException naming {@code property} and the text, if it is none of these or not positive
     */
    static Duration parsePositive(String text, String property) {
        Duration duration = parse(text, property);
        if (duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException(property + " must be positive, got '" + text + "'");
        }
        return duration;
    }

    private static Duration parse(String text, String property) {
        String trimmed = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        try {
            if (trimmed.matches("\\d{1,12}")) {
                return Duration.ofSeconds(Long.parseLong(trimmed));
            }
            if (trimmed.startsWith("pt")) {
                return Duration.parse(trimmed.toUpperCase(Locale.ROOT));
            }
            if (WHOLE.matcher(trimmed).matches()) {
                Duration total = Duration.ZERO;
                Matcher part = PART.matcher(trimmed);
                while (part.find()) {
                    long amount = Long.parseLong(part.group(1));
                    switch (part.group(2)) {
                        case "ms":
                            total = total.plusMillis(amount);
                            break;
                        case "s":
                            total = total.plusSeconds(amount);
                            break;
                        case "m":
                            total = total.plusMinutes(amount);
                            break;
                        default:
                            total = total.plusHours(amount);
                            break;
                    }
                }
                return total;
            }
        } catch (NumberFormatException | DateTimeParseException | ArithmeticException invalid) {
            throw new IllegalArgumentException(property + " is not a valid duration: '" + text + "'", invalid);
        }
        throw new IllegalArgumentException(property + " is not a valid duration: '" + text
                + "' (expected e.g. 500ms, 30s, 2m, 1h, 1m30s, PT30S or a number of seconds)");
    }
}
