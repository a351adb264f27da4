package org.anytls4j.transport.api.server;

/** Service properties of a {@link ServerView} service. */
public final class ServerConstants {
    /** String: the server's instance name; equals {@link ServerView#name()}. */
    public static final String SERVER_NAME = "server.name";
    /** String: the kind of server, e.g. {@code anytls}; equals {@link ServerView#type()}. */
    public static final String SERVER_TYPE = "server.type";

    private ServerConstants() {
    }
}
