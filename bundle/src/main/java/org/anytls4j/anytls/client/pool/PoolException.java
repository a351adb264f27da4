package org.anytls4j.anytls.client.pool;

import java.util.Objects;

/** Why the pool could not hand out a session; {@link #kind()} maps onto the transport API's reasons. */
public final class PoolException extends Exception {

    private static final long serialVersionUID = 1L;

    /** The reason, independent of the message text. */
    public enum Kind {
        /** {@code maxSessions} sessions are live or being dialed. */
        EXHAUSTED,
        /** The pool is closed, or was closed while the session was being dialed. */
        SHUT_DOWN,
        /** Dialing a new session failed; the cause says why. */
        DIAL_FAILED
    }

    private final Kind kind;

    public PoolException(Kind kind, String message) {
        this(kind, message, null);
    }

    public PoolException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public Kind kind() {
        return kind;
    }
}
