package org.anytls4j.anytls.padding;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The strict padding scheme parser, for schemes this side configures (and, as a server, pushes).
 *
 * <p>It follows the hardened rules of spec §9.1 so that we never push a scheme that a Go client reads
 * differently from us or that asks for absurd sizes:
 * <ul>
 *   <li>at most 8192 bytes, printable ASCII only; lines are separated by LF alone (a CR is rejected, because
 *       Go keeps it in the value and would then drop the item or the whole scheme);</li>
 *   <li>empty lines are allowed (so a trailing LF parses, although it changes the md5, §9.6); every other
 *       line is {@code key=value} and keys are unique (Go keeps the last duplicate silently);</li>
 *   <li>{@code stop} is required, decimal, {@code 1 <= stop <= 256} (Go would read a negative stop as
 *       "never stop"; we refuse it);</li>
 *   <li>other keys are packet indexes, decimal without sign or leading zero, below 256 (Go looks a rule up
 *       by the exact string, so {@code 01} would silently never apply);</li>
 *   <li>a rule has 1 to 16 comma-separated items; an item is exactly {@code c} or {@code min-max} with
 *       decimal sizes in {@code 1..65535} and {@code min <= max}. A reversed range is rejected rather than
 *       swapped as Go does: it is almost certainly a typo, and a strict parser should say so;</li>
 *   <li>the maxima of one rule add up to at most 128 KiB, those of all rules to at most 1 MiB;</li>
 *   <li>key {@code 0} must not start with {@code c}: Go clients would then announce 65535 bytes of auth
 *       padding without sending them, and fail authentication (spec §3.1).</li>
 * </ul>
 * Keys at or above {@code stop} are accepted and never used, as in every implementation.
 */
final class StrictSchemeParser {
    static final int MAX_SCHEME_BYTES = 8192;
    static final int MAX_STOP = 256;
    static final int MAX_PACKET_KEY = 255;
    static final int MAX_ITEMS_PER_RULE = 16;
    static final int MAX_SIZE = 65535;
    static final int MAX_RULE_SUM = 128 * 1024;
    static final int MAX_TOTAL_SUM = 1024 * 1024;

    private static final String STOP_KEY = "stop";
    private static final String CHECK_MARK = "c";

    private StrictSchemeParser() {
    }

    static PaddingScheme parse(byte[] raw) {
        if (raw.length == 0) {
            throw invalid("padding scheme is empty");
        }
        if (raw.length > MAX_SCHEME_BYTES) {
            throw invalid("padding scheme is " + raw.length + " bytes, more than the " + MAX_SCHEME_BYTES
                    + " allowed");
        }
        requirePrintableAscii(raw);

        String[] lines = new String(raw, StandardCharsets.US_ASCII).split("\n", -1);
        Map<String, Integer> lineOfKey = new HashMap<>();
        Map<Integer, List<SizeItem>> rules = new HashMap<>();
        int stop = -1;
        long totalSum = 0;
        for (int index = 0; index < lines.length; index++) {
            int lineNumber = index + 1;
            String line = lines[index];
            if (line.isEmpty()) {
                continue;
            }
            int equals = line.indexOf('=');
            if (equals < 0) {
                throw invalid(lineNumber, "'" + line + "' is not key=value");
            }
            String key = line.substring(0, equals);
            String value = line.substring(equals + 1);
            Integer firstLine = lineOfKey.putIfAbsent(key, lineNumber);
            if (firstLine != null) {
                throw invalid(lineNumber, "duplicate key '" + key + "' (first on line " + firstLine + ")");
            }
            if (key.equals(STOP_KEY)) {
                stop = parseStop(lineNumber, value);
            } else {
                int packet = parsePacketKey(lineNumber, key);
                List<SizeItem> items = parseRule(lineNumber, packet, value);
                totalSum += ruleSum(items);
                rules.put(packet, items);
            }
        }
        if (stop < 0) {
            throw invalid("padding scheme has no 'stop' key");
        }
        if (totalSum > MAX_TOTAL_SUM) {
            throw invalid("padding scheme sizes add up to " + totalSum + " bytes, more than the " + MAX_TOTAL_SUM
                    + " allowed");
        }
        return new PaddingScheme(raw, stop, rules);
    }

