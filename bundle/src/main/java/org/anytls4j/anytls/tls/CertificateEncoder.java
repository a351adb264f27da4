package org.anytls4j.anytls.tls;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Instant;
import java.util.List;

/**
 * Writes a minimal self-signed X.509 v3 certificate (RFC 5280) for an EC P-256 key, signed with ECDSA-SHA256.
 * The JDK has no public certificate builder, and BouncyCastle is not allowed in product code.
 */
final class CertificateEncoder {
    private static final String ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
    private static final String COMMON_NAME = "2.5.4.3";
    private static final String BASIC_CONSTRAINTS = "2.5.29.19";
    private static final String KEY_USAGE = "2.5.29.15";
    private static final String EXTENDED_KEY_USAGE = "2.5.29.37";
    private static final String SUBJECT_ALT_NAME = "2.5.29.17";
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final int SAN_DNS_NAME = 2;
    private static final int SAN_IP_ADDRESS = 7;
    /** KeyUsage bit 0 (digitalSignature) as a one-byte BIT STRING with 7 unused bits. */
    private static final byte[] DIGITAL_SIGNATURE_ONLY = Der.tlv(Der.BIT_STRING, new byte[] {7, (byte) 0x80});

    private CertificateEncoder() {
    }

    /**
     * @param commonName the subject and issuer CN, or {@code null} for an EMPTY subject and issuer (what anytls-go's
     *                   sample server sends; tests use it)
     * @return the DER encoding of the signed certificate
     */
    static byte[] selfSigned(KeyPair keyPair, String commonName, List<String> dnsNames, List<InetAddress> addresses,
                             Instant notBefore, Instant notAfter) throws GeneralSecurityException {
        byte[] algorithm = Der.sequence(Der.oid(ECDSA_WITH_SHA256));
        byte[] name = commonName == null
                ? Der.sequence()
                : Der.sequence(Der.set(Der.sequence(Der.oid(COMMON_NAME), Der.utf8(commonName))));
        byte[] tbs = Der.sequence(
                Der.explicit(0, Der.integer(2)),
                Der.integer(new BigInteger(127, new SecureRandom()).setBit(126)),
                algorithm,
                name,
                Der.sequence(Der.time(notBefore), Der.time(notAfter)),
                name,
                keyPair.getPublic().getEncoded(),
                Der.explicit(3, Der.sequence(
                        extension(BASIC_CONSTRAINTS, true, Der.sequence()),
                        extension(KEY_USAGE, true, DIGITAL_SIGNATURE_ONLY),
                        extension(EXTENDED_KEY_USAGE, false, Der.sequence(Der.oid(SERVER_AUTH))),
                        extension(SUBJECT_ALT_NAME, false, subjectAltNames(dnsNames, addresses)))));
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(keyPair.getPrivate());
        signer.update(tbs);
        return Der.sequence(tbs, algorithm, Der.bitString(signer.sign()));
    }

    private static byte[] extension(String oid, boolean critical, byte[] value) {
        return critical
                ? Der.sequence(Der.oid(oid), Der.bool(true), Der.octetString(value))
                : Der.sequence(Der.oid(oid), Der.octetString(value));
    }

    private static byte[] subjectAltNames(List<String> dnsNames, List<InetAddress> addresses) {
        ByteArrayOutputStream names = new ByteArrayOutputStream();
        for (String dnsName : dnsNames) {
            names.writeBytes(Der.implicitPrimitive(SAN_DNS_NAME,
                    dnsName.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        }
        for (InetAddress address : addresses) {
            names.writeBytes(Der.implicitPrimitive(SAN_IP_ADDRESS, address.getAddress()));
        }
        return Der.sequence(names.toByteArray());
    }
}
