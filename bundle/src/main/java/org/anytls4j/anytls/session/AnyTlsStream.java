package org.anytls4j.anytls.session;

import io.netty.channel.socket.DuplexChannel;
import io.netty.util.concurrent.Future;

import io.netty.channel.Channel;

/**
 * One AnyTLS stream, as a host sees it: a Netty child {@link Channel} of the TLS connection (its session) that carries
 * {@link io.netty.buffer.ByteBuf}s both ways and honours {@code autoRead}, {@code read()} and writability.
 *
 * <p><b>Half-close is local.</b> AnyTLS cannot tell the peer that one direction ended (a FIN closes the whole
 * stream, §8.4). {@link #shutdownOutput()} therefore sends nothing: it ends this side's writes (later writes fail with
 * {@link io.netty.channel.socket.ChannelOutputShutdownException}) and keeps the stream reading until the peer's FIN or
 * a close, which sends the FIN. {@link #shutdownInput()} is not supported. A relay that must pass a half-close on
 * tells such a channel from a socket by {@code config().getOption(ChannelOption.ALLOW_HALF_CLOSURE)}, which is
 * {@code null} here.
 *
 * <p>Its {@link #id()} reads {@code <session id>/<stream id>}, so logs show which session carries it.
 */
public interface AnyTlsStream extends DuplexChannel {
    /** The AnyTLS stream id within its session. */
    int streamId();

    /** Which session carries this stream. */
    String sessionId();

    /** Payload bytes received from the peer on this stream. */
    long bytesRead();

    /** Payload bytes handed to the session for sending on this stream. */
    long bytesWritten();

    /**
     * Completes once this side writes no more on the stream: its output was shut down ({@link #shutdownOutput()})
     * or the stream closed. From then on the stream holds nothing of its session's sending side; the client pool
     * lends the session to the next stream while this one may still receive (see {@link #shutdownOutput()}).
     */
    Future<Void> writesEnded();
}
