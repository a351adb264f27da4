package org.anytls4j.anytls.tls.fingerprint;

import org.anytls4j.anytls.tls.ClientTlsOptions;
import org.anytls4j.anytls.tls.ServerCertificateCheck;

import javax.net.ssl.SSLException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;

/**
 * The fingerprint engine for one set of client TLS options: builds a {@link FingerprintTlsHandler} per carrier
 * connection. The counterpart of {@code ClientSslContexts.create} + {@code newHandler} for {@code fingerprint} other
 * than {@code none}; only this path loads Bouncy Castle.
 *
 * <p>Thread-safe: one instance is shared by every connection of a transport.
 */
public final class FingerprintTls {
    private final ClientTlsOptions options;
    private final HelloProfile profile;
    private final ServerCertificateCheck check;
    private final SecureRandom random = new SecureRandom();
    private final JdkAeadTlsCrypto crypto = new JdkAeadTlsCrypto(random);

    private FingerprintTls(ClientTlsOptions options, HelloProfile profile, ServerCertificateCheck check) {
        this.options = options;
        this.profile = profile;
        this.check = check;
    }

    /**
     * @throws SSLException when the trust anchors cannot be loaded (the message names the file)
     */
    public static FingerprintTls create(ClientTlsOptions options, HelloProfile profile) throws SSLException {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(profile, "profile");
        return new FingerprintTls(options, profile, ServerCertificateCheck.create(options));
    }

    public HelloProfile profile() {
        return profile;
    }

    /**
     * The handler for one carrier connection to {@code peerHost:peerPort}, with the same SNI and name rules as the
     * Netty engines: SNI is the configured DNS server name or nothing; the verified name is the server name, else the
     * peer host.
     */
    public FingerprintTlsHandler newHandler(String peerHost, int peerPort) {
        String verifiedName = ServerCertificateCheck.verifiedName(options, peerHost);
        List<String> alpn = options.alpn().isEmpty() ? profile.defaultAlpn() : options.alpn();
        return new FingerprintTlsHandler(crypto, new HelloShape(profile, random),
                options.sniHostName().orElse(null), alpn,
                new ServerVerification(check, verifiedName, peerPort), options.handshakeTimeout().toMillis());
    }
}
