package org.anytls4j.host.proxy;

/** The few HTTP statuses an HTTP CONNECT proxy answers with. */
public enum HttpStatus {
    OK(200, "Connection Established"),
    BAD_REQUEST(400, "Bad Request"),
    METHOD_NOT_ALLOWED(405, "Method Not Allowed"),
    PROXY_AUTHENTICATION_REQUIRED(407, "Proxy Authentication Required"),
    REQUEST_HEADER_FIELDS_TOO_LARGE(431, "Request Header Fields Too Large"),
    BAD_GATEWAY(502, "Bad Gateway"),
    SERVICE_UNAVAILABLE(503, "Service Unavailable"),
    GATEWAY_TIMEOUT(504, "Gateway Timeout");

    private final int code;
    private final String phrase;

    HttpStatus(int code, String phrase) {
        this.code = code;
        this.phrase = phrase;
    }

    public int code() {
        return code;
    }

    public String phrase() {
        return phrase;
    }

    /** The status line, e.g. {@code HTTP/1.1 502 Bad Gateway}, without line break. */
    public String statusLine() {
        return "HTTP/1.1 " + code + ' ' + phrase;
    }
}
