package org.anytls4j.anytls.client;

import org.anytls4j.anytls.client.pool.PoolOptions;
import org.anytls4j.anytls.config.ClientSettings;
import org.anytls4j.anytls.config.PoolSettings;
import org.anytls4j.anytls.io.IoRuntime;
import org.anytls4j.anytls.tls.ClientTlsOptions;

/** Turns validated client settings into a transport; the one place where configuration meets the engine. */
public final class ClientTransportFactory {
    private ClientTransportFactory() {
    }

    public static AnyTlsClientTransport create(ClientSettings settings, IoRuntime io) {
        return AnyTlsClientTransport.builder(settings.name(), io)
                .server(settings.serverHost(), settings.serverPort())
                .password(settings.password().reveal())
                .tls(tlsOptions(settings))
                .pool(poolOptions(settings.pool()))
                .connectTimeout(settings.connectTimeout())
                .synackTimeout(settings.synackTimeout())
                .heartbeat(settings.heartbeatInterval(), settings.heartbeatTimeout())
                .build();
    }

    static ClientTlsOptions tlsOptions(ClientSettings settings) {
        ClientTlsOptions.Builder tls = ClientTlsOptions.builder()
                .insecure(settings.insecure())
                .pinnedPublicKeySha256(settings.pinnedPublicKeySha256())
                .alpn(settings.alpn())
                .provider(settings.tlsProvider())
                .handshakeTimeout(settings.handshakeTimeout());
        settings.sni().ifPresent(tls::serverName);
        settings.trustedCertificate().ifPresent(tls::trustedCertificatesPem);
        return tls.build();
    }

    public static PoolOptions poolOptions(PoolSettings pool) {
        return PoolOptions.builder()
                .idleSessionCheckInterval(pool.idleSessionCheckInterval())
                .idleSessionTimeout(pool.idleSessionTimeout())
                .minIdleSessions(pool.minIdleSessions())
                .disableReuse(pool.disableReuse())
                .maxSessions(pool.maxSessions())
                .warmIdleSessions(pool.warmIdleSessions())
                .maxSessionAge(pool.maxSessionAge())
                .build();
    }
}
