package org.anytls4j.anytls.tls.fingerprint;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.anytls4j.anytls.tls.fingerprint.ExtensionTypes.ALPN;
import static org.anytls4j.anytls.tls.fingerprint.ExtensionTypes.APPLICATION_SETTINGS;
import static org.anytls4j.anytls.tls.fingerprint.ExtensionTypes.COMPRESS_CERTIFICATE;
import static org.anytls4j.anytls.tls.fingerprint.ExtensionTypes.ECH;
import static org.anytls4j.anytls.tls.fingerprint.ExtensionTypes.EC_POINT_FORMATS;
import static org.anytls4j.anytls.tls.fingerprint.ExtensionTypes.EXTENDED_MASTER_SECRET;
import static org.anytls4j.anytls.tls.fingerprint.ExtensionTypes.KEY_SHARE;
import static org.anytls4j.anytls.tls.fingerprint.ExtensionTypes.PSK_KEY_EXCHANGE_MODES;
import static org.anytls4j.anytls.tls.fingerprint.ExtensionTypes.RENEGOTIATION_INFO;
import static org.anytls4j.anytls.tls.fingerprint.ExtensionTypes.SERVER_NAME;
import static org.anytls4j.anytls.tls.fingerprint.ExtensionTypes.SESSION_TICKET;
import static org.anytls4j.anytls.tls.fingerprint.ExtensionTypes.SIGNATURE_ALGORITHMS;
import static org.anytls4j.anytls.tls.fingerprint.ExtensionTypes.SIGNED_CERTIFICATE_TIMESTAMP;
import static org.anytls4j.anytls.tls.fingerprint.ExtensionTypes.STATUS_REQUEST;
import static org.anytls4j.anytls.tls.fingerprint.ExtensionTypes.SUPPORTED_GROUPS;
import static org.anytls4j.anytls.tls.fingerprint.ExtensionTypes.SUPPORTED_VERSIONS;

/**
 * The browser hellos this client can send, by the name the {@code fingerprint} option uses. {@code none} is not
 * here: it means "no profile", the Netty engines of {@code tlsProvider}.
 *
 * <p>This class holds data only and loads no Bouncy Castle class, so validating a configuration never needs BC.
 */
public final class HelloProfiles {
    /** The option value that selects no profile (the Netty engines). */
    public static final String NONE = "none";

    private static final int X25519_MLKEM768 = 0x11ec;
    private static final int X25519 = 0x001d;
    private static final int SECP256R1 = 0x0017;
    private static final int SECP384R1 = 0x0018;
    private static final int BROTLI = 2;

    /**
     * Chrome 133 to 149 (JA4 {@code t13d1516h2_8daaf6152771_d8a2da3f94cd}), after uTLS's {@code HelloChrome_133} and
     * published captures of real Chrome: see SECURITY.md. No padding extension: the ML-KEM key share already makes
     * the hello longer than the 512 bytes padding was for.
     */
    public static final HelloProfile CHROME = new HelloProfile(
            "chrome",
            List.of(0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013, 0xc014,
                    0x009c, 0x009d, 0x002f, 0x0035),
            List.of(SERVER_NAME, EXTENDED_MASTER_SECRET, RENEGOTIATION_INFO, SUPPORTED_GROUPS, EC_POINT_FORMATS,
                    SESSION_TICKET, ALPN, STATUS_REQUEST, SIGNATURE_ALGORITHMS, SIGNED_CERTIFICATE_TIMESTAMP,
                    KEY_SHARE, PSK_KEY_EXCHANGE_MODES, SUPPORTED_VERSIONS, COMPRESS_CERTIFICATE,
                    APPLICATION_SETTINGS, ECH),
            List.of(X25519_MLKEM768, X25519, SECP256R1, SECP384R1),
            List.of(X25519_MLKEM768, X25519),
            List.of(0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601),
            List.of(0x0304, 0x0303),
            List.of("h2", "http/1.1"),
            List.of("h2"),
            APPLICATION_SETTINGS,
            List.of(BROTLI),
            // BoringSSL's GREASE ECH: 128 + 32 * (0..3) bytes of fake inner hello + 16 bytes of AEAD tag.
            List.of(144, 176, 208, 240),
            true,
            true);

    private static final Map<String, HelloProfile> BY_NAME = index(CHROME);

    private HelloProfiles() {
    }

    private static Map<String, HelloProfile> index(HelloProfile... profiles) {
        Map<String, HelloProfile> byName = new TreeMap<>();
        for (HelloProfile profile : profiles) {
            byName.put(profile.name(), profile);
        }
        return Map.copyOf(byName);
    }

    /** The profile named {@code name} (case-insensitive); empty for {@code none}. */
    public static Optional<HelloProfile> forName(String name) {
        String key = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        if (NONE.equals(key)) {
            return Optional.empty();
        }
        HelloProfile profile = BY_NAME.get(key);
        if (profile == null) {
            throw new IllegalArgumentException("fingerprint '" + name + "' is not one of " + names());
        }
        return Optional.of(profile);
    }

    /** Every accepted option value, {@code none} first. */
    public static List<String> names() {
        java.util.List<String> names = new java.util.ArrayList<>();
        names.add(NONE);
        names.addAll(new TreeMap<>(BY_NAME).keySet());
        return List.copyOf(names);
    }
}
