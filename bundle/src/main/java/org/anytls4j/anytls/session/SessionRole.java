package org.anytls4j.anytls.session;

import org.anytls4j.transport.api.TransportException;

/** What the client or the server end of a session does when its streams and the session itself end. */
interface SessionRole {
    /** The name of the transport or server this session belongs to, for error messages. */
    String transportName();

    /**
     * A stream left the session's table: closed locally, by the peer's FIN, or because the session died (then
     * {@link StreamMultiplexer#closeCause()} is already set). Any FIN is already written.
     */
    void streamClosed(AnyTlsStreamChannel stream);

    /** The session closed for {@code cause}; called once, after every stream was closed. */
    void sessionClosed(TransportException cause);
}