    private static void requirePrintableAscii(byte[] raw) {
        int lineNumber = 1;
        for (byte b : raw) {
            if (b == '\n') {
                lineNumber++;
            } else if (b < 0x20 || b > 0x7e) {
                String why = b == '\r' ? " (lines must end with LF only)" : " (only printable ASCII is allowed)";
                throw invalid(lineNumber, String.format("byte 0x%02x is not allowed%s", b & 0xff, why));
            }
        }
    }

    private static int parseStop(int lineNumber, String value) {
        long stop = decimal(value);
        if (stop < 0) {
            throw invalid(lineNumber, "stop '" + value + "' is not a decimal number");
        }
        if (stop < 1 || stop > MAX_STOP) {
            throw invalid(lineNumber, "stop " + value + " is out of range 1.." + MAX_STOP);
        }
        return (int) stop;
    }

    private static int parsePacketKey(int lineNumber, String key) {
        long packet = decimal(key);
        if (packet < 0 || packet > MAX_PACKET_KEY) {
            throw invalid(lineNumber, "key '" + key + "' is neither 'stop' nor a packet index 0.." + MAX_PACKET_KEY
                    + " (decimal, no sign, no leading zero)");
        }
        return (int) packet;
    }

    private static List<SizeItem> parseRule(int lineNumber, int packet, String value) {
        String[] texts = value.split(",", -1);
        if (texts.length > MAX_ITEMS_PER_RULE) {
            throw invalid(lineNumber, "key " + packet + " has " + texts.length + " items, at most "
                    + MAX_ITEMS_PER_RULE + " are allowed");
        }
        List<SizeItem> items = new ArrayList<>(texts.length);
        for (int i = 0; i < texts.length; i++) {
            items.add(parseItem(lineNumber, packet, i + 1, texts[i]));
        }
        if (packet == 0 && items.get(0).isCheckMark()) {
            throw invalid(lineNumber, "key 0 starts with 'c', but its first item is the auth padding length");
        }
        long sum = ruleSum(items);
        if (sum > MAX_RULE_SUM) {
            throw invalid(lineNumber, "key " + packet + " sizes add up to " + sum + " bytes, more than the "
                    + MAX_RULE_SUM + " allowed");
        }
        return items;
    }

    private static SizeItem parseItem(int lineNumber, int packet, int position, String text) {
        String where = "key " + packet + " item " + position + " '" + text + "'";
        if (text.equals(CHECK_MARK)) {
            return SizeItem.checkMark();
        }
        int dash = text.indexOf('-');
        if (dash < 0 || text.indexOf('-', dash + 1) >= 0) {
            throw invalid(lineNumber, where + " is neither 'c' nor 'min-max'");
        }
        long min = size(lineNumber, where, text.substring(0, dash));
        long max = size(lineNumber, where, text.substring(dash + 1));
        if (min > max) {
            throw invalid(lineNumber, where + " has min " + min + " > max " + max);
        }
        return SizeItem.range((int) min, (int) max);
    }

    private static long size(int lineNumber, String where, String text) {
        long size = decimal(text);
        if (size < 0) {
            throw invalid(lineNumber, where + ": '" + text + "' is not a decimal number");
        }
        if (size < 1 || size > MAX_SIZE) {
            throw invalid(lineNumber, where + ": size " + text + " is out of range 1.." + MAX_SIZE);
        }
        return size;
    }

    private static long ruleSum(List<SizeItem> items) {
        long sum = 0;
        for (SizeItem item : items) {
            if (!item.isCheckMark()) {
                sum += item.max();
            }
        }
        return sum;
    }

    /**
     * The value of a canonical decimal (digits only, no leading zero unless it is "0"), or -1. Values too
     * long to matter come back as {@link Long#MAX_VALUE} so that range checks report them.
     */
    private static long decimal(String text) {
        if (text.isEmpty() || (text.length() > 1 && text.charAt(0) == '0')) {
            return -1;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
        }
        return text.length() > 18 ? Long.MAX_VALUE : Long.parseLong(text);
    }

    private static InvalidPaddingSchemeException invalid(int lineNumber, String message) {
        return invalid("padding scheme line " + lineNumber + ": " + message);
    }

    private static InvalidPaddingSchemeException invalid(String message) {
        return new InvalidPaddingSchemeException(message);
    }
}
