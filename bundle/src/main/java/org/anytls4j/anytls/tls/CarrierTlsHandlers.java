package org.anytls4j.anytls.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.handler.ssl.SslContext;
import org.anytls4j.anytls.tls.fingerprint.FingerprintTls;

import javax.net.ssl.SSLException;
import java.util.Objects;

/**
 * The TLS engine of a client's carriers, chosen once per {@link ClientTlsOptions}: Netty's {@code SslHandler} on the
 * engine of {@link ClientTlsOptions#provider()} for {@code fingerprint = none}, the Bouncy Castle engine of
 * {@code tls.fingerprint} for a browser profile. Both verify alike and report their handshake with the same events,
 * so nothing above the TLS handler knows which one runs.
 *
 * <p>Only the fingerprint path touches Bouncy Castle classes, and only when a profile is configured: with
 * {@code none} the bundle runs without Bouncy Castle installed.
 */
public final class CarrierTlsHandlers {
    /** Makes the handler of one carrier connection. */
    @FunctionalInterface
    private interface Engine {
        ChannelHandler newHandler(ByteBufAllocator allocator, String peerHost, int peerPort);
    }

    private final Engine engine;

    private CarrierTlsHandlers(Engine engine) {
        this.engine = engine;
    }

    /**
     * @throws SSLException when the engine cannot be set up (a trusted-certificates file that does not load: the
     *                      message names it)
     * @throws IllegalStateException when {@link TlsProvider#OPENSSL} is requested but unavailable
     */
    public static CarrierTlsHandlers create(ClientTlsOptions options) throws SSLException {
        Objects.requireNonNull(options, "options");
        if (options.fingerprint().isPresent()) {
            return fingerprint(options);
        }
        SslContext context = ClientSslContexts.create(options);
        return new CarrierTlsHandlers((allocator, host, port) ->
                ClientSslContexts.newHandler(context, options, allocator, host, port));
    }

    // A method of its own, so that FingerprintTls is linked only when a profile is configured.
    private static CarrierTlsHandlers fingerprint(ClientTlsOptions options) throws SSLException {
        FingerprintTls fingerprintTls = FingerprintTls.create(options, options.fingerprint().get());
        return new CarrierTlsHandlers((allocator, host, port) -> fingerprintTls.newHandler(host, port));
    }

    /** The TLS handler for one carrier connection to {@code peerHost:peerPort}. */
    public ChannelHandler newHandler(ByteBufAllocator allocator, String peerHost, int peerPort) {
        return engine.newHandler(allocator, peerHost, peerPort);
    }
}
