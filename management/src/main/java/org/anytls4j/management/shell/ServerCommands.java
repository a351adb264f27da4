package org.anytls4j.management.shell;

/** What the {@code anytls:server-*} commands share. */
final class ServerCommands {
    /** The server type these commands show: AnyTLS servers. */
    static final String TYPE = "anytls";

    private ServerCommands() {
    }
}
