package org.anytls4j.transport.api;

import java.io.IOException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Why an open failed, or why an open stream broke: the one exception type an outbound transport reports.
 *
 * <p>One class with a {@link Reason} rather than a hierarchy, because a host maps failures with a switch (to a SOCKS5
 * reply or an HTTP status) and a composite transport decides fail-over with {@link #retryable()}. Suggested host
 * mapping: DESTINATION_REFUSED → SOCKS5 0x05 / HTTP 502; DESTINATION_UNREACHABLE and DESTINATION_DNS → 0x04 / 502;
 * TIMEOUT → 0x04 or 0x06 / 504; NETWORK_UNSUPPORTED → 0x07; ADDRESS_UNSUPPORTED → 0x08 / 400;
 * RESOURCE_EXHAUSTED and SHUTDOWN → 0x01 / 503; UPSTREAM_*, SESSION_LOST and INTERNAL → 0x01 / 502;
 * CANCELLED → nothing (the client is gone).
 */
public final class TransportException extends IOException {
    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Reason {
        /** A time limit (the request's open timeout or one of the transport's own) ran out. */
        TIMEOUT,
        /** The caller cancelled the open. */
        CANCELLED,
        /** The transport's server (the carrier's far end) could not be reached. */
        UPSTREAM_UNREACHABLE,
        /** The TLS handshake with the transport's server failed (certificate, protocol version, alert). */
        UPSTREAM_TLS,
        /** The transport's server rejected the credentials. */
        UPSTREAM_AUTH,
        /** The transport's server broke the protocol. */
        UPSTREAM_PROTOCOL,
        /** The destination could not be reached (no route, network unreachable, or an unspecific remote error). */
        DESTINATION_UNREACHABLE,
        /** The destination actively refused the connection. */
        DESTINATION_REFUSED,
        /** The destination's name could not be resolved. */
        DESTINATION_DNS,
        /** The transport does not carry the request's network (TCP or UDP) or UDP mode. */
        NETWORK_UNSUPPORTED,
        /** The transport cannot address this kind of destination (for example IPv6 without IPv6 connectivity). */
        ADDRESS_UNSUPPORTED,
        /** A limit of the transport was reached (sessions, pending opens, memory). */
        RESOURCE_EXHAUSTED,
        /** The carrier session broke under the stream. */
        SESSION_LOST,
        /** The transport is shutting down or has been deactivated. */
        SHUTDOWN,
        /** A bug or an unexpected condition inside the transport. */
        INTERNAL
    }

    /** How far the open had come, in order; fail-over is only safe while nothing can have reached the destination. */
    public enum Phase {
        /** Waiting for a free slot or session, before any I/O of this request. */
        QUEUE,
        /** Connecting the carrier (TCP to the transport's server). */
        CARRIER_CONNECT,
        /** Securing and authenticating the carrier (TLS, protocol authentication). */
        CARRIER_HANDSHAKE,
        /** Opening the stream on an established carrier. */
        STREAM_OPEN,
        /** The far end connecting to the destination. */
        REMOTE_CONNECT,
        /** After the open succeeded: payload may have reached the destination. */
        DATA
    }

    private final Reason reason;
    private final Phase phase;
    private final String transportName;
    private final String detail;
    private final String remoteMessage;

    /**
     * @param transportName {@code transport.name} of the transport that failed
     * @param message       what happened, in words; {@code null} for none
     * @param cause         the underlying exception, or {@code null}
     */
    public TransportException(Reason reason, Phase phase, String transportName, String message, Throwable cause) {
        this(reason, phase, transportName, message, null, cause);
    }

    private TransportException(Reason reason, Phase phase, String transportName, String message,
            String remoteMessage, Throwable cause) {
        super(compose(reason, phase, transportName, message, remoteMessage), cause);
        this.reason = reason;
        this.phase = phase;
        this.transportName = transportName;
        this.detail = message;
        this.remoteMessage = remoteMessage;
    }

    private static String compose(Reason reason, Phase phase, String transportName, String message,
            String remoteMessage) {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(transportName, "transportName");
        StringBuilder text = new StringBuilder()
                .append(reason).append(" in ").append(phase).append(" on transport '").append(transportName)
                .append('\'');
        if (message != null && !message.isEmpty()) {
            text.append(": ").append(message);
        }
        if (remoteMessage != null) {
            text.append(" (remote: ").append(remoteMessage).append(')');
        }
        return text.toString();
    }

    /** Starts an exception that may carry a remote message. */
    public static Builder builder(Reason reason, Phase phase, String transportName) {
        return new Builder(reason, phase, transportName);
    }

    /**
     * The far end could not reach the destination and said why, in {@code remoteText} (for AnyTLS, the error text
     * of a SYNACK). The reason comes from {@link #fromRemoteError(String)}; the raw text is kept in
     * {@link #remoteMessage()}.
     */
    public static TransportException remoteError(String transportName, String remoteText) {
        Objects.requireNonNull(remoteText, "remoteText");
        return builder(fromRemoteError(remoteText), Phase.REMOTE_CONNECT, transportName)
                .message("the far end could not connect to the destination")
                .remoteMessage(remoteText)
                .build();
    }

    /**
     * Maps the text of a Go {@code net} error (what anytls-go and sing-box servers report) to a reason. The
     * texts are not a stable interface, so this matches substrings heuristically; anything unrecognised is
     * {@link Reason#DESTINATION_UNREACHABLE}, the reason least likely to mislead a client.
     *
     * <p>Order matters: "lookup example.com: i/o timeout" is reported as {@link Reason#TIMEOUT}, because the time
     * limit is the actionable fact, while other "lookup ..." failures (such as "server misbehaving") are
     * {@link Reason#DESTINATION_DNS}.
     */
    public static Reason fromRemoteError(String text) {
        if (text == null) {
            return Reason.DESTINATION_UNREACHABLE;
        }
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.contains("connection refused")) {
            return Reason.DESTINATION_REFUSED;
        }
        if (lower.contains("no such host")) {
            return Reason.DESTINATION_DNS;
        }
        if (lower.contains("i/o timeout") || lower.contains("timed out") || lower.contains("timeout")) {
            return Reason.TIMEOUT;
        }
        if (lower.contains("lookup ")) {
            return Reason.DESTINATION_DNS;
        }
        return Reason.DESTINATION_UNREACHABLE;
    }

    public Reason reason() {
        return reason;
    }

    public Phase phase() {
        return phase;
    }

    /** {@code transport.name} of the transport that reported the failure. */
    public String transportName() {
        return transportName;
    }

    /** The message without reason, phase and transport name; empty if there was none. */
    public String detail() {
        return detail == null ? "" : detail;
    }

    /** The error text the far end sent, verbatim, when it sent one. */
    public Optional<String> remoteMessage() {
        return Optional.ofNullable(remoteMessage);
    }

    /**
     * Whether the same request may be tried again, on this or another transport, without risk that payload
     * reached the destination twice: true in the phases up to and including {@link Phase#STREAM_OPEN}, and for
     * {@link Reason#SHUTDOWN} and {@link Reason#RESOURCE_EXHAUSTED} (the request was never served); never in
     * {@link Phase#DATA}, and never for {@link Reason#CANCELLED} (nobody is waiting for a retry).
     */
    public boolean retryable() {
        if (reason == Reason.CANCELLED || phase == Phase.DATA) {
            return false;
        }
        return phase.compareTo(Phase.STREAM_OPEN) <= 0
                || reason == Reason.SHUTDOWN
                || reason == Reason.RESOURCE_EXHAUSTED;
    }

    /** Collects the fields of a {@link TransportException}; not thread-safe. */
    public static final class Builder {
        private final Reason reason;
        private final Phase phase;
        private final String transportName;
        private String message;
        private String remoteMessage;
        private Throwable cause;

        private Builder(Reason reason, Phase phase, String transportName) {
            this.reason = Objects.requireNonNull(reason, "reason");
            this.phase = Objects.requireNonNull(phase, "phase");
            this.transportName = Objects.requireNonNull(transportName, "transportName");
        }

        public Builder message(String message) {
            this.message = message;
            return this;
        }

        /** The error text the far end sent, kept verbatim. */
        public Builder remoteMessage(String remoteMessage) {
            this.remoteMessage = remoteMessage;
            return this;
        }

        public Builder cause(Throwable cause) {
            this.cause = cause;
            return this;
        }

        public TransportException build() {
            return new TransportException(reason, phase, transportName, message, remoteMessage, cause);
        }
    }
}
