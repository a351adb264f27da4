package org.anytls4j.anytls.config;

import java.util.Objects;

/**
 * A user the server accepts. The name is only for logs: on the wire AnyTLS carries the password hash alone.
 *
 * @param name the user name, never secret
 * @param password the user's password
 */
public record ServerUser(String name, Secret password) {

    public ServerUser {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(password, "password");
    }

    /** {@code name:***}: the record's generated form would be fine too, this one is just shorter. */
    @Override
    public String toString() {
        return name + ":" + password;
    }
}
