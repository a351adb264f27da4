package org.anytls4j.anytls.wire;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The {@code key=value} text of Settings and ServerSettings bodies (spec §6).
 *
 * <p>Parsing copies the Go implementations, not the more forgiving anytls-rs: lines are separated by LF only,
 * split at the first {@code '='}, lines without {@code '='} are ignored, the last duplicate wins and nothing is
 * trimmed — a {@code '\r'} or a space stays part of the key or value. Trimming would make this side accept a body
 * that every Go peer reads differently (e.g. {@code "v=2\r"} is not version 2 for them), so both ends of a
 * session would disagree about what was negotiated.
 */
public final class Settings {

    public static final String KEY_VERSION = "v";
    public static final String KEY_CLIENT = "client";
    public static final String KEY_PADDING_MD5 = "padding-md5";

    /** The protocol version this implementation speaks. */
    public static final int PROTOCOL_VERSION = 2;

    /** The body every v2 server sends in its ServerSettings frame (§6.3). */
    public static final String SERVER_SETTINGS_V2 = "v=2";

    private Settings() {
    }

    /** Parses the readable bytes of {@code body} without consuming them. Keys keep their first-seen order. */
    public static Map<String, String> parse(ByteBuf body) {
        return parse(body.toString(body.readerIndex(), body.readableBytes(), StandardCharsets.UTF_8));
    }

    /** Parses a UTF-8 settings body. Keys keep their first-seen order. */
    public static Map<String, String> parse(byte[] body) {
        return parse(new String(body, StandardCharsets.UTF_8));
    }

    /** Parses settings text. Keys keep their first-seen order. */
    public static Map<String, String> parse(String text) {
        Map<String, String> settings = new LinkedHashMap<>();
        int lineStart = 0;
        while (lineStart <= text.length()) {
            int lineEnd = text.indexOf('\n', lineStart);
            if (lineEnd < 0) {
                lineEnd = text.length();
            }
            String line = text.substring(lineStart, lineEnd);
            int equals = line.indexOf('=');
            if (equals >= 0) {
                settings.put(line.substring(0, equals), line.substring(equals + 1));
            }
            lineStart = lineEnd + 1;
        }
        return Collections.unmodifiableMap(settings);
    }

    /**
     * Joins the entries of {@code settings}, in its iteration order, as {@code key=value} lines separated by LF,
     * without a trailing LF (§6.1). Pass a {@link LinkedHashMap} to fix the order.
     *
     * @throws IllegalArgumentException if a key is empty or holds {@code '='} or LF, or a value holds LF: such
     *     text would not parse back to the same entries
     */
    public static String format(Map<String, String> settings) {
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, String> entry : settings.entrySet()) {
            String key = checkKey(entry.getKey());
            String value = checkValue(key, entry.getValue());
            if (text.length() > 0) {
                text.append('\n');
            }
            text.append(key).append('=').append(value);
        }
        return text.toString();
    }

    /**
     * Like {@link #format(Map)} for alternating keys and values: {@code format("v", "2", "client", "x")}.
     *
     * @throws IllegalArgumentException for an odd number of arguments or a key or value {@link #format(Map)}
     *     rejects
     */
    public static String format(String... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("settings need a value for every key, got " + keysAndValues.length
                + " strings");
        }
        Map<String, String> settings = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            String key = checkKey(keysAndValues[i]);
            if (settings.put(key, keysAndValues[i + 1]) != null) {
                throw new IllegalArgumentException("settings key '" + key + "' appears twice");
            }
        }
        return format(settings);
    }

    /**
     * The client settings body in the recommended key order {@code v}, {@code client}, {@code padding-md5} (§6.1).
     *
     * @param paddingMd5 lowercase hex md5 of the raw bytes of the client's current padding scheme
     */
    public static String clientSettings(String clientName, String paddingMd5) {
        return format(KEY_VERSION, Integer.toString(PROTOCOL_VERSION), KEY_CLIENT, clientName,
            KEY_PADDING_MD5, paddingMd5);
    }

    /**
     * The peer's protocol version, read from {@code v} the way Go's {@code strconv.Atoi} reads it: an optional
     * sign, then decimal digits, nothing else. Empty when {@code v} is missing or does not parse — also when it
     * overflows 64 bits, where Atoi fails too. A value that parses but does not fit an {@code int} is clamped,
     * because Go still accepts it and the only question ever asked of it is "at least 2?".
     */
    public static OptionalInt version(Map<String, String> settings) {
        String value = settings.get(KEY_VERSION);
        if (value == null || value.isEmpty()) {
            return OptionalInt.empty();
        }
        int start = value.charAt(0) == '+' || value.charAt(0) == '-' ? 1 : 0;
        if (start == value.length()) {
            return OptionalInt.empty();
        }
        for (int i = start; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return OptionalInt.empty();
            }
        }
        long parsed;
        try {
            // Long.parseLong accepts exactly the validated form (it would also accept non-ASCII digits, excluded above).
            parsed = Long.parseLong(value);
        } catch (NumberFormatException outOfRange) {
            return OptionalInt.empty();
        }
        return OptionalInt.of((int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, parsed)));
    }

    private static String checkKey(String key) {
        Objects.requireNonNull(key, "settings key");
        if (key.isEmpty() || key.indexOf('=') >= 0 || key.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("settings key '" + escape(key)
                + "' must be non-empty and contain neither '=' nor LF");
        }
        return key;
    }

    private static String checkValue(String key, String value) {
        Objects.requireNonNull(value, () -> "value of settings key '" + key + "'");
        if (value.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("value '" + escape(value) + "' of settings key '" + key
                + "' must not contain LF");
        }
        return value;
    }

    private static String escape(String s) {
        return s.replace("\n", "\\n").replace("\r", "\\r");
    }
}
