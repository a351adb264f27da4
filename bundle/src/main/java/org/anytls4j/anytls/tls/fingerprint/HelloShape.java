package org.anytls4j.anytls.tls.fingerprint;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The per-connection random choices of one hello: GREASE values, the extension order and the fake ECH payload. Fixed
 * for the connection, so a second hello after a HelloRetryRequest looks like the first (as in Chrome).
 */
final class HelloShape {
    private final HelloProfile profile;
    private final int cipherGrease;
    private final int groupGrease;
    private final int versionGrease;
    private final int firstExtensionGrease;
    private final int lastExtensionGrease;
    private final List<Integer> extensionOrder;
    private final byte[] echGrease;

    HelloShape(HelloProfile profile, SecureRandom random) {
        this.profile = profile;
        this.cipherGrease = grease(random);
        this.groupGrease = grease(random);
        this.versionGrease = grease(random);
        this.firstExtensionGrease = grease(random);
        int last = grease(random);
        // Two extensions of one type would be a malformed hello; BoringSSL makes the second differ the same way.
        this.lastExtensionGrease = last == firstExtensionGrease ? last ^ 0x1010 : last;
        List<Integer> order = new ArrayList<>(profile.extensions());
        if (profile.permuteExtensions()) {
            Collections.shuffle(order, random);
        }
        this.extensionOrder = List.copyOf(order);
        this.echGrease = profile.offers(ExtensionTypes.ECH) ? echGrease(profile, random) : new byte[0];
    }

    /** One of the 16 GREASE values 0x0a0a, 0x1a1a, ... 0xfafa (RFC 8701). */
    static int grease(SecureRandom random) {
        int nibble = random.nextInt(16);
        return (nibble << 12) | 0x0a00 | (nibble << 4) | 0x0a;
    }

    static boolean isGrease(int value) {
        return (value & 0x0f0f) == 0x0a0a && ((value >> 8) & 0xff) == (value & 0xff);
    }

    /** An outer ECH extension that no server can decrypt: HKDF-SHA256, AES-128-GCM, random config id, key, payload. */
    private static byte[] echGrease(HelloProfile profile, SecureRandom random) {
        List<Integer> lengths = profile.echGreasePayloadLengths();
        int payloadLength = lengths.get(random.nextInt(lengths.size()));
        byte[] enc = new byte[32];
        random.nextBytes(enc);
        byte[] payload = new byte[payloadLength];
        random.nextBytes(payload);
        WireWriter out = new WireWriter();
        out.uint8(0); // ECHClientHelloType outer
        out.uint16(0x0001); // KDF: HKDF-SHA256
        out.uint16(0x0001); // AEAD: AES-128-GCM
        out.uint8(random.nextInt(256)); // config_id
        out.opaque16(enc);
        out.opaque16(payload);
        return out.toByteArray();
    }

    HelloProfile profile() {
        return profile;
    }

    int cipherGrease() {
        return cipherGrease;
    }

    int groupGrease() {
        return groupGrease;
    }

    int versionGrease() {
        return versionGrease;
    }

    int firstExtensionGrease() {
        return firstExtensionGrease;
    }

    int lastExtensionGrease() {
        return lastExtensionGrease;
    }

    List<Integer> extensionOrder() {
        return extensionOrder;
    }

    byte[] echGrease() {
        return echGrease.clone();
    }
}
