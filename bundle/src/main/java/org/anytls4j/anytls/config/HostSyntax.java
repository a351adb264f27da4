package org.anytls4j.anytls.config;

/**
 * Recognises host names and IP literals by their text alone. Nothing here resolves a name: configuration is
 * validated at activation, where a DNS lookup could block or fail for a transient reason (toolchain pitfall 9).
 * The JDK's {@code InetAddress.getByName} is avoided for the same reason: it falls back to DNS for text it
 * does not recognise as a literal.
 */
final class HostSyntax {

    private static final int MAX_DNS_NAME_LENGTH = 253;
    private static final int MAX_LABEL_LENGTH = 63;

    private HostSyntax() {
    }

    static boolean isIpLiteral(String text) {
        return isIpv4Literal(text) || isIpv6Literal(text);
    }

    /** Dotted-quad IPv4 only; the legacy short forms ({@code 127.1}) and leading zeros (octal?) are refused. */
    static boolean isIpv4Literal(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !allDigits(part)
                    || (part.length() > 1 && part.charAt(0) == '0') || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    /**
     * An IPv6 address without brackets, in any RFC 4291 text form (with {@code ::} and a trailing dotted quad).
     * Zone ids ({@code %eth0}) are refused: they only make sense for link-local addresses on one host.
     */
    static boolean isIpv6Literal(String text) {
        if (text.isEmpty() || text.length() > 45) {
            return false;
        }
        int doubleColon = text.indexOf("::");
        if (doubleColon >= 0 && text.indexOf("::", doubleColon + 1) >= 0) {
            return false;
        }
        if (doubleColon < 0) {
            return countGroups(text, true) == 8;
        }
        String tail = text.substring(doubleColon + 2);
        int head = countGroups(text.substring(0, doubleColon), false);
        int rest = countGroups(tail, true);
        return head >= 0 && rest >= 0 && head + rest <= 7;
    }

    /** A DNS name: dot-separated labels of letters, digits, '-' and '_' ('_' occurs in real host names). */
    static boolean isDnsName(String text) {
        if (text.isEmpty() || text.length() > MAX_DNS_NAME_LENGTH) {
            return false;
        }
        String[] labels = text.split("\\.", -1);
        boolean allNumeric = true;
        for (String label : labels) {
            if (label.isEmpty() || label.length() > MAX_LABEL_LENGTH
                    || label.charAt(0) == '-' || label.charAt(label.length() - 1) == '-') {
                return false;
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                        || c == '-' || c == '_';
                if (!allowed) {
                    return false;
                }
            }
            allNumeric &= allDigits(label);
        }
        // "1.2.3.999" is a mistyped IPv4 address, not a name.
        return !allNumeric;
    }

    /** A host as a client may dial it: a DNS name or an IP literal (IPv6 without brackets). */
    static boolean isHost(String text) {
        return isDnsName(text) || isIpLiteral(text);
    }

    /**
     * The number of 16-bit groups in a colon-separated run ({@code ""} has none), counting a dotted quad as two;
     * -1 if the run is malformed.
     */
    private static int countGroups(String run, boolean mayEndWithIpv4) {
        if (run.isEmpty()) {
            return 0;
        }
        String[] groups = run.split(":", -1);
        int count = 0;
        for (int i = 0; i < groups.length; i++) {
            String group = groups[i];
            boolean last = i == groups.length - 1;
            if (last && mayEndWithIpv4 && group.indexOf('.') >= 0) {
                if (!isIpv4Literal(group)) {
                    return -1;
                }
                count += 2;
            } else if (group.isEmpty() || group.length() > 4 || !allHex(group)) {
                return -1;
            } else {
                count++;
            }
        }
        return count;
    }

    private static boolean allDigits(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return !text.isEmpty();
    }

    private static boolean allHex(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.digit(text.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }
}
