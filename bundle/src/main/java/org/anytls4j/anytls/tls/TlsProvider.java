package org.anytls4j.anytls.tls;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;

import java.util.Locale;

/** Which TLS implementation builds the engines. */
public enum TlsProvider {
    /** OpenSSL (netty-tcnative BoringSSL) when its native library loads, otherwise the JDK. */
    AUTO,
    /** The JDK's SSLEngine. It cannot reach a server whose certificate the JDK cannot parse, even when insecure. */
    JDK,
    /** netty-tcnative (BoringSSL); fails when the native library is not available. */
    OPENSSL;

    /** Parses {@code auto}, {@code jdk} or {@code openssl}, ignoring case. */
    public static TlsProvider parse(String value) {
        if (value != null) {
            for (TlsProvider provider : values()) {
                if (provider.name().equalsIgnoreCase(value.strip())) {
                    return provider;
                }
            }
        }
        throw new IllegalArgumentException("TLS provider '" + value + "' is not one of auto, jdk, openssl");
    }

    /**
     * The Netty provider to build contexts with.
     *
     * @throws IllegalStateException for {@link #OPENSSL} when netty-tcnative cannot be loaded; the message carries
     *                               the reason Netty reports
     */
    public SslProvider resolve() {
        switch (this) {
            case JDK:
                return SslProvider.JDK;
            case OPENSSL:
                if (!OpenSsl.isAvailable()) {
                    throw new IllegalStateException("TLS provider 'openssl' requested but netty-tcnative is not "
                            + "available: " + OpenSsl.unavailabilityCause());
                }
                return SslProvider.OPENSSL;
            default:
                return OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
        }
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
