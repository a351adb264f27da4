package org.anytls4j.anytls.tls;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Set;

/**
 * The client's check of the server certificate: optional PKIX + name verification by a delegate, then the SPKI
 * pins.
 *
 * <p>With no delegate (insecure mode) it never looks inside the certificates except to read their DER for a pin.
 * That matters: OpenSSL engines hand over certificates that are parsed lazily, and the reference server's
 * empty-DN certificate makes the JDK parser throw, so a trust-all manager that logs the subject (as Netty's
 * InsecureTrustManagerFactory does at debug level) would break exactly the connection insecure mode exists for.
 */
final class ServerTrustManager extends X509ExtendedTrustManager {
    private static final X509Certificate[] NO_ISSUERS = new X509Certificate[0];

    private final X509ExtendedTrustManager chainVerifier;
    private final Set<String> pins;

    /**
     * @param chainVerifier PKIX and endpoint-identity verification, or {@code null} to skip it (insecure mode)
     * @param pins          canonical base64 SPKI SHA-256 pins of the leaf; empty = no pinning
     */
    ServerTrustManager(X509ExtendedTrustManager chainVerifier, Set<String> pins) {
        this.chainVerifier = chainVerifier;
        this.pins = Set.copyOf(pins);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        requireChain(chain);
        if (chainVerifier != null) {
            chainVerifier.checkServerTrusted(chain, authType, engine);
        }
        checkPins(chain[0]);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        requireChain(chain);
        if (chainVerifier != null) {
            chainVerifier.checkServerTrusted(chain, authType, socket);
        }
        checkPins(chain[0]);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        requireChain(chain);
        if (chainVerifier != null) {
            chainVerifier.checkServerTrusted(chain, authType);
        }
        checkPins(chain[0]);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        throw clientCertificatesUnsupported();
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        throw clientCertificatesUnsupported();
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw clientCertificatesUnsupported();
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return chainVerifier == null ? NO_ISSUERS : chainVerifier.getAcceptedIssuers();
    }

    private void checkPins(X509Certificate leaf) throws CertificateException {
        if (pins.isEmpty()) {
            return;
        }
        byte[] der;
        try {
            der = leaf.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new CertificateException("cannot read the server certificate to check its SPKI pin", e);
        }
        checkPins(der, pins);
    }

    /** The pin check on the leaf's DER, shared with engines that do not hand over X509Certificates. */
    static void checkPins(byte[] der, Set<String> pins) throws CertificateException {
        if (pins.isEmpty()) {
            return;
        }
        boolean matched;
        try {
            matched = SpkiPins.matches(der, pins);
        } catch (IllegalArgumentException e) {
            throw new CertificateException("cannot find the public key in the server certificate: "
                    + e.getMessage(), e);
        }
        if (!matched) {
            throw new CertificateException("server certificate public key (SPKI sha256/"
                    + SpkiPins.spkiSha256Base64(der) + ") matches none of the " + pins.size()
                    + " pinned key(s)");
        }
    }

    private static void requireChain(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("server sent no certificate");
        }
    }

    private static CertificateException clientCertificatesUnsupported() {
        return new CertificateException("this trust manager verifies servers only, not client certificates");
    }
}
