package org.anytls4j.host.proxy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The users a proxy accepts, for SOCKS5 username/password (RFC 1929) and HTTP {@code Proxy-Authorization: Basic}.
 * Empty means no authentication.
 *
 * <p>Only SHA-256 hashes of the passwords are kept, and they are compared in constant time, so neither memory dumps
 * nor response timing reveal a password. Immutable; {@link #toString()} shows names only.
 */
public final class ProxyUsers {
    private static final ProxyUsers NONE = new ProxyUsers(Map.of());
    /** Compared against when the user is unknown, so that unknown and known users take the same time. */
    private static final byte[] NO_USER_HASH = sha256("\0no such user\0");

    private final Map<String, byte[]> passwordHashes;

    private ProxyUsers(Map<String, byte[]> passwordHashes) {
        this.passwordHashes = passwordHashes;
    }

    /** No authentication. */
    public static ProxyUsers none() {
        return NONE;
    }

    /**
     * Users from {@code name:password} entries, split at the first {@code ':'} (so passwords may contain colons).
     *
     * @param property the configuration property the entries come from, named in error messages
     * @throws IllegalArgumentException naming the property and the entry's position (never its password) if an
     *                                  entry has no {@code ':'}, an empty name or password, a name or password
     *                                  longer than 255 bytes (the RFC 1929 limit), or a repeated name
     */
    public static ProxyUsers parse(List<String> entries, String property) {
        Objects.requireNonNull(entries, "entries");
        Map<String, byte[]> hashes = new LinkedHashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            String entry = Objects.requireNonNull(entries.get(i), () -> property + " has a null entry");
            int colon = entry.indexOf(':');
            String where = property + " entry " + (i + 1);
            if (colon < 0) {
                throw new IllegalArgumentException(where + " must be name:password, but has no ':'");
            }
            String name = entry.substring(0, colon);
            String password = entry.substring(colon + 1);
            if (name.isEmpty() || password.isEmpty()) {
                throw new IllegalArgumentException(where + " must have a non-empty name and password");
            }
            if (utf8Length(name) > 255 || utf8Length(password) > 255) {
                throw new IllegalArgumentException(where + " ('" + shorten(name)
                        + "'): name and password may have at most 255 bytes each (RFC 1929)");
            }
            if (hashes.put(name, sha256(password)) != null) {
                throw new IllegalArgumentException(where + ": user '" + name + "' is listed twice");
            }
        }
        return hashes.isEmpty() ? NONE : new ProxyUsers(Collections.unmodifiableMap(hashes));
    }

    /** Whether clients must authenticate. */
    public boolean required() {
        return !passwordHashes.isEmpty();
    }

    /** The user's name if {@code name} and {@code password} match a configured user. */
    public Optional<String> authenticate(String name, String password) {
        if (name == null || password == null) {
            return Optional.empty();
        }
        byte[] expected = passwordHashes.get(name);
        boolean match = MessageDigest.isEqual(expected == null ? NO_USER_HASH : expected, sha256(password));
        return match && expected != null ? Optional.of(name) : Optional.empty();
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    private static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    private static String shorten(String name) {
        return name.length() <= 32 ? name : name.substring(0, 32) + "...";
    }

    @Override
    public String toString() {
        return required() ? "ProxyUsers" + passwordHashes.keySet() : "ProxyUsers[none]";
    }
}
