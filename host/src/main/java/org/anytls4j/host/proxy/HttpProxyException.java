package org.anytls4j.host.proxy;

/** An HTTP proxy request that cannot be served, with the status to answer it with. */
final class HttpProxyException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient HttpStatus status;

    HttpProxyException(HttpStatus status, String message) {
        super(message);
        this.status = status;
    }

    HttpStatus status() {
        return status;
    }
}
