package org.anytls4j.anytls.session;

import java.net.SocketAddress;

/** What a server's owner (statistics, logs) hears from its connections; every method runs on an event loop. */
public interface ServerEvents {
    default void authenticated(SocketAddress client, String user) {
    }

    default void authenticationFailed(SocketAddress client, String why) {
    }

    default void fellBack(SocketAddress client) {
    }

    default void sessionClosed(ServerSessionHandler session) {
    }

    default void streamOpened(ServerSessionHandler session, AnyTlsStream stream) {
    }

    default void streamClosed(ServerSessionHandler session, AnyTlsStream stream) {
    }

    ServerEvents NONE = new ServerEvents() {
    };
}
