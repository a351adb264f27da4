package org.anytls4j.anytls.session;

import io.netty.channel.Channel;

/**
 * One AnyTLS stream, as a host sees it: a Netty child {@link Channel} of the TLS connection (its session) that carries
 * {@link io.netty.buffer.ByteBuf}s both ways and honours {@code autoRead}, {@code read()} and writability.
 *
 * <p>Its {@link #id()} reads {@code <session id>/<stream id>}, so logs show which session carries it.
 */
public interface AnyTlsStream extends Channel {
    /** The AnyTLS stream id within its session. */
    int streamId();

    /** Which session carries this stream. */
    String sessionId();

    /** Payload bytes received from the peer on this stream. */
    long bytesRead();

    /** Payload bytes handed to the session for sending on this stream. */
    long bytesWritten();
}
