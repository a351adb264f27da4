package org.anytls4j.anytls.tls;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.List;
import java.util.Map;

/**
 * Private keys from PEM: PKCS#8 ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY}) and SEC1
 * ({@code EC PRIVATE KEY}), without BouncyCastle. PKCS#1 and SEC1 keys are rewrapped as PKCS#8, which is all the
 * JDK's KeyFactory reads. Encrypted keys are refused: there is no key password setting.
 */
final class PemPrivateKeys {
    private static final String RSA_ENCRYPTION = "1.2.840.113549.1.1.1";
    private static final String EC_PUBLIC_KEY = "1.2.840.10045.2.1";
    private static final Map<String, String> ALGORITHMS = Map.of(
            RSA_ENCRYPTION, "RSA",
            "1.2.840.113549.1.1.10", "RSASSA-PSS",
            EC_PUBLIC_KEY, "EC",
            "1.3.101.112", "Ed25519",
            "1.3.101.113", "Ed448",
            "1.2.840.10040.4.1", "DSA");

    private PemPrivateKeys() {
    }

    /** The single private key in {@code content}; the message of any exception says what is wrong with it. */
    static PrivateKey read(byte[] content) throws GeneralSecurityException {
        for (Pem.Block block : Pem.blocks(content)) {
            switch (block.label()) {
                case "PRIVATE KEY":
                    return fromPkcs8(block.der());
                case "RSA PRIVATE KEY":
                    rejectEncryptedLegacy(block);
                    return fromPkcs8(wrap(Der.sequence(Der.oid(RSA_ENCRYPTION), Der.nullValue()), block.der()));
                case "EC PRIVATE KEY":
                    rejectEncryptedLegacy(block);
                    return fromPkcs8(wrap(Der.sequence(Der.oid(EC_PUBLIC_KEY), sec1Curve(block.der())), block.der()));
                case "ENCRYPTED PRIVATE KEY":
                    throw new GeneralSecurityException("the private key is encrypted (ENCRYPTED PRIVATE KEY); "
                            + "store it unencrypted, e.g. openssl pkcs8 -topk8 -nocrypt");
                default:
                    // EC PARAMETERS and other blocks may precede the key
            }
        }
        throw new GeneralSecurityException("no private key block found (expected '-----BEGIN PRIVATE KEY-----', "
                + "'RSA PRIVATE KEY' or 'EC PRIVATE KEY')");
    }

    private static PrivateKey fromPkcs8(byte[] pkcs8) throws GeneralSecurityException {
        String algorithm;
        try {
            List<Der.Element> fields = Der.parse(pkcs8).expect(Der.SEQUENCE, "PrivateKeyInfo").children();
            Der.Element algorithmId = fields.get(1).expect(Der.SEQUENCE, "PrivateKeyInfo algorithm");
            String oid = Der.decodeOid(algorithmId.children().get(0).expect(Der.OID, "algorithm OID").content());
            algorithm = ALGORITHMS.get(oid);
            if (algorithm == null) {
                throw new GeneralSecurityException("unsupported private key algorithm " + oid);
            }
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new GeneralSecurityException("the private key is not a valid PKCS#8 structure: " + e.getMessage(),
                    e);
        }
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    }

    /** PrivateKeyInfo ::= SEQUENCE { version 0, AlgorithmIdentifier, OCTET STRING privateKey }. */
    private static byte[] wrap(byte[] algorithmIdentifier, byte[] privateKey) {
        return Der.sequence(Der.integer(0), algorithmIdentifier, Der.octetString(privateKey));
    }

    /** ECPrivateKey ::= SEQUENCE { version 1, privateKey OCTET STRING, [0] parameters (named curve OID), ... }. */
    private static byte[] sec1Curve(byte[] sec1) throws GeneralSecurityException {
        try {
            for (Der.Element field : Der.parse(sec1).expect(Der.SEQUENCE, "ECPrivateKey").children()) {
                if (field.tag() == 0xa0) {
                    return field.children().get(0).expect(Der.OID, "named curve").encoded();
                }
            }
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new GeneralSecurityException("the EC private key is not a valid SEC1 structure: " + e.getMessage(),
                    e);
        }
        throw new GeneralSecurityException("the EC private key names no curve (SEC1 parameters [0] missing)");
    }

    private static void rejectEncryptedLegacy(Pem.Block block) throws GeneralSecurityException {
        if (block.hasHeaders()) {
            throw new GeneralSecurityException("the private key '" + block.label() + "' has PEM headers "
                    + "(Proc-Type: 4,ENCRYPTED?); encrypted keys are not supported");
        }
    }
}
