package org.anytls4j.transport.api.server;

import java.util.Objects;

/**
 * What one configured user did on a server: sessions and payload bytes. Names only, never a credential. Immutable.
 */
public final class UserActivity {
    private final String user;
    private final long sessionsActive;
    private final long sessionsTotal;
    private final long bytesFromClient;
    private final long bytesToClient;

    private UserActivity(String user, long sessionsActive, long sessionsTotal, long bytesFromClient,
            long bytesToClient) {
        this.user = Objects.requireNonNull(user, "user");
        this.sessionsActive = nonNegative("sessionsActive", sessionsActive);
        this.sessionsTotal = nonNegative("sessionsTotal", sessionsTotal);
        this.bytesFromClient = nonNegative("bytesFromClient", bytesFromClient);
        this.bytesToClient = nonNegative("bytesToClient", bytesToClient);
    }

    /**
     * @throws IllegalArgumentException naming the counter, if one is negative
     */
    public static UserActivity of(String user, long sessionsActive, long sessionsTotal, long bytesFromClient,
            long bytesToClient) {
        return new UserActivity(user, sessionsActive, sessionsTotal, bytesFromClient, bytesToClient);
    }

    static long nonNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative, got " + value);
        }
        return value;
    }

    public String user() {
        return user;
    }

    public long sessionsActive() {
        return sessionsActive;
    }

    public long sessionsTotal() {
        return sessionsTotal;
    }

    /** Payload bytes the user's streams sent to the server (counted when a stream closes). */
    public long bytesFromClient() {
        return bytesFromClient;
    }

    /** Payload bytes the server sent to the user's streams (counted when a stream closes). */
    public long bytesToClient() {
        return bytesToClient;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof UserActivity)) {
            return false;
        }
        UserActivity other = (UserActivity) o;
        return user.equals(other.user) && sessionsActive == other.sessionsActive
                && sessionsTotal == other.sessionsTotal && bytesFromClient == other.bytesFromClient
                && bytesToClient == other.bytesToClient;
    }

    @Override
    public int hashCode() {
        return Objects.hash(user, sessionsActive, sessionsTotal, bytesFromClient, bytesToClient);
    }

    @Override
    public String toString() {
        return "User{" + user + " sessions=" + sessionsActive + "/" + sessionsTotal + " bytes=" + bytesFromClient
                + "/" + bytesToClient + "}";
    }
}
