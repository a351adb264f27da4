package org.anytls4j.transport.api;

import java.net.IDN;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a stream or datagram should go: an unresolved domain name, an IPv4 or an IPv6 address, plus a port.
 *
 * <p>Immutable. Nothing in this class ever triggers DNS: domains stay names (resolving them is the transport's
 * job, possibly on the far side of a proxy), and IP literals are parsed by this class itself.
 *
 * <p>Normal form, so that equal destinations compare equal however they were written:
 * <ul>
 *   <li>domains are converted to ASCII with {@link IDN} (punycode), lower-cased, and lose one trailing dot;</li>
 *   <li>IPv6 addresses use RFC 5952 text ({@code 2001:db8::1}), and IPv4-mapped IPv6 ({@code ::ffff:1.2.3.4})
 *       becomes {@link Kind#IPV4};</li>
 *   <li>IPv6 zone ids are not kept: a scope is meaningful only on the host that chose it, not to a remote proxy.</li>
 * </ul>
 *
 * <p>Ports: {@link #ofHost}, {@link #of(InetAddress, int)}, {@link #of(InetSocketAddress)} and {@link #parse} require
 * 1..65535. Only {@link #ofHostAnyPort} and {@link #ofAnyPort} accept port 0, which UDP association requests use
 * (a SOCKS5 {@code UDP ASSOCIATE} for {@code 0.0.0.0:0}).
 */
public final class Destination {
    /** What {@link #host()} holds. */
    public enum Kind {
        DOMAIN,
        IPV4,
        IPV6
    }

    /** Longest domain in ASCII form without the trailing dot (RFC 1035 §3.1 allows 255 octets on the wire). */
    public static final int MAX_DOMAIN_LENGTH = 253;
    /** Longest single label of a domain (RFC 1035 §2.3.4). */
    public static final int MAX_LABEL_LENGTH = 63;
    public static final int MAX_PORT = 65535;

    private static final byte[] NO_BYTES = new byte[0];

    private final Kind kind;
    private final String host;
    private final int port;
    private final byte[] addressBytes;

    private Destination(Kind kind, String host, int port, byte[] addressBytes) {
        this.kind = kind;
        this.host = host;
        this.port = port;
        this.addressBytes = addressBytes;
    }

    /**
     * A destination from a host text: an IPv4 literal, an IPv6 literal (with or without brackets) or a domain name.
     *
     * @param host a domain (Unicode allowed) or an IP literal; no lookup happens either way
     * @param port 1..65535
     * @throws IllegalArgumentException naming the value, if the host is empty, too long, has illegal characters or
     *                                  malformed brackets, or the port is out of range
     */
    public static Destination ofHost(String host, int port) {
        checkPort(port, 1, host);
        return fromHost(host, port);
    }

    /** As {@link #ofHost(String, int)}, but port 0 is allowed (UDP association requests). */
    public static Destination ofHostAnyPort(String host, int port) {
        checkPort(port, 0, host);
        return fromHost(host, port);
    }

    /**
     * A destination from an address; IPv4-mapped IPv6 becomes IPv4, and the scope id of an IPv6 address is dropped.
     * No reverse lookup happens.
     *
     * @param port 1..65535
     */
    public static Destination of(InetAddress address, int port) {
        Objects.requireNonNull(address, "address");
        checkPort(port, 1, address.getHostAddress());
        return fromAddressBytes(address.getAddress(), port);
    }

    /** As {@link #of(InetAddress, int)}, but port 0 is allowed (UDP association requests). */
    public static Destination ofAnyPort(InetAddress address, int port) {
        Objects.requireNonNull(address, "address");
        checkPort(port, 0, address.getHostAddress());
        return fromAddressBytes(address.getAddress(), port);
    }

    /**
     * A destination from a socket address. An unresolved one becomes a domain (or an IP if its host string is an
     * IP literal) without any lookup; a resolved one contributes its address only, never its host name.
     *
     * @param address port 1..65535
     */
    public static Destination of(InetSocketAddress address) {
        Objects.requireNonNull(address, "address");
        if (address.isUnresolved()) {
            return ofHost(address.getHostString(), address.getPort());
        }
        return of(address.getAddress(), address.getPort());
    }

    /**
     * Parses {@code host:port} or {@code [ipv6]:port}, for example {@code example.com:443}, {@code 1.2.3.4:80},
     * {@code [2001:db8::1]:53}.
     *
     * @throws IllegalArgumentException naming the text, if the port is missing or out of 1..65535, brackets are
     *                                  malformed, or an IPv6 address is not in brackets (in {@code 2001:db8::1:53}
     *                                  the port cannot be told from the last group)
     */
    public static Destination parse(String hostPort) {
        Objects.requireNonNull(hostPort, "hostPort");
        String host;
        String portText;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("Malformed brackets in '" + hostPort + "': no closing ']'");
            }
            if (close + 1 == hostPort.length()) {
                throw new IllegalArgumentException("Missing port in '" + hostPort + "': expected [ipv6]:port");
            }
            if (hostPort.charAt(close + 1) != ':') {
                throw new IllegalArgumentException(
                        "Malformed brackets in '" + hostPort + "': ']' must be followed by ':port'");
            }
            host = hostPort.substring(0, close + 1);
            portText = hostPort.substring(close + 2);
            if (hostPort.substring(1, close).indexOf(':') < 0) {
                throw new IllegalArgumentException(
                        "Malformed brackets in '" + hostPort + "': only an IPv6 address may be in brackets");
            }
        } else {
            int colon = hostPort.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("Missing port in '" + hostPort + "': expected host:port");
            }
            if (hostPort.indexOf(':', colon + 1) >= 0) {
                throw new IllegalArgumentException("Ambiguous destination '" + hostPort
                        + "': an IPv6 address must be written in brackets, as [ipv6]:port");
            }
            host = hostPort.substring(0, colon);
            portText = hostPort.substring(colon + 1);
        }
        int port = parsePort(portText, hostPort);
        try {
            return ofHost(host, port);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid destination '" + hostPort + "': " + e.getMessage(), e);
        }
    }

    private static int parsePort(String portText, String hostPort) {
        if (portText.isEmpty()) {
            throw new IllegalArgumentException("Missing port in '" + hostPort + "': nothing after ':'");
        }
        if (portText.length() > 5 || !portText.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException(
                    "Invalid port '" + portText + "' in '" + hostPort + "': expected a number 1..65535");
        }
        int port = Integer.parseInt(portText);
        if (port < 1 || port > MAX_PORT) {
            throw new IllegalArgumentException(
                    "Port " + port + " out of range 1..65535 in '" + hostPort + "'");
        }
        return port;
    }

    private static void checkPort(int port, int min, String host) {
        if (port < min || port > MAX_PORT) {
            throw new IllegalArgumentException(
                    "Port " + port + " out of range " + min + "..65535 for host '" + host + "'");
        }
    }

    private static Destination fromHost(String host, int port) {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("Host must not be empty, was '" + host + "'");
        }
        boolean opens = host.startsWith("[");
        boolean closes = host.endsWith("]");
        if (opens || closes) {
            if (!opens || !closes) {
                throw new IllegalArgumentException("Malformed brackets in host '" + host + "'");
            }
            return fromIpv6Text(host.substring(1, host.length() - 1), host, port);
        }
        if (host.indexOf(':') >= 0) {
            return fromIpv6Text(host, host, port);
        }
        return fromNameOrIpv4(host, port);
    }

    private static Destination fromIpv6Text(String literal, String original, int port) {
        if (literal.indexOf('%') >= 0) {
            throw new IllegalArgumentException(
                    "IPv6 zone ids are not supported in a destination, got '" + original + "'");
        }
        byte[] bytes = IpLiterals.parseIpv6(literal);
        if (bytes == null) {
            throw new IllegalArgumentException("Not a valid IPv6 address: '" + original + "'");
        }
        return fromAddressBytes(bytes, port);
    }

    private static Destination fromNameOrIpv4(String host, int port) {
        String ascii = toAscii(host);
        if (ascii.endsWith(".")) {
            ascii = ascii.substring(0, ascii.length() - 1);
        }
        // A name whose last label is numeric would be read as an IPv4 address by browsers (WHATWG URL) and by
        // inet_aton, so it is either a valid dotted quad or rejected; it never silently becomes a DOMAIN.
        // This check runs after IDN conversion because NFKC turns full-width digits into ASCII ones.
        String lastLabel = ascii.substring(ascii.lastIndexOf('.') + 1);
        if (!lastLabel.isEmpty() && lastLabel.chars().allMatch(c -> c >= '0' && c <= '9')) {
            byte[] bytes = IpLiterals.parseIpv4(ascii);
            if (bytes == null || !ascii.equals(host)) {
                throw new IllegalArgumentException("Not a valid IPv4 address: '" + host + "'");
            }
            return new Destination(Kind.IPV4, IpLiterals.formatIpv4(bytes), port, bytes);
        }
        checkDomain(ascii, host);
        return new Destination(Kind.DOMAIN, ascii, port, NO_BYTES);
    }

    private static String toAscii(String host) {
        String ascii;
        if (host.chars().allMatch(c -> c < 0x80)) {
            ascii = host;
        } else {
            try {
                // No USE_STD3_ASCII_RULES: it would refuse '_', which real host names contain; checkDomain
                // applies the character rules instead.
                ascii = IDN.toASCII(host);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "Invalid internationalised domain name '" + host + "': " + e.getMessage(), e);
            }
        }
        return ascii.toLowerCase(Locale.ROOT);
    }

    /**
     * Host-name rules as Go's {@code net.isDomainName} applies them (the reference peer), which are RFC 1123 plus
     * underscores: labels of 1..63 letters, digits, '-' or '_', not starting or ending with '-'.
     */
    private static void checkDomain(String ascii, String original) {
        if (ascii.isEmpty()) {
            throw new IllegalArgumentException("Host must not be empty, was '" + original + "'");
        }
        if (ascii.length() > MAX_DOMAIN_LENGTH) {
            throw new IllegalArgumentException("Domain too long: " + ascii.length() + " characters (max "
                    + MAX_DOMAIN_LENGTH + ") in '" + original + "'");
        }
        int labelStart = 0;
        for (int i = 0; i <= ascii.length(); i++) {
            char c = i < ascii.length() ? ascii.charAt(i) : '.';
            if (c == '.') {
                checkLabel(ascii, labelStart, i, original);
                labelStart = i + 1;
            } else if (!isLabelChar(c)) {
                throw new IllegalArgumentException("Illegal character " + describe(c) + " in host '" + original
                        + "'");
            }
        }
    }

    private static void checkLabel(String ascii, int start, int end, String original) {
        int length = end - start;
        if (length == 0) {
            throw new IllegalArgumentException("Empty label in host '" + original + "'");
        }
        if (length > MAX_LABEL_LENGTH) {
            throw new IllegalArgumentException("Label too long: " + length + " characters (max "
                    + MAX_LABEL_LENGTH + ") in host '" + original + "'");
        }
        if (ascii.charAt(start) == '-' || ascii.charAt(end - 1) == '-') {
            throw new IllegalArgumentException("Label '" + ascii.substring(start, end)
                    + "' starts or ends with '-' in host '" + original + "'");
        }
    }

    private static boolean isLabelChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }

    private static String describe(char c) {
        return (c >= 0x21 && c < 0x7f ? "'" + c + "' " : "") + String.format("(U+%04X)", (int) c);
    }

    private static Destination fromAddressBytes(byte[] bytes, int port) {
        if (bytes.length == 4) {
            byte[] copy = bytes.clone();
            return new Destination(Kind.IPV4, IpLiterals.formatIpv4(copy), port, copy);
        }
        if (bytes.length != 16) {
            throw new IllegalArgumentException("Address must be 4 or 16 bytes, got " + bytes.length);
        }
        if (IpLiterals.isIpv4Mapped(bytes)) {
            byte[] v4 = Arrays.copyOfRange(bytes, 12, 16);
            return new Destination(Kind.IPV4, IpLiterals.formatIpv4(v4), port, v4);
        }
        byte[] copy = bytes.clone();
        return new Destination(Kind.IPV6, IpLiterals.formatIpv6(copy), port, copy);
    }

    public Kind kind() {
        return kind;
    }

    /** The ASCII domain, or the canonical IP text (IPv6 without brackets, RFC 5952 compressed). */
    public String host() {
        return host;
    }

    /** 1..65535, or 0 for destinations made by {@link #ofHostAnyPort} or {@link #ofAnyPort}. */
    public int port() {
        return port;
    }

    public boolean isDomain() {
        return kind == Kind.DOMAIN;
    }

    /** The address for {@link Kind#IPV4} and {@link Kind#IPV6}; empty for a domain (this class never resolves). */
    public Optional<InetAddress> address() {
        return isDomain() ? Optional.empty() : Optional.of(inetAddress());
    }

    /** The address bytes (4 for IPv4, 16 for IPv6, none for a domain); a fresh copy on every call. */
    public byte[] addressBytes() {
        return addressBytes.clone();
    }

    /**
     * A socket address without DNS: unresolved ({@link InetSocketAddress#createUnresolved}) for a domain, resolved
     * for an IP.
     */
    public InetSocketAddress toSocketAddress() {
        return isDomain() ? InetSocketAddress.createUnresolved(host, port) : new InetSocketAddress(inetAddress(), port);
    }

    private InetAddress inetAddress() {
        try {
            // getByAddress only wraps the bytes; with a 16-byte IPv4-mapped array it would hand back an
            // Inet4Address anyway, which is why mapped addresses are folded at construction.
            return InetAddress.getByAddress(addressBytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("Address of " + this + " has " + addressBytes.length + " bytes", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Destination)) {
            return false;
        }
        Destination other = (Destination) o;
        return kind == other.kind && port == other.port && host.equals(other.host);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, host, port);
    }

    /** {@code host:port}, or {@code [ipv6]:port}; {@link #parse} reads it back unless the port is 0. */
    @Override
    public String toString() {
        return kind == Kind.IPV6 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
