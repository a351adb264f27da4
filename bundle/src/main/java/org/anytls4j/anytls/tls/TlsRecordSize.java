package org.anytls4j.anytls.tls;

import io.netty.handler.ssl.SslHandler;

import javax.net.ssl.SSLEngine;

/**
 * How many plaintext bytes the carrier's TLS engine puts into one record, so that the session can hand
 * {@link SslHandler} exactly one record per write ({@link RecordAligner}).
 *
 * <p>{@code SslHandler} takes up to its wrap size (16 384 bytes by default) from its queue per record, but the JDK's
 * engine fills a TLS 1.3 record with at most 16 384 - 17 bytes: it reserves one byte for the inner content type and
 * 16 for the zero padding it always adds (seen on the wire, see SslRecordShapeTest, and pinned by
 * TlsRecordSizeTest). The 17 bytes left over would start the next record, which {@code SslHandler} then builds by
 * copying two buffers into one, for every record of a bulk transfer. So for that engine the session lowers
 * {@code SslHandler}'s wrap size to what a record really holds, and cuts its writes to match.
 */
public final class TlsRecordSize {
    /** TLS's maximum plaintext per record (RFC 8446 §5.1), also {@code SslHandler}'s default wrap size. */
    public static final int MAX_PLAINTEXT = 16_384;
    /** The inner content type byte and the 16 zero bytes of padding the JDK adds to every TLS 1.3 record. */
    static final int JDK_TLS13_OVERHEAD = 1 + 16;

    /** The JDK's engine, and Netty's wrappers around it (ALPN). */
    private static final String[] JDK_ENGINE_PREFIXES = {"sun.security.ssl.", "io.netty.handler.ssl.Jdk"};
    private static final String TLS_13 = "TLSv1.3";

    private TlsRecordSize() {
    }

    /**
     * Whether {@code engine} turns every NIO buffer it is given into a record of its own (OpenSSL does: one
     * {@code SSL_write} per buffer), so that one record must be handed over as one contiguous buffer.
     */
    static boolean sealsEachBufferAsRecord(SSLEngine engine) {
        return !isJdkEngine(engine);
    }

    /** Plaintext bytes per record of {@code engine} once its handshake is done. */
    static int plaintextPerRecord(SSLEngine engine) {
        if (isJdkEngine(engine) && TLS_13.equals(engine.getSession().getProtocol())) {
            return MAX_PLAINTEXT - JDK_TLS13_OVERHEAD;
        }
        return MAX_PLAINTEXT;
    }

    private static boolean isJdkEngine(SSLEngine engine) {
        String name = engine.getClass().getName();
        for (String prefix : JDK_ENGINE_PREFIXES) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The record size for the carrier whose TLS handler is {@code tls} (null: no TLS in the pipeline, e.g. in tests),
     * after making {@code tls} cut its records at that size.
     */
    static int configure(SslHandler tls) {
        if (tls == null) {
            return MAX_PLAINTEXT;
        }
        int size = plaintextPerRecord(tls.engine());
        if (size != MAX_PLAINTEXT) {
            tls.setWrapDataSize(size);
        }
        return size;
    }
}
