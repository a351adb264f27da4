package org.anytls4j.anytls.client;

import org.anytls4j.anytls.config.ClientSettings;
import org.anytls4j.anytls.io.IoRuntime;
import org.anytls4j.anytls.padding.PaddingScheme;
import org.anytls4j.anytls.tls.ClientTlsOptions;

/** Turns validated client settings into transport options; the one place where configuration meets the engine. */
public final class ClientTransportFactory {
    private ClientTransportFactory() {
    }

    public static AnyTlsClientTransport create(ClientSettings settings, IoRuntime io) {
        return AnyTlsClientTransport.create(options(settings, io).options(), io);
    }

    static AnyTlsClientTransport create(ClientSettings settings, IoRuntime io, ClientCounters counters,
                                        PaddingScheme scheme) {
        return AnyTlsClientTransport.create(options(settings, io).paddingScheme(scheme).options(), io, counters);
    }

    private static ClientTransportOptions.Builder options(ClientSettings settings, IoRuntime io) {
        return ClientTransportOptions.builder(settings.name(), io)
                .server(settings.serverHost(), settings.serverPort())
                .password(settings.password().reveal())
                .tls(tlsOptions(settings))
                .pool(settings.pool())
                .connectTimeout(settings.connectTimeout())
                .synackTimeout(settings.synackTimeout())
                .earlyDataWindow(settings.earlyDataWindow())
                .heartbeat(settings.heartbeatInterval(), settings.heartbeatTimeout());
    }

    static ClientTlsOptions tlsOptions(ClientSettings settings) {
        ClientTlsOptions.Builder tls = ClientTlsOptions.builder()
                .insecure(settings.insecure())
                .pinnedPublicKeySha256(settings.pinnedPublicKeySha256())
                .alpn(settings.alpn())
                .provider(settings.tlsProvider())
                .fingerprint(settings.fingerprint())
                .handshakeTimeout(settings.handshakeTimeout());
        settings.sni().ifPresent(tls::serverName);
        settings.trustedCertificate().ifPresent(tls::trustedCertificatesPem);
        return tls.build();
    }
}
