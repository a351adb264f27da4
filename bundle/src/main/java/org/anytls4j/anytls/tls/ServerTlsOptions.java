package org.anytls4j.anytls.tls;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * TLS settings of an AnyTLS server. Immutable; build with {@link #builder()}.
 *
 * <p>Either both PEM files are set (certificate chain, leaf first, and its private key) or neither, in which case
 * a self-signed certificate for {@link #selfSignedHostnames()} is generated at start.
 */
public final class ServerTlsOptions {
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    private final Path certificateChainPem;
    private final Path privateKeyPem;
    private final List<String> selfSignedHostnames;
    private final List<String> alpn;
    private final TlsProvider provider;
    private final Duration handshakeTimeout;

    private ServerTlsOptions(Builder builder) {
        this.certificateChainPem = builder.certificateChainPem;
        this.privateKeyPem = builder.privateKeyPem;
        this.selfSignedHostnames = List.copyOf(builder.selfSignedHostnames);
        this.alpn = List.copyOf(builder.alpn);
        this.provider = builder.provider;
        this.handshakeTimeout = builder.handshakeTimeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Optional<Path> certificateChainPem() {
        return Optional.ofNullable(certificateChainPem);
    }

    public Optional<Path> privateKeyPem() {
        return Optional.ofNullable(privateKeyPem);
    }

    /** Names for the generated certificate when no PEM files are configured; default {@code localhost}. */
    public List<String> selfSignedHostnames() {
        return selfSignedHostnames;
    }

    /** ALPN protocols the server accepts, in its preference order; empty = no ALPN. */
    public List<String> alpn() {
        return alpn;
    }

    public TlsProvider provider() {
        return provider;
    }

    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof ServerTlsOptions)) {
            return false;
        }
        ServerTlsOptions that = (ServerTlsOptions) other;
        return Objects.equals(certificateChainPem, that.certificateChainPem)
                && Objects.equals(privateKeyPem, that.privateKeyPem)
                && selfSignedHostnames.equals(that.selfSignedHostnames)
                && alpn.equals(that.alpn)
                && provider == that.provider
                && handshakeTimeout.equals(that.handshakeTimeout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(certificateChainPem, privateKeyPem, selfSignedHostnames, alpn, provider,
                handshakeTimeout);
    }

    @Override
    public String toString() {
        return "ServerTlsOptions["
                + (certificateChainPem == null ? "self-signed " + selfSignedHostnames
                : "chain=" + certificateChainPem + ", key=" + privateKeyPem)
                + (alpn.isEmpty() ? "" : ", alpn=" + alpn)
                + ", provider=" + provider
                + ", handshakeTimeout=" + handshakeTimeout.toMillis() + "ms]";
    }

    public static final class Builder {
        private Path certificateChainPem;
        private Path privateKeyPem;
        private final List<String> selfSignedHostnames = new ArrayList<>(List.of("localhost"));
        private final List<String> alpn = new ArrayList<>();
        private TlsProvider provider = TlsProvider.AUTO;
        private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;

        private Builder() {
        }

        /** The PEM certificate chain (leaf first) and the PEM private key of the leaf; both null = self-signed. */
        public Builder pemFiles(Path certificateChainPem, Path privateKeyPem) {
            if ((certificateChainPem == null) != (privateKeyPem == null)) {
                throw new IllegalArgumentException("certificateChainPem (" + certificateChainPem
                        + ") and privateKeyPem (" + privateKeyPem + ") must be set together");
            }
            this.certificateChainPem = certificateChainPem;
            this.privateKeyPem = privateKeyPem;
            return this;
        }

        public Builder selfSignedHostnames(List<String> hostnames) {
            Objects.requireNonNull(hostnames, "selfSignedHostnames");
            if (hostnames.isEmpty()) {
                throw new IllegalArgumentException("selfSignedHostnames must name at least one host");
            }
            selfSignedHostnames.clear();
            selfSignedHostnames.addAll(hostnames);
            return this;
        }

        public Builder alpn(List<String> protocols) {
            Objects.requireNonNull(protocols, "alpn");
            for (String protocol : protocols) {
                if (protocol == null || protocol.isEmpty()
                        || protocol.getBytes(StandardCharsets.UTF_8).length > 255) {
                    throw new IllegalArgumentException("alpn protocol '" + protocol + "' must be 1 to 255 bytes");
                }
            }
            alpn.clear();
            alpn.addAll(protocols);
            return this;
        }

        public Builder provider(TlsProvider provider) {
            this.provider = Objects.requireNonNull(provider, "provider");
            return this;
        }

        public Builder handshakeTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.toMillis() == 0) {
                throw new IllegalArgumentException("handshakeTimeout must be at least 1 ms, was " + timeout);
            }
            this.handshakeTimeout = timeout;
            return this;
        }

        public ServerTlsOptions build() {
            return new ServerTlsOptions(this);
        }
    }
}
