package org.anytls4j.anytls.config;

/** Which TLS implementation to use; configured as {@code auto}, {@code jdk} or {@code openssl}. */
public enum TlsProvider {
    /** OpenSSL (netty-tcnative BoringSSL) when it is available, else the JDK. */
    AUTO,
    /** The JDK's SSLEngine. */
    JDK,
    /** OpenSSL through netty-tcnative; activation fails when it is not available. */
    OPENSSL
}
