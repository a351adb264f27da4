package org.anytls4j.host.proxy;

import java.util.Objects;
import java.util.Optional;
import org.anytls4j.transport.api.Destination;

/** A parsed {@code CONNECT host:port HTTP/1.x} request: where to, and the raw {@code Proxy-Authorization} value. */
final class HttpConnectRequest {
    private final Destination destination;
    private final String proxyAuthorization;

    HttpConnectRequest(Destination destination, String proxyAuthorization) {
        this.destination = Objects.requireNonNull(destination, "destination");
        this.proxyAuthorization = proxyAuthorization;
    }

    Destination destination() {
        return destination;
    }

    Optional<String> proxyAuthorization() {
        return Optional.ofNullable(proxyAuthorization);
    }

    /** Without the authorization header, which carries a password. */
    @Override
    public String toString() {
        return "CONNECT " + destination;
    }
}
