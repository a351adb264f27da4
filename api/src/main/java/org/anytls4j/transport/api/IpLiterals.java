package org.anytls4j.transport.api;

/**
 * Parses and formats IP address literals without ever touching a resolver.
 *
 * <p>{@code InetAddress.getByName} is not used on purpose: given anything that is not a literal it performs a DNS
 * lookup, and its IPv4 grammar accepts legacy forms ({@code 1.2.3}, {@code 0x7f.1}) that other stacks read
 * differently. Parsing here is strict so that one text always means one address for every component that sees it.
 */
final class IpLiterals {
    private static final int IPV6_GROUPS = 8;

    private IpLiterals() {
    }

    /**
     * Strict dotted-quad IPv4: exactly four decimal parts 0..255 without leading zeros.
     *
     * @return the four address bytes, or {@code null} when {@code text} is not such a literal
     */
    static byte[] parseIpv4(String text) {
        byte[] bytes = new byte[4];
        int part = 0;
        int start = 0;
        int length = text.length();
        for (int i = 0; i <= length; i++) {
            if (i < length && text.charAt(i) != '.') {
                continue;
            }
            if (part == 4) {
                return null;
            }
            int value = decimalOctet(text, start, i);
            if (value < 0) {
                return null;
            }
            bytes[part++] = (byte) value;
            start = i + 1;
        }
        return part == 4 ? bytes : null;
    }

    /** @return the value of {@code text[start, end)} as an octet, or -1 if it is not a canonical decimal 0..255 */
    private static int decimalOctet(String text, int start, int end) {
        int digits = end - start;
        // Leading zeros are refused because some parsers read "010" as octal 8 and others as decimal 10.
        if (digits < 1 || digits > 3 || (digits > 1 && text.charAt(start) == '0')) {
            return -1;
        }
        int value = 0;
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value <= 255 ? value : -1;
    }

    /**
     * RFC 4291 §2.2 text form: eight groups of up to four hex digits, at most one {@code ::}, optionally ending in
     * a dotted-quad IPv4. Zone ids ({@code %eth0}) are not accepted by this parser; callers decide about them.
     *
     * @return the sixteen address bytes, or {@code null} when {@code text} is not such a literal
     */
    static byte[] parseIpv6(String text) {
        int gap = text.indexOf("::");
        if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
            return null;
        }
        String head = gap >= 0 ? text.substring(0, gap) : text;
        String tail = gap >= 0 ? text.substring(gap + 2) : "";
        int[] headGroups = hexGroups(head, gap < 0);
        int[] tailGroups = hexGroups(tail, true);
        if (headGroups == null || tailGroups == null) {
            return null;
        }
        int count = headGroups.length + tailGroups.length;
        // "::" stands for at least one zero group, so an address with it has at most seven explicit groups.
        if (gap >= 0 ? count > IPV6_GROUPS - 1 : count != IPV6_GROUPS) {
            return null;
        }
        byte[] bytes = new byte[16];
        for (int i = 0; i < headGroups.length; i++) {
            putGroup(bytes, i, headGroups[i]);
        }
        for (int i = 0; i < tailGroups.length; i++) {
            putGroup(bytes, IPV6_GROUPS - tailGroups.length + i, tailGroups[i]);
        }
        return bytes;
    }

    private static void putGroup(byte[] bytes, int index, int group) {
        bytes[2 * index] = (byte) (group >>> 8);
        bytes[2 * index + 1] = (byte) group;
    }

    /**
     * Splits a colon-separated run of hex groups; the empty string is zero groups.
     *
     * @param mayEndInIpv4 whether the last group may be a dotted quad (true only at the very end of the address)
     * @return the 16-bit groups (an IPv4 tail counts as two), or {@code null} if malformed
     */
    private static int[] hexGroups(String run, boolean mayEndInIpv4) {
        if (run.isEmpty()) {
            return new int[0];
        }
        String[] parts = run.split(":", -1);
        int last = parts.length - 1;
        boolean ipv4Tail = mayEndInIpv4 && parts[last].indexOf('.') >= 0;
        int[] groups = new int[ipv4Tail ? parts.length + 1 : parts.length];
        for (int i = 0; i < parts.length; i++) {
            if (i == last && ipv4Tail) {
                byte[] v4 = parseIpv4(parts[i]);
                if (v4 == null) {
                    return null;
                }
                groups[i] = ((v4[0] & 0xff) << 8) | (v4[1] & 0xff);
                groups[i + 1] = ((v4[2] & 0xff) << 8) | (v4[3] & 0xff);
            } else {
                int group = hexGroup(parts[i]);
                if (group < 0) {
                    return null;
                }
                groups[i] = group;
            }
        }
        return groups;
    }

    private static int hexGroup(String part) {
        if (part.isEmpty() || part.length() > 4) {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < part.length(); i++) {
            int digit = Character.digit(part.charAt(i), 16);
            // Character.digit also accepts non-ASCII digits; an address literal is ASCII only.
            if (digit < 0 || part.charAt(i) > 0x7f) {
                return -1;
            }
            value = (value << 4) | digit;
        }
        return value;
    }

    /** @return whether {@code bytes} (16 long) is an IPv4-mapped IPv6 address, {@code ::ffff:a.b.c.d} */
    static boolean isIpv4Mapped(byte[] bytes) {
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
    }

    static String formatIpv4(byte[] bytes) {
        return (bytes[0] & 0xff) + "." + (bytes[1] & 0xff) + "." + (bytes[2] & 0xff) + "." + (bytes[3] & 0xff);
    }

    /**
     * RFC 5952 canonical text: lower-case hex without leading zeros, the longest run of two or more zero groups
     * (the first one on a tie) shortened to {@code ::}. {@code InetAddress.getHostAddress} does not compress,
     * and two spellings of one address must compare equal in {@link Destination}.
     */
    static String formatIpv6(byte[] bytes) {
        int[] groups = new int[IPV6_GROUPS];
        for (int i = 0; i < IPV6_GROUPS; i++) {
            groups[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < IPV6_GROUPS; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int end = i;
            while (end < IPV6_GROUPS && groups[end] == 0) {
                end++;
            }
            if (end - i > bestLength) {
                bestStart = i;
                bestLength = end - i;
            }
            i = end;
        }
        StringBuilder text = new StringBuilder(39);
        for (int i = 0; i < IPV6_GROUPS; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }
}
