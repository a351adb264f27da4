package org.anytls4j.anytls.wire;

import io.netty.handler.codec.DecoderException;

/**
 * Bytes received from the peer that do not follow the wire format: an unknown address type, an empty or invalid
 * domain, a malformed UDP-over-TCP header.
 *
 * <p>Unchecked and a {@link DecoderException} on purpose: it is thrown while decoding inside a channel pipeline,
 * where Netty already reports decoder failures through {@code exceptionCaught}; the handler that catches it closes
 * the one stream whose payload was bad, not the session.
 */
public final class WireFormatException extends DecoderException {

    private static final long serialVersionUID = 1L;

    public WireFormatException(String message) {
        super(message);
    }
}
