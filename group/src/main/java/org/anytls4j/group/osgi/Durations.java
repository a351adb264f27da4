package org.anytls4j.group.osgi;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as written in configuration files: {@code 500ms}, {@code 30s}, {@code 1m30s}, {@code PT30S}, {@code 30}. */
final class Durations {
    private static final Pattern WHOLE = Pattern.compile("(?:\\d{1,9}(?:ms|s|m|h))+");
    private static final Pattern PART = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

    private Durations() {
    }

    /** @throws IllegalArgumentException naming {@code property} and the text, if it is not a duration */
    static Duration parse(String text, String property) {
        String trimmed = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        try {
            if (trimmed.matches("\\d{1,9}")) {
                return Duration.ofSeconds(Long.parseLong(trimmed));
            }
            if (trimmed.startsWith("pt")) {
                return Duration.parse(trimmed.toUpperCase(Locale.ROOT));
            }
        } catch (DateTimeParseException invalid) {
            throw new IllegalArgumentException(property + " is not a valid duration: '" + text + "'", invalid);
        }
        if (!WHOLE.matcher(trimmed).matches()) {
            throw new IllegalArgumentException(property + " is not a valid duration: '" + text
                    + "' (expected e.g. 500ms, 30s, 2m, 1h, 1m30s, PT30S or a number of seconds)");
        }
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
}
