package org.anytls4j.anytls.config;

import java.util.Objects;

/**
 * A host (DNS name or IP literal, IPv6 kept without brackets) and a port in 1..65535.
 *
 * @param host the DNS name or IP literal, never in brackets
 * @param port 1..65535
 */
public record HostPort(String host, int port) {

    public HostPort {
        Objects.requireNonNull(host, "host");
        if (!HostSyntax.isHost(host)) {
            throw new IllegalArgumentException("not a DNS name or IP address: '" + host + "'");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 1..65535");
        }
    }

    /**
     * Parses {@code host:port}, {@code 1.2.3.4:port} or {@code [v6]:port}.
     *
     * @throws IllegalArgumentException with a message saying what is wrong
     */
    public static HostPort parse(String text) {
        Objects.requireNonNull(text, "text");
        String host;
        String port;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("missing ']' after the IPv6 address");
            }
            host = text.substring(1, close);
            if (!HostSyntax.isIpv6Literal(host)) {
                throw new IllegalArgumentException("not an IPv6 address: '" + host + "'");
            }
            String afterBracket = text.substring(close + 1);
            if (!afterBracket.startsWith(":")) {
                throw new IllegalArgumentException("expected ':<port>' after ']'");
            }
            port = afterBracket.substring(1);
        } else {
            int colon = text.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("expected host:port");
            }
            host = text.substring(0, colon);
            if (host.indexOf(':') >= 0) {
                throw new IllegalArgumentException("an IPv6 address must be written in brackets: [address]:port");
            }
            port = text.substring(colon + 1);
        }
        return new HostPort(host, parsePort(port));
    }

    /** Parses a decimal port in 1..65535. */
    static int parsePort(String text) {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("port '" + text + "' is not a number in 1..65535");
        }
        int port = Integer.parseInt(text);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 1..65535");
        }
        return port;
    }

    /** Whether the host is an IP literal (then it must not be sent as TLS SNI, RFC 6066 §3). */
    public boolean isIpLiteral() {
        return HostSyntax.isIpLiteral(host);
    }

    /** {@code host:port}, with brackets around an IPv6 host. */
    @Override
    public String toString() {
        return (HostSyntax.isIpv6Literal(host) ? "[" + host + "]" : host) + ":" + port;
    }
}
