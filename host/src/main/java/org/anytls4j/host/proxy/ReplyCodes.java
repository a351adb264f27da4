package org.anytls4j.host.proxy;

import io.netty.handler.codec.socksx.v5.Socks5CommandStatus;
import java.util.Optional;
import org.anytls4j.transport.api.TransportException.Reason;

/**
 * What a client is told when an open fails: the SOCKS5 reply code (RFC 1928 §6) and the HTTP CONNECT status for
 * each {@link Reason}, as in the mapping table of the SPI design (§4.5).
 *
 * <p>Two choices the table leaves open:
 * <ul>
 *   <li>{@link Reason#TIMEOUT} is SOCKS5 0x04 (host unreachable), not 0x06 (TTL expired): RFC 1928 means the IP
 *       time-to-live by 0x06, and a client showing "TTL expired" for a connect timeout would mislead its user,
 *       while "host unreachable" is what a timed-out connect means to them.</li>
 *   <li>{@link Reason#NETWORK_UNSUPPORTED} has no HTTP status in the table (HTTP CONNECT is always TCP); a
 *       transport that cannot carry TCP is a broken gateway from the client's point of view, so 502.</li>
 * </ul>
 * {@link Reason#CANCELLED} maps to nothing: the client went away, there is nobody to answer.
 */
public final class ReplyCodes {
    private ReplyCodes() {
    }

    /** The SOCKS5 reply for a failed open; empty for {@link Reason#CANCELLED}. */
    public static Optional<Socks5CommandStatus> socks5(Reason reason) {
        switch (reason) {
            case DESTINATION_REFUSED:
                return Optional.of(Socks5CommandStatus.CONNECTION_REFUSED);
            case DESTINATION_UNREACHABLE:
            case DESTINATION_DNS:
            case TIMEOUT:
                return Optional.of(Socks5CommandStatus.HOST_UNREACHABLE);
            case NETWORK_UNSUPPORTED:
                return Optional.of(Socks5CommandStatus.COMMAND_UNSUPPORTED);
            case ADDRESS_UNSUPPORTED:
                return Optional.of(Socks5CommandStatus.ADDRESS_UNSUPPORTED);
            case RESOURCE_EXHAUSTED:
            case SHUTDOWN:
            case UPSTREAM_UNREACHABLE:
            case UPSTREAM_TLS:
            case UPSTREAM_AUTH:
            case UPSTREAM_PROTOCOL:
            case SESSION_LOST:
            case INTERNAL:
                return Optional.of(Socks5CommandStatus.FAILURE);
            case CANCELLED:
                return Optional.empty();
            default:
                throw new IllegalArgumentException("No SOCKS5 reply for reason " + reason);
        }
    }

    /** The HTTP CONNECT status for a failed open; empty for {@link Reason#CANCELLED}. */
    public static Optional<HttpStatus> http(Reason reason) {
        switch (reason) {
            case DESTINATION_REFUSED:
            case DESTINATION_UNREACHABLE:
            case DESTINATION_DNS:
            case NETWORK_UNSUPPORTED:
            case UPSTREAM_UNREACHABLE:
            case UPSTREAM_TLS:
            case UPSTREAM_AUTH:
            case UPSTREAM_PROTOCOL:
            case SESSION_LOST:
            case INTERNAL:
                return Optional.of(HttpStatus.BAD_GATEWAY);
            case TIMEOUT:
                return Optional.of(HttpStatus.GATEWAY_TIMEOUT);
            case ADDRESS_UNSUPPORTED:
                return Optional.of(HttpStatus.BAD_REQUEST);
            case RESOURCE_EXHAUSTED:
            case SHUTDOWN:
                return Optional.of(HttpStatus.SERVICE_UNAVAILABLE);
            case CANCELLED:
                return Optional.empty();
            default:
                throw new IllegalArgumentException("No HTTP status for reason " + reason);
        }
    }
}
