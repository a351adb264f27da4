package org.anytls4j.anytls.tls;

import io.netty.util.NetUtil;
import org.anytls4j.anytls.tls.fingerprint.HelloProfile;
import org.anytls4j.anytls.tls.fingerprint.HelloProfiles;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * TLS settings of an AnyTLS client's carrier connection. Immutable; build with {@link #builder()}.
 *
 * <h2>Verification</h2>
 * <ul>
 *   <li>{@code insecure = false} (the default): the server's chain must validate against the trust anchors
 *       (the JDK's default trust store, or exactly the certificates of {@link #trustedCertificatesPem()}), and the
 *       leaf must match the <em>verified name</em>: {@link #serverName()} when set, otherwise the peer host the
 *       carrier connects to. A name that is an IP literal is matched against the certificate's IP SANs.
 *       When {@link #pinnedPublicKeySha256()} is not empty, the leaf's SPKI must ALSO match one of the pins.</li>
 *   <li>{@code insecure = true}: no chain and no name checks. Pins, when set, are still enforced and become the
 *       only check ("pin-only trust": the way to trust one self-signed server without a CA).</li>
 * </ul>
 *
 * <h2>SNI</h2>
 * A DNS {@link #serverName()} is sent as SNI. An IP-literal server name is never sent (RFC 6066; spec §14) but is
 * still verified. Without a server name no SNI is sent, with one exception: an OpenSSL engine that verifies a DNS
 * peer host always announces that host as SNI (Netty derives SNI from the engine's peer host, which is also the
 * name it verifies); the JDK engine sends none.
 */
public final class ClientTlsOptions {
    /** Netty's own default. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    private final String serverName;
    private final boolean insecure;
    private final Path trustedCertificatesPem;
    private final Set<String> pinnedPublicKeySha256;
    private final List<String> alpn;
    private final TlsProvider provider;
    private final HelloProfile fingerprint;
    private final Duration handshakeTimeout;

    private ClientTlsOptions(Builder builder) {
        this.serverName = builder.serverName;
        this.insecure = builder.insecure;
        this.trustedCertificatesPem = builder.trustedCertificatesPem;
        this.pinnedPublicKeySha256 = Set.copyOf(builder.pinnedPublicKeySha256);
        this.alpn = List.copyOf(builder.alpn);
        this.provider = builder.provider;
        this.fingerprint = builder.fingerprint;
        this.handshakeTimeout = builder.handshakeTimeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Defaults: verify against the JDK trust store, no SNI, no pins, no ALPN, provider AUTO. */
    public static ClientTlsOptions defaults() {
        return builder().build();
    }

    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.serverName = serverName;
        builder.insecure = insecure;
        builder.trustedCertificatesPem = trustedCertificatesPem;
        builder.pinnedPublicKeySha256.addAll(pinnedPublicKeySha256);
        builder.alpn.addAll(alpn);
        builder.provider = provider;
        builder.fingerprint = fingerprint;
        builder.handshakeTimeout = handshakeTimeout;
        return builder;
    }

    /** The configured TLS server name (lower-cased; IPv6 without brackets), empty when none is configured. */
    public Optional<String> serverName() {
        return Optional.ofNullable(serverName);
    }

    /** The name sent as SNI: {@link #serverName()} unless it is an IP literal. */
    public Optional<String> sniHostName() {
        return serverName().filter(name -> !isIpLiteral(name));
    }

    public boolean insecure() {
        return insecure;
    }

    /** A PEM file of trust anchors that replaces the JDK's default trust store. */
    public Optional<Path> trustedCertificatesPem() {
        return Optional.ofNullable(trustedCertificatesPem);
    }

    /** SHA-256 digests of the accepted leaf SubjectPublicKeyInfos, in canonical base64; empty = no pinning. */
    public Set<String> pinnedPublicKeySha256() {
        return pinnedPublicKeySha256;
    }

    /** ALPN protocols offered, in preference order; empty = no ALPN extension. */
    public List<String> alpn() {
        return alpn;
    }

    public TlsProvider provider() {
        return provider;
    }

    /**
     * The browser ClientHello to send ({@code fingerprint = chrome}), which means the fingerprint engine
     * ({@code tls.fingerprint.FingerprintTls}) instead of {@link #provider()}; empty for {@code none}, the default.
     */
    public Optional<HelloProfile> fingerprint() {
        return Optional.ofNullable(fingerprint);
    }

    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    static boolean isIpLiteral(String host) {
        return NetUtil.isValidIpV4Address(host) || NetUtil.isValidIpV6Address(host);
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof ClientTlsOptions)) {
            return false;
        }
        ClientTlsOptions that = (ClientTlsOptions) other;
        return insecure == that.insecure
                && Objects.equals(serverName, that.serverName)
                && Objects.equals(trustedCertificatesPem, that.trustedCertificatesPem)
                && pinnedPublicKeySha256.equals(that.pinnedPublicKeySha256)
                && alpn.equals(that.alpn)
                && provider == that.provider
                && Objects.equals(fingerprint, that.fingerprint)
                && handshakeTimeout.equals(that.handshakeTimeout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(serverName, insecure, trustedCertificatesPem, pinnedPublicKeySha256, alpn, provider,
                fingerprint, handshakeTimeout);
    }

    @Override
    public String toString() {
        return "ClientTlsOptions[serverName=" + serverName
                + (insecure ? ", insecure" : "")
                + (trustedCertificatesPem == null ? "" : ", trusted=" + trustedCertificatesPem)
                + (pinnedPublicKeySha256.isEmpty() ? "" : ", pins=" + pinnedPublicKeySha256.size())
                + (alpn.isEmpty() ? "" : ", alpn=" + alpn)
                + ", provider=" + provider
                + (fingerprint == null ? "" : ", fingerprint=" + fingerprint.name())
                + ", handshakeTimeout=" + handshakeTimeout.toMillis() + "ms]";
    }

    /** Collects the settings; every setter validates its value and names it in the exception. */
    public static final class Builder {
        private String serverName;
        private boolean insecure;
        private Path trustedCertificatesPem;
        private final Set<String> pinnedPublicKeySha256 = new LinkedHashSet<>();
        private final List<String> alpn = new ArrayList<>();
        private TlsProvider provider = TlsProvider.AUTO;
        private HelloProfile fingerprint;
        private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;

        private Builder() {
        }

        /** The TLS server name; {@code null} or blank means none. Brackets around an IPv6 literal are removed. */
        public Builder serverName(String serverName) {
            if (serverName == null || serverName.isBlank()) {
                this.serverName = null;
                return this;
            }
            String name = serverName.strip();
            if (name.startsWith("[") && name.endsWith("]")) {
                name = name.substring(1, name.length() - 1);
            }
            if (name.endsWith(".") && name.length() > 1) {
                // SNI forbids the trailing dot of an absolute name (RFC 6066 §3); it names the same host.
                name = name.substring(0, name.length() - 1);
            }
            if (!isIpLiteral(name) && !isDnsName(name)) {
                throw new IllegalArgumentException("serverName '" + serverName + "' is neither an IP literal nor a "
                        + "DNS host name");
            }
            this.serverName = name.toLowerCase(Locale.ROOT);
            return this;
        }

        public Builder insecure(boolean insecure) {
            this.insecure = insecure;
            return this;
        }

        /** A PEM file of CA or self-signed certificates to trust instead of the JDK trust store; null = default. */
        public Builder trustedCertificatesPem(Path pemFile) {
            this.trustedCertificatesPem = pemFile;
            return this;
        }

        /** Replaces the pins; each is base64 (optionally prefixed {@code sha256/}) or hex of a SHA-256 digest. */
        public Builder pinnedPublicKeySha256(Collection<String> pins) {
            Objects.requireNonNull(pins, "pinnedPublicKeySha256");
            Set<String> normalized = new LinkedHashSet<>();
            for (String pin : pins) {
                normalized.add(SpkiPins.normalize(pin));
            }
            pinnedPublicKeySha256.clear();
            pinnedPublicKeySha256.addAll(normalized);
            return this;
        }

        public Builder addPinnedPublicKeySha256(String pin) {
            pinnedPublicKeySha256.add(SpkiPins.normalize(pin));
            return this;
        }

        /** The ALPN protocols to offer, most preferred first; empty = no ALPN. See {@link AlpnProtocols}. */
        public Builder alpn(List<String> protocols) {
            Objects.requireNonNull(protocols, "alpn");
            AlpnProtocols.firstViolation(protocols).ifPresent(violation -> {
                throw new IllegalArgumentException(
                        "alpn protocol '" + violation.protocol() + "': " + violation.reason());
            });
            alpn.clear();
            alpn.addAll(protocols);
            return this;
        }

        public Builder provider(TlsProvider provider) {
            this.provider = Objects.requireNonNull(provider, "provider");
            return this;
        }

        /**
         * {@code none} (the default: the engine of {@link #provider}) or a browser profile name such as
         * {@code chrome}, ignoring case; see {@link HelloProfiles#names()}.
         */
        public Builder fingerprint(String name) {
            this.fingerprint = HelloProfiles.forName(name).orElse(null);
            return this;
        }

        public Builder handshakeTimeout(Duration timeout) {
            this.handshakeTimeout = positive(timeout, "handshakeTimeout");
            return this;
        }

        public ClientTlsOptions build() {
            return new ClientTlsOptions(this);
        }

        private static Duration positive(Duration value, String property) {
            if (value == null || value.isNegative() || value.isZero() || value.toMillis() == 0) {
                throw new IllegalArgumentException(property + " must be at least 1 ms, was " + value);
            }
            return value;
        }

        private static boolean isDnsName(String name) {
            if (name.isEmpty() || name.length() > 253) {
                return false;
            }
            for (String label : name.split("\\.", -1)) {
                if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
                    return false;
                }
                for (int i = 0; i < label.length(); i++) {
                    char c = label.charAt(i);
                    boolean allowed = c < 0x80 && (Character.isLetterOrDigit(c) || c == '-' || c == '_');
                    if (!allowed) {
                        return false;
                    }
                }
            }
            return true;
        }
    }
}
