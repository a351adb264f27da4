package org.anytls4j.anytls.padding;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The lenient padding scheme parser: reads a scheme the way the Go client does (spec §9.1, parser "L"),
 * so that a scheme pushed by a server shapes our traffic exactly as it would shape a Go client's.
 *
 * <ul>
 *   <li>Lines are split at LF only; a line without {@code =} is ignored; a line is split at its first
 *       {@code =}; a later duplicate key wins. Nothing is trimmed (a CR stays in the value).</li>
 *   <li>No {@code key=value} line at all, or no {@code stop}, or a {@code stop} that Go's {@code Atoi}
 *       refuses: the scheme is rejected as a whole (the caller keeps its old scheme).</li>
 *   <li>{@code stop} is read like Go's {@code Atoi} (optional sign, 64-bit) and cast to u32 like Go; a
 *       negative stop therefore means "practically never stop". Values above {@link Integer#MAX_VALUE} are
 *       capped to it, which is beyond any reachable packet count either way.</li>
 *   <li>A rule applies only to the key that is exactly the decimal packet index ({@code 01} never applies).</li>
 *   <li>Items: exactly {@code c} is a check mark; {@code a-b} (exactly one {@code -}) with two Go
 *       {@code ParseInt} integers is a range, swapped if {@code a > b}, skipped if either is {@code <= 0};
 *       anything else is skipped silently.</li>
 *   <li>Deliberate differences: a size above {@link #MAX_SIZE} (1 MiB) is skipped, and a scheme whose
 *       rules for the shaped packets ({@code 1 <= key < stop}) add up to more than {@link #MAX_RULE_SUM} for
 *       one packet or {@link #MAX_TOTAL_SUM} for all of them is rejected as a whole. Go would try to allocate
 *       whatever a server asks for; we do not let a remote peer size our buffers, or make us send gigabytes of
 *       padding, without limit. Shaping resolves all sizes of a packet at once, so without the per-packet limit a
 *       pushed rule of a few thousand 1 MiB items would make one write allocate gigabytes (found by
 *       {@code PaddingSchemeFuzzTest}).</li>
 * </ul>
 */
final class LenientSchemeParser {
    static final int MAX_SIZE = 1024 * 1024;
    /** The most padding one shaped packet may ask for (range maxima added up). */
    static final long MAX_RULE_SUM = 1024 * 1024;
    /** The most padding all shaped packets of a session may ask for together. */
    static final long MAX_TOTAL_SUM = 8 * 1024 * 1024;

    private static final String STOP_KEY = "stop";
    private static final String CHECK_MARK = "c";

    private LenientSchemeParser() {
    }

    static PaddingScheme parse(byte[] raw) {
        // ISO-8859-1 maps every byte to one char, so keys and values compare byte for byte as in Go.
        Map<String, String> entries = new LinkedHashMap<>();
        for (String line : new String(raw, StandardCharsets.ISO_8859_1).split("\n", -1)) {
            int equals = line.indexOf('=');
            if (equals >= 0) {
                entries.put(line.substring(0, equals), line.substring(equals + 1));
            }
        }
        if (entries.isEmpty()) {
            throw new InvalidPaddingSchemeException("padding scheme has no key=value line");
        }
        String stopText = entries.get(STOP_KEY);
        if (stopText == null) {
            throw new InvalidPaddingSchemeException("padding scheme has no 'stop' key");
        }
        OptionalLong stop = goParseInt(stopText);
        if (stop.isEmpty()) {
            throw new InvalidPaddingSchemeException("padding scheme stop '" + stopText + "' is not an integer");
        }

        Map<Integer, List<SizeItem>> rules = new HashMap<>();
        entries.forEach((key, value) -> {
            int packet = packetIndex(key);
            if (packet >= 0) {
                List<SizeItem> items = parseItems(value);
                if (!items.isEmpty()) {
                    rules.put(packet, items);
                }
            }
        });
        int stopPacket = asGoUint32(stop.getAsLong());
        checkBudget(rules, stopPacket);
        return new PaddingScheme(raw, stopPacket, rules);
    }

    /** Rejects a scheme whose shaped packets ask for more padding than a client should ever produce. */
    private static void checkBudget(Map<Integer, List<SizeItem>> rules, int stop) {
        long total = 0;
        for (Map.Entry<Integer, List<SizeItem>> rule : rules.entrySet()) {
            int packet = rule.getKey();
            if (packet < 1 || packet >= stop) {
                continue; // key 0 is the auth padding (one u16), keys from stop on never apply
            }
            long sum = 0;
            for (SizeItem item : rule.getValue()) {
                sum += item.isCheckMark() ? 0 : item.max();
            }
            if (sum > MAX_RULE_SUM) {
                throw new InvalidPaddingSchemeException("padding scheme key " + packet + " sizes add up to " + sum
                        + " bytes, more than the " + MAX_RULE_SUM + " a client pads one packet with");
            }
            total += sum;
        }
        if (total > MAX_TOTAL_SUM) {
            throw new InvalidPaddingSchemeException("padding scheme sizes add up to " + total
                    + " bytes, more than the " + MAX_TOTAL_SUM + " a client pads one session with");
        }
    }

    private static int asGoUint32(long stop) {
        long unsigned = stop & 0xFFFF_FFFFL;
        return (int) Math.min(unsigned, Integer.MAX_VALUE);
    }

    /** The packet index a key stands for, or -1 if Go's lookup by {@code strconv.Itoa(packet)} never finds it. */
    private static int packetIndex(String key) {
        OptionalLong value = goParseInt(key);
        if (value.isEmpty() || value.getAsLong() < 0 || value.getAsLong() > Integer.MAX_VALUE) {
            return -1;
        }
        int packet = (int) value.getAsLong();
        return Integer.toString(packet).equals(key) ? packet : -1;
    }

    private static List<SizeItem> parseItems(String value) {
        List<SizeItem> items = new ArrayList<>();
        for (String text : value.split(",", -1)) {
            String[] bounds = text.split("-", -1);
            if (bounds.length == 2) {
                OptionalLong a = goParseInt(bounds[0]);
                OptionalLong b = goParseInt(bounds[1]);
                if (a.isEmpty() || b.isEmpty()) {
                    continue;
                }
                long min = Math.min(a.getAsLong(), b.getAsLong());
                long max = Math.max(a.getAsLong(), b.getAsLong());
                if (min > 0 && max <= MAX_SIZE) {
                    items.add(SizeItem.range((int) min, (int) max));
                }
            } else if (text.equals(CHECK_MARK)) {
                items.add(SizeItem.checkMark());
            }
        }
        return items;
    }

    /** Go's {@code strconv.ParseInt(s, 10, 64)}: optional sign, ASCII digits, empty on overflow or junk. */
    private static OptionalLong goParseInt(String text) {
        int start = !text.isEmpty() && (text.charAt(0) == '+' || text.charAt(0) == '-') ? 1 : 0;
        if (start == text.length()) {
            return OptionalLong.empty();
        }
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return OptionalLong.empty();
            }
        }
        try {
            return OptionalLong.of(Long.parseLong(text));
        } catch (NumberFormatException overflow) {
            return OptionalLong.empty();
        }
    }
}
