package org.anytls4j.anytls.tls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * SHA-256 pins of a certificate's SubjectPublicKeyInfo (the same value HPKP and {@code openssl pkey -pubin
 * -outform der | sha256sum} produce).
 *
 * <p>The SPKI is cut out of the certificate's DER by hand instead of asking {@code X509Certificate.getPublicKey()},
 * so a pin can be checked on a certificate the JDK refuses to parse (the reference server's empty-DN certificate).
 */
public final class SpkiPins {
    static final int DIGEST_LENGTH = 32;
    private static final String PREFIX = "sha256/";

    private SpkiPins() {
    }

    /**
     * Parses a pin given as base64 (44 characters, an optional {@code sha256/} prefix as in HPKP and OkHttp) or as
     * hex (64 digits, colons allowed) and returns it in the canonical base64 form.
     */
    static String normalize(String pin) {
        return Base64.getEncoder().encodeToString(decode(pin));
    }

    /**
     * The SHA-256 digest a pin stands for, in any of the forms {@link #normalize} accepts.
     *
     * @throws IllegalArgumentException naming the pin and what is wrong with it
     */
    public static byte[] decode(String pin) {
        if (pin == null || pin.isBlank()) {
            throw new IllegalArgumentException("SPKI pin is empty");
        }
        String text = pin.strip();
        if (text.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            text = text.substring(PREFIX.length());
        }
        String hex = text.replace(":", "");
        if (hex.length() == 2 * DIGEST_LENGTH && hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            return HexFormat.of().parseHex(hex.toLowerCase(Locale.ROOT));
        }
        byte[] digest;
        try {
            digest = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "SPKI pin '" + pin + "' is neither 64 hex digits nor base64 of a SHA-256 digest", e);
        }
        if (digest.length != DIGEST_LENGTH) {
            throw new IllegalArgumentException("SPKI pin '" + pin + "' decodes to " + digest.length
                    + " bytes; a SHA-256 digest has " + DIGEST_LENGTH);
        }
        return digest;
    }

    /** The SHA-256 of the SubjectPublicKeyInfo inside a DER-encoded X.509 certificate. */
    static byte[] spkiSha256(byte[] certificateDer) {
        return sha256(subjectPublicKeyInfo(certificateDer));
    }

    static String spkiSha256Base64(byte[] certificateDer) {
        return Base64.getEncoder().encodeToString(spkiSha256(certificateDer));
    }

    /** Whether the certificate's SPKI digest equals one of {@code pins} (canonical base64 strings). */
    static boolean matches(byte[] certificateDer, Iterable<String> pins) {
        byte[] actual = spkiSha256(certificateDer);
        boolean matched = false;
        for (String pin : pins) {
            // Not a secret, but comparing every pin in constant time costs nothing and keeps the habit.
            matched |= MessageDigest.isEqual(actual, Base64.getDecoder().decode(pin));
        }
        return matched;
    }

    /** Certificate ::= SEQUENCE { tbsCertificate, ... }; the SPKI is the 7th field of TBSCertificate when the
     *  explicit version [0] is present (v2/v3), the 6th otherwise (v1). */
    static byte[] subjectPublicKeyInfo(byte[] certificateDer) {
        Der.Element certificate = Der.parse(certificateDer).expect(Der.SEQUENCE, "certificate");
        List<Der.Element> tbs = certificate.children().get(0).expect(Der.SEQUENCE, "TBSCertificate").children();
        int index = !tbs.isEmpty() && tbs.get(0).tag() == 0xa0 ? 6 : 5;
        if (tbs.size() <= index) {
            throw new IllegalArgumentException("TBSCertificate has only " + tbs.size() + " fields");
        }
        return tbs.get(index).expect(Der.SEQUENCE, "SubjectPublicKeyInfo").encoded();
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }
}
