package org.anytls4j.anytls.config;

import static org.anytls4j.anytls.config.ClientProperties.INSECURE;
import static org.anytls4j.anytls.config.ClientProperties.PASSWORD;
import static org.anytls4j.anytls.config.ClientProperties.SERVER;
import static org.anytls4j.anytls.config.ClientProperties.SNI;
import static org.anytls4j.anytls.config.ClientProperties.URI;

import java.util.Optional;

/**
 * The client's {@code .uri} against the properties that can say the same thing ({@code server}, {@code .password},
 * {@code sni}, {@code insecure}): either may give a value, and when both do they must agree, otherwise the
 * configuration is rejected naming {@code .uri}. Picking one silently would hide a stale URI or a stale password
 * until the first failed connection. Messages never show the password.
 */
final class UriAgreement {

    private UriAgreement() {
    }

    static AnyTlsUri parse(String text) {
        try {
            return AnyTlsUri.parse(text);
        } catch (IllegalArgumentException e) {
            // AnyTlsUri's messages mask the password; the exception itself is dropped so that no future change
            // there can leak through a cause chain.
            throw InvalidConfigurationException.ofSecret(URI, e.getMessage());
        }
    }

    static HostPort server(Optional<HostPort> explicit, Optional<AnyTlsUri> uri) {
        if (uri.isEmpty()) {
            return explicit.orElseThrow(() -> InvalidConfigurationException.of(SERVER, null,
                    "required: set '" + SERVER + "' (host:port) or '" + URI + "'"));
        }
        HostPort fromUri = uri.get().server();
        if (explicit.isPresent() && !(explicit.get().host().equalsIgnoreCase(fromUri.host())
                && explicit.get().port() == fromUri.port())) {
            throw InvalidConfigurationException.ofSecret(URI,
                    "its server " + fromUri + " differs from '" + SERVER + "' = " + explicit.get());
        }
        return explicit.orElse(fromUri);
    }

    static Secret password(Optional<Secret> explicit, Optional<AnyTlsUri> uri) {
        Optional<Secret> fromUri = uri.flatMap(AnyTlsUri::password);
        if (explicit.isPresent() && fromUri.isPresent() && !explicit.get().equals(fromUri.get())) {
            throw InvalidConfigurationException.ofSecret(URI, "its password differs from '" + PASSWORD + "'");
        }
        return explicit.or(() -> fromUri).orElseThrow(() -> InvalidConfigurationException.of(PASSWORD, null,
                "required: set '" + PASSWORD + "' or put the password in '" + URI + "'"));
    }

    static Optional<String> sni(Optional<String> explicit, Optional<AnyTlsUri> uri, HostPort server) {
        Optional<String> fromUri = uri.flatMap(AnyTlsUri::sni);
        if (explicit.isPresent() && fromUri.isPresent() && !explicit.get().equalsIgnoreCase(fromUri.get())) {
            throw InvalidConfigurationException.ofSecret(URI,
                    "its sni '" + fromUri.get() + "' differs from '" + SNI + "' = '" + explicit.get() + "'");
        }
        String name = explicit.or(() -> fromUri).orElse(server.host());
        return HostSyntax.isIpLiteral(name) ? Optional.empty() : Optional.of(name);
    }

    static boolean insecure(Optional<Boolean> explicit, Optional<AnyTlsUri> uri) {
        Optional<Boolean> fromUri = uri.flatMap(AnyTlsUri::insecure);
        if (explicit.isPresent() && fromUri.isPresent() && !explicit.get().equals(fromUri.get())) {
            throw InvalidConfigurationException.ofSecret(URI, "its insecure=" + (fromUri.get() ? "1" : "0")
                    + " differs from '" + INSECURE + "' = " + explicit.get());
        }
        return explicit.or(() -> fromUri).orElse(false);
    }
}
