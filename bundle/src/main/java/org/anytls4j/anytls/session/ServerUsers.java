package org.anytls4j.anytls.session;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.anytls4j.anytls.wire.AuthBlock;

/**
 * The users a server accepts, keyed by sha256(password) (§12.9). Lookup compares against every user in constant
 * time per user and never stops early, so timing tells nothing about which hash came close.
 */
public final class ServerUsers {
    private final List<String> names;
    private final List<byte[]> hashes;

    private ServerUsers(Map<String, byte[]> byName) {
        this.names = List.copyOf(byName.keySet());
        List<byte[]> copies = new ArrayList<>();
        for (byte[] hash : byName.values()) {
            copies.add(hash.clone());
        }
        this.hashes = Collections.unmodifiableList(copies);
    }

    /** Users from {@code name -> password}; passwords are hashed here and not kept. */
    public static ServerUsers ofPasswords(Map<String, String> passwordsByName) {
        if (passwordsByName.isEmpty()) {
            throw new IllegalArgumentException("a server needs at least one user");
        }
        Map<String, byte[]> hashes = new LinkedHashMap<>();
        for (Map.Entry<String, String> user : passwordsByName.entrySet()) {
            byte[] hash = AuthBlock.passwordHash(user.getValue());
            for (Map.Entry<String, byte[]> other : hashes.entrySet()) {
                if (MessageDigest.isEqual(other.getValue(), hash)) {
                    throw new IllegalArgumentException("users '" + other.getKey() + "' and '" + user.getKey()
                            + "' have the same password; the server could not tell them apart");
                }
            }
            hashes.put(user.getKey(), hash);
        }
        return new ServerUsers(hashes);
    }

    public static ServerUsers single(String name, String password) {
        return ofPasswords(Map.of(name, password));
    }

    public int size() {
        return names.size();
    }

    public List<String> names() {
        return names;
    }

    /** The user whose password hash is {@code candidate} (32 bytes), if any. */
    public Optional<String> authenticate(byte[] candidate) {
        int found = -1;
        for (int i = 0; i < hashes.size(); i++) {
            boolean equal = MessageDigest.isEqual(hashes.get(i), candidate);
            // No early exit: every user costs the same whoever matches.
            found = equal ? i : found;
        }
        return found < 0 ? Optional.empty() : Optional.of(names.get(found));
    }

    @Override
    public String toString() {
        return "ServerUsers" + names;
    }

}
