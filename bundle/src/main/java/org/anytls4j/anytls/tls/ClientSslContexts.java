package org.anytls4j.anytls.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * Client-side TLS for AnyTLS carriers: one {@link SslContext} per {@link ClientTlsOptions}, one {@link SslHandler}
 * per connection.
 *
 * <p>Verification failures (untrusted chain, name mismatch, pin mismatch) fail the handler's handshake future with
 * an {@link javax.net.ssl.SSLHandshakeException} (or another {@link SSLException}); a silent server fails it with
 * {@link io.netty.handler.ssl.SslHandshakeTimeoutException}. Callers map both to an "upstream TLS" failure.
 *
 * <h2>Insecure mode and certificates the JDK cannot parse</h2>
 * The reference server (anytls-go) generates a certificate with an empty subject and issuer. The JDK's
 * SSLEngine parses every certificate the server sends before any trust manager runs, and its parser rejects an
 * empty issuer ("Empty issuer DN not allowed"), so a JDK engine cannot reach that server even when nothing is
 * verified. OpenSSL (netty-tcnative) engines hand the chain to the trust manager as lazily parsed certificates
 * and the insecure trust manager never parses them. Therefore {@link TlsProvider#AUTO} picks OpenSSL whenever it
 * is available, and {@link TlsProvider#JDK} in insecure mode cannot reach such servers.
 */
public final class ClientSslContexts {
    private static final List<SNIServerName> NO_SNI = List.of();

    private ClientSslContexts() {
    }

    /**
     * Builds the client context.
     *
     * @throws SSLException             when the context cannot be built, or the trusted-certificates file cannot be
     *                                  read or holds no certificate (the message names the file)
     * @throws IllegalStateException    when {@link TlsProvider#OPENSSL} is requested but unavailable
     */
    public static SslContext create(ClientTlsOptions options) throws SSLException {
        Objects.requireNonNull(options, "options");
        SslProvider provider = options.provider().resolve();
        X509ExtendedTrustManager chainVerifier = options.insecure() ? null : chainVerifier(options);
        SslContextBuilder builder = SslContextBuilder.forClient()
                .sslProvider(provider)
                .trustManager(new ServerTrustManager(chainVerifier, options.pinnedPublicKeySha256()))
                // Name checks happen in the delegate trust manager, driven by this algorithm on the engine.
                .endpointIdentificationAlgorithm(options.insecure() ? null : "HTTPS");
        if (!options.alpn().isEmpty()) {
            // Lenient on both failure paths: a proxy server that picks nothing (or something else) is still a
            // usable carrier; the caller can read what was chosen from SslHandler.applicationProtocol().
            builder.applicationProtocolConfig(new ApplicationProtocolConfig(
                    ApplicationProtocolConfig.Protocol.ALPN,
                    ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                    ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                    options.alpn()));
        }
        return builder.build();
    }

    /**
     * The handler for one carrier connection to {@code peerHost:peerPort}: applies the SNI rules, the name to
     * verify and the handshake timeout of {@code options} (which must be the ones {@code context} was built from).
     *
     * @param peerHost the host the carrier connects to (DNS name or IP literal); verified when the options have
     *                 no server name
     */
    public static SslHandler newHandler(SslContext context, ClientTlsOptions options, ByteBufAllocator allocator,
                                        String peerHost, int peerPort) {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(allocator, "allocator");
        if (!context.isClient()) {
            throw new IllegalArgumentException("context is a server context; a client context is required");
        }
        String engineHost = engineHost(options, peerHost);
        SslHandler handler = engineHost == null
                ? context.newHandler(allocator)
                : context.newHandler(allocator, engineHost, peerPort);
        try {
            SSLEngine engine = handler.engine();
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setServerNames(options.sniHostName()
                    .<List<SNIServerName>>map(name -> List.of(new SNIHostName(name)))
                    .orElse(NO_SNI));
            parameters.setEndpointIdentificationAlgorithm(options.insecure() ? null : "HTTPS");
            engine.setSSLParameters(parameters);
            handler.setHandshakeTimeoutMillis(options.handshakeTimeout().toMillis());
            return handler;
        } catch (RuntimeException e) {
            // OpenSSL engines hold native memory until released; the handler never reached a pipeline.
            ReferenceCountUtil.release(handler.engine());
            throw e;
        }
    }

    /**
     * The peer host given to the engine. The engine's peer host is the name the JDK trust manager verifies, so
     * when verifying it is the server name if configured, else the connected host. When not verifying it only
     * keys session resumption; then it is left out unless it is the SNI name, because OpenSSL engines announce
     * any DNS peer host as SNI and insecure mode without a server name must send none.
     */
    static String engineHost(ClientTlsOptions options, String peerHost) {
        String host = options.serverName().orElse(stripBrackets(peerHost));
        if (options.insecure()) {
            return options.sniHostName().orElse(null);
        }
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException(
                    "peerHost is empty and no serverName is configured: there is no name to verify");
        }
        return host;
    }

    private static String stripBrackets(String host) {
        if (host != null && host.startsWith("[") && host.endsWith("]")) {
            return host.substring(1, host.length() - 1);
        }
        return host;
    }

    static X509ExtendedTrustManager chainVerifier(ClientTlsOptions options) throws SSLException {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(options.trustedCertificatesPem().isPresent()
                    ? trustStore(options.trustedCertificatesPem().get())
                    : null);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509ExtendedTrustManager) {
                    return (X509ExtendedTrustManager) manager;
                }
            }
            throw new SSLException("the default TrustManagerFactory offers no X509ExtendedTrustManager");
        } catch (GeneralSecurityException e) {
            throw new SSLException("cannot initialise certificate verification: " + e.getMessage(), e);
        }
    }

    private static KeyStore trustStore(Path pemFile) throws SSLException {
        try {
            List<X509Certificate> anchors = Pem.certificates(Files.readAllBytes(pemFile));
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < anchors.size(); i++) {
                store.setCertificateEntry("anchor-" + i, anchors.get(i));
            }
            return store;
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new SSLException("trustedCertificatesPem '" + pemFile + "': " + e.getMessage(), e);
        }
    }
}
