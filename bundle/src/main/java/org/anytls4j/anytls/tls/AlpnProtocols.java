package org.anytls4j.anytls.tls;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The one rule for ALPN protocol names a client offers, shared by the configuration (which reports a violation
 * naming its property) and the TLS options (which reject it as an argument). RFC 7301 allows 1..255 arbitrary
 * bytes; this project accepts printable ASCII only, so that every name reads the same in a log line, a
 * {@code .cfg} file and a URI, and each name once, since a repeated name changes the hello for nothing.
 */
public final class AlpnProtocols {
    private static final int MAX_LENGTH = 255;

    /** The first name that breaks the rule and why. */
    public record Violation(String protocol, String reason) {
    }

    private AlpnProtocols() {
    }

    /** The first violation in {@code protocols}, in order; empty when all can be offered. */
    public static Optional<Violation> firstViolation(List<String> protocols) {
        Objects.requireNonNull(protocols, "protocols");
        Set<String> seen = new HashSet<>();
        for (String protocol : protocols) {
            if (protocol == null || protocol.isEmpty() || protocol.length() > MAX_LENGTH
                    || !protocol.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                return Optional.of(new Violation(String.valueOf(protocol),
                        "expected a protocol name of 1..255 printable ASCII characters"));
            }
            if (!seen.add(protocol)) {
                return Optional.of(new Violation(protocol, "listed twice"));
            }
        }
        return Optional.empty();
    }
}
