package org.anytls4j.anytls.server;

import org.anytls4j.anytls.config.HostPort;
import org.anytls4j.anytls.config.InvalidConfigurationException;
import org.anytls4j.anytls.config.ServerProperties;
import org.anytls4j.anytls.config.ServerSettings;
import org.anytls4j.anytls.config.ServerUser;
import org.anytls4j.anytls.padding.InvalidPaddingSchemeException;
import org.anytls4j.anytls.padding.PaddingScheme;
import org.anytls4j.anytls.session.ServerUsers;
import org.anytls4j.anytls.tls.CertificateLoadException;
import org.anytls4j.anytls.tls.ServerCertificateSource;
import org.anytls4j.anytls.tls.ServerTlsOptions;
import org.anytls4j.anytls.tls.TlsProvider;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns validated {@link ServerSettings} into the parts a server is built from. Everything that can still be wrong
 * with a configuration after {@link ServerSettings#from} (a padding scheme the protocol parser refuses, PEM files
 * that hold no usable certificate, an unavailable TLS provider) surfaces here as an
 * {@link InvalidConfigurationException} naming the property, so that a server is never half started.
 */
final class ServerSettingsTranslator {
    private ServerSettingsTranslator() {
    }

    static ServerUsers users(ServerSettings settings) {
        Map<String, String> passwords = new LinkedHashMap<>();
        for (ServerUser user : settings.users()) {
            passwords.put(user.name(), user.password().reveal());
        }
        return ServerUsers.ofPasswords(passwords);
    }

    /**
     * The configured scheme, parsed strictly: a server must not push a scheme that some client parser would read
     * differently from ours, so the strict parser (the one that rejects what the Go client would silently skip)
     * is the gate here, while clients use the lenient one for what servers send them.
     */
    static PaddingScheme paddingScheme(ServerSettings settings) {
        return settings.paddingScheme().map(raw -> {
            try {
                return PaddingScheme.parse(raw);
            } catch (InvalidPaddingSchemeException e) {
                throw settings.invalidPaddingScheme(e.getMessage());
            }
        }).orElse(PaddingScheme.DEFAULT);
    }

    static ServerTlsOptions tlsOptions(ServerSettings settings) {
        return ServerTlsOptions.builder()
                .pemFiles(settings.certificateFile().orElse(null), settings.privateKeyFile().orElse(null))
                .provider(TlsProvider.valueOf(settings.tlsProvider().name()))
                .handshakeTimeout(settings.handshakeTimeout())
                .build();
    }

    /**
     * Loads the PEM files (or generates a self-signed certificate, which logs a WARNING). Blocking file I/O and key
     * generation: call it from the activating thread, never from an event loop.
     */
    static ServerCertificateSource certificates(ServerSettings settings) {
        try {
            return ServerCertificateSource.create(tlsOptions(settings));
        } catch (CertificateLoadException e) {
            String property = settings.privateKeyFile().filter(e.file()::equals).isPresent()
                    ? ServerProperties.PRIVATE_KEY_FILE : ServerProperties.CERTIFICATE_FILE;
            throw InvalidConfigurationException.of(property, String.valueOf(e.file()), e.getMessage(), e);
        } catch (IllegalStateException e) {
            throw InvalidConfigurationException.of(ServerProperties.TLS_PROVIDER,
                    settings.tlsProvider().name().toLowerCase(java.util.Locale.ROOT), e.getMessage(), e);
        }
    }

    /** The listen address; an IP literal by then, so building the address does no DNS lookup. */
    static InetSocketAddress bindAddress(ServerSettings settings) {
        return new InetSocketAddress(settings.listenAddress(), settings.port());
    }

    /**
     * The fallback target. A host name stays unresolved: the outbound bootstrap resolves it with Netty's
     * asynchronous resolver for each fallback connection, which also follows DNS changes.
     */
    static InetSocketAddress fallbackAddress(HostPort fallback) {
        return fallback.isIpLiteral()
                ? new InetSocketAddress(fallback.host(), fallback.port())
                : InetSocketAddress.createUnresolved(fallback.host(), fallback.port());
    }
}
