package org.anytls4j.anytls.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * A password: printed as {@code ***}, revealed only where the protocol needs it.
 *
 * <p>The text is kept as a {@link String}, not a wipeable {@code char[]}: Configuration Admin hands it over as
 * a String that lives as long as the configuration does, so a copy that could be wiped would protect nothing.
 *
 * <p>Equality is by content, because two readings of the same configuration must compare equal (a component
 * compares old and new settings on reconfiguration). The comparison runs in constant time over the SHA-256
 * digests, and {@link #hashCode()} is a constant, so neither leaks anything about the content.
 */
public final class Secret {

    private final String value;
    private final byte[] sha256;

    private Secret(String value) {
        this.value = value;
        this.sha256 = digest(value);
    }

    /**
     * @throws IllegalArgumentException if {@code value} is empty: an empty password is a configuration mistake,
     *     never a deliberate choice
     */
    public static Secret of(String value) {
        Objects.requireNonNull(value, "value");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("A secret must not be empty");
        }
        return new Secret(value);
    }

    /** The clear text. Call it only where the protocol needs the password itself; never log the result. */
    public String reveal() {
        return value;
    }

    /** SHA-256 of the UTF-8 text, as AnyTLS authentication sends it (§3); a fresh copy on every call. */
    public byte[] sha256() {
        return sha256.clone();
    }

    /** Constant-time comparison of a received authentication hash with this secret's. */
    public boolean matchesSha256(byte[] candidate) {
        return candidate != null && MessageDigest.isEqual(sha256, candidate);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Secret && MessageDigest.isEqual(sha256, ((Secret) other).sha256);
    }

    /** Constant: a content-based hash would be a (weak) oracle on the password. */
    @Override
    public int hashCode() {
        return 0x5ec2e7;
    }

    @Override
    public String toString() {
        return InvalidConfigurationException.MASK;
    }

    private static byte[] digest(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform is required to provide SHA-256.
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
