package org.anytls4j.anytls.session;

import org.anytls4j.transport.api.TransportException;

/** How the owner of client sessions (the pool) learns that a stream ended or a session died. */
public interface ClientSessionListener {
    /** A stream closed while its session stays open; the FIN, if any, is already written. */
    void streamClosed(ClientSessionHandler session, AnyTlsStream stream);

    /** The session closed for {@code cause}; called once, on the session's event loop. */
    void sessionClosed(ClientSessionHandler session, TransportException cause);

    ClientSessionListener NONE = new ClientSessionListener() {
        @Override
        public void streamClosed(ClientSessionHandler session, AnyTlsStream stream) {
        }

        @Override
        public void sessionClosed(ClientSessionHandler session, TransportException cause) {
        }
    };
}
