package org.anytls4j.anytls.tls;

import javax.net.ssl.SSLException;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The check {@link ServerTrustManager} makes, for TLS engines that hand over the server's chain as DER instead of
 * {@link X509Certificate}s (the fingerprint engine on Bouncy Castle): same trust anchors, same name rules, same pins,
 * same error texts.
 *
 * <p>In insecure mode the chain is never given to the JDK's certificate parser (it rejects the reference server's
 * empty-issuer certificate); only the pins, if any, are checked on the leaf's DER.
 */
public final class ServerCertificateCheck {
    private final X509ExtendedTrustManager chainVerifier;
    private final Set<String> pins;

    private ServerCertificateCheck(X509ExtendedTrustManager chainVerifier, Set<String> pins) {
        this.chainVerifier = chainVerifier;
        this.pins = Set.copyOf(pins);
    }

    /**
     * @throws SSLException when the trust anchors cannot be loaded (the message names the file), as
     *                      {@link ClientSslContexts#create} does
     */
    public static ServerCertificateCheck create(ClientTlsOptions options) throws SSLException {
        Objects.requireNonNull(options, "options");
        return new ServerCertificateCheck(options.insecure() ? null : ClientSslContexts.chainVerifier(options),
                options.pinnedPublicKeySha256());
    }

    /**
     * Checks the chain the server sent.
     *
     * @param derChain     the certificates as sent, leaf first
     * @param verifiedName the name the leaf must match ({@link ClientSslContexts#engineHost}); ignored when insecure
     * @param tls13        whether TLS 1.3 was negotiated (the JDK's key-usage checks depend on the auth type)
     * @param keyExchange  for TLS 1.2 the key exchange as JSSE names it ({@code ECDHE_RSA}, {@code ECDHE_ECDSA},
     *                     {@code RSA}); ignored for TLS 1.3
     * @throws CertificateException with the same message the JDK engine would put in its SSLHandshakeException
     */
    public void check(List<byte[]> derChain, String verifiedName, int peerPort, boolean tls13, String keyExchange)
            throws CertificateException {
        if (derChain == null || derChain.isEmpty()) {
            throw new CertificateException("server sent no certificate");
        }
        if (chainVerifier != null) {
            X509Certificate[] chain = parse(derChain);
            String authType = tls13 ? tls13AuthType(chain[0]) : keyExchange;
            chainVerifier.checkServerTrusted(chain, authType,
                    new VerificationEngine(verifiedName, peerPort, tls13 ? "TLSv1.3" : "TLSv1.2"));
        }
        ServerTrustManager.checkPins(derChain.get(0), pins);
    }

    /** Whether anything is checked at all; false for insecure mode without pins. */
    public boolean verifiesNames() {
        return chainVerifier != null;
    }

    /** The name the chain must match: see {@link ClientSslContexts#engineHost}. */
    public static String verifiedName(ClientTlsOptions options, String peerHost) {
        return ClientSslContexts.engineHost(options, peerHost);
    }

    private static X509Certificate[] parse(List<byte[]> derChain) throws CertificateException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        X509Certificate[] chain = new X509Certificate[derChain.size()];
        for (int i = 0; i < chain.length; i++) {
            chain[i] = (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(derChain.get(i)));
        }
        return chain;
    }

    /** What the JDK passes for TLS 1.3: the key algorithm, as its T13CertificateConsumer does. */
    private static String tls13AuthType(X509Certificate leaf) {
        String algorithm = leaf.getPublicKey().getAlgorithm();
        switch (algorithm) {
            case "RSA":
            case "DSA":
            case "EC":
            case "RSASSA-PSS":
                return algorithm;
            default:
                return "UNKNOWN";
        }
    }
}
