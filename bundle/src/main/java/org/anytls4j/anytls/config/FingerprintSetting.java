package org.anytls4j.anytls.config;

import org.anytls4j.anytls.tls.fingerprint.HelloProfiles;

import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

import static org.anytls4j.anytls.config.ClientProperties.FINGERPRINT;
import static org.anytls4j.anytls.config.ClientProperties.URI;

/**
 * The client's {@code fingerprint} property and the URI's {@code fp} parameter: a name of
 * {@link HelloProfiles#names()}, and for anything but {@code none} an engine that can run here.
 */
final class FingerprintSetting {
    private FingerprintSetting() {
    }

    /** The configured name, lower-cased; empty when not set. */
    static Optional<String> read(ConfigReader config) {
        return config.optionalString(FINGERPRINT).map(value -> {
            String name = value.strip().toLowerCase(Locale.ROOT);
            if (!HelloProfiles.names().contains(name)) {
                throw InvalidConfigurationException.of(FINGERPRINT, value,
                        "expected one of " + String.join(", ", HelloProfiles.names()));
            }
            return name;
        });
    }

    /**
     * The property, else the URI's {@code fp}, else {@code none}; both given must agree. A browser profile is
     * refused when {@code engineProblem} reports one (Bouncy Castle missing), naming the property.
     */
    static String resolve(Optional<String> explicit, Optional<AnyTlsUri> uri,
                          Supplier<Optional<String>> engineProblem) {
        Optional<String> fromUri = uri.flatMap(AnyTlsUri::fingerprint);
        if (explicit.isPresent() && fromUri.isPresent() && !explicit.get().equals(fromUri.get())) {
            throw InvalidConfigurationException.ofSecret(URI, "its fp=" + fromUri.get() + " differs from '"
                    + FINGERPRINT + "' = " + explicit.get());
        }
        String fingerprint = explicit.or(() -> fromUri).orElse(HelloProfiles.NONE);
        if (!fingerprint.equals(HelloProfiles.NONE)) {
            engineProblem.get().ifPresent(problem -> {
                throw InvalidConfigurationException.of(FINGERPRINT, fingerprint, problem);
            });
        }
        return fingerprint;
    }
}
