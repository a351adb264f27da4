package org.anytls4j.anytls.tls;

import io.netty.util.NetUtil;

import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * A freshly generated self-signed server certificate (EC P-256, valid from a day ago for a year), for a server
 * that has no configured certificate. Clients can trust it only by pinning {@link #spkiPin()} or by importing
 * the certificate, or by running insecure.
 */
public final class SelfSignedServerCertificate {
    private static final Duration BACKDATE = Duration.ofDays(1);
    private static final Duration VALIDITY = Duration.ofDays(365);

    private final X509Certificate certificate;
    private final PrivateKey privateKey;

    private SelfSignedServerCertificate(X509Certificate certificate, PrivateKey privateKey) {
        this.certificate = certificate;
        this.privateKey = privateKey;
    }

    /**
     * Generates a certificate whose SANs are the given names (DNS names or IP literals) plus 127.0.0.1 and ::1.
     * The subject CN is the first DNS name, or {@code localhost} without one.
     */
    public static SelfSignedServerCertificate generate(String... hostnames) {
        Set<String> dnsNames = new LinkedHashSet<>();
        Set<InetAddress> addresses = new LinkedHashSet<>();
        for (String hostname : hostnames) {
            addName(hostname, dnsNames, addresses);
        }
        addresses.add(address("127.0.0.1"));
        addresses.add(address("::1"));
        String commonName = dnsNames.isEmpty() ? "localhost" : dnsNames.iterator().next();
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair keyPair = generator.generateKeyPair();
            Instant now = Instant.now();
            byte[] der = CertificateEncoder.selfSigned(keyPair, commonName, new ArrayList<>(dnsNames),
                    new ArrayList<>(addresses), now.minus(BACKDATE), now.plus(VALIDITY));
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
            return new SelfSignedServerCertificate(certificate, keyPair.getPrivate());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a self-signed EC P-256 certificate: " + e.getMessage(),
                    e);
        }
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    /** SHA-256 of the whole certificate, upper-case hex pairs joined by colons (as browsers show it). */
    public String sha256Fingerprint() {
        return fingerprint(certificate);
    }

    /** Base64 SHA-256 of the SubjectPublicKeyInfo, usable as a client's {@code pinnedPublicKeySha256}. */
    public String spkiPin() {
        return SpkiPins.spkiSha256Base64(encoded(certificate));
    }

    /** The certificate as a PEM block. */
    public String certificatePem() {
        return Pem.encode("CERTIFICATE", encoded(certificate));
    }

    static String fingerprint(X509Certificate certificate) {
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(SpkiPins.sha256(encoded(certificate)));
    }

    private static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("cannot encode certificate " + certificate.getSubjectX500Principal(), e);
        }
    }

    @Override
    public String toString() {
        return "SelfSignedServerCertificate[" + certificate.getSubjectX500Principal() + ", sha256="
                + sha256Fingerprint() + "]";
    }

    private static void addName(String hostname, Set<String> dnsNames, Set<InetAddress> addresses) {
        if (hostname == null || hostname.isBlank()) {
            throw new IllegalArgumentException("hostname '" + hostname + "' is empty");
        }
        String name = hostname.strip();
        if (name.startsWith("[") && name.endsWith("]")) {
            name = name.substring(1, name.length() - 1);
        }
        if (ClientTlsOptions.isIpLiteral(name)) {
            addresses.add(address(name));
        } else if (name.chars().allMatch(c -> c < 0x80 && (Character.isLetterOrDigit(c) || c == '.' || c == '-'
                || c == '*' || c == '_'))) {
            dnsNames.add(name.toLowerCase(Locale.ROOT));
        } else {
            throw new IllegalArgumentException("hostname '" + hostname + "' is neither an IP literal nor an ASCII "
                    + "DNS name");
        }
    }

    private static InetAddress address(String literal) {
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(literal);
        try {
            return InetAddress.getByAddress(bytes);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("IP literal '" + literal + "' has a bad length", e);
        }
    }
}
