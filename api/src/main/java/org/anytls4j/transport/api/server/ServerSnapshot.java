package org.anytls4j.transport.api.server;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The state of one inbound server at one moment: where it listens, its connections, sessions, streams, bytes,
 * refused authentications and fallbacks, and its users by name. Immutable; a final class with a builder so that a
 * counter added later breaks no implementation. Bytes are stream payload bytes, counted when a stream closes.
 */
public final class ServerSnapshot {
    private final String name;
    private final String type;
    private final String configuredAddress;
    private final InetSocketAddress listening;
    private final Instant since;
    private final long connectionsAccepted;
    private final long sessionsActive;
    private final long sessionsTotal;
    private final long streamsActive;
    private final long streamsTotal;
    private final long bytesFromClients;
    private final long bytesToClients;
    private final long authenticationFailures;
    private final long fallbacks;
    private final long outboundConnectFailures;
    private final List<UserActivity> users;

    private ServerSnapshot(Builder b) {
        name = b.name;
        type = b.type;
        configuredAddress = b.configuredAddress;
        listening = b.listening;
        since = b.since;
        connectionsAccepted = b.connectionsAccepted;
        sessionsActive = b.sessionsActive;
        sessionsTotal = b.sessionsTotal;
        streamsActive = b.streamsActive;
        streamsTotal = b.streamsTotal;
        bytesFromClients = b.bytesFromClients;
        bytesToClients = b.bytesToClients;
        authenticationFailures = b.authenticationFailures;
        fallbacks = b.fallbacks;
        outboundConnectFailures = b.outboundConnectFailures;
        users = b.users.stream().sorted(Comparator.comparing(UserActivity::user)).toList();
    }

    /**
     * @param name              the server's instance name
     * @param type              the kind of server, e.g. {@code anytls}
     * @param configuredAddress where it is configured to listen, as {@code host:port}
     * @param since             when counting started (the server's start)
     */
    public static Builder builder(String name, String type, String configuredAddress, Instant since) {
        return new Builder(name, type, configuredAddress, since);
    }

    public String name() {
        return name;
    }

    public String type() {
        return type;
    }

    /** The configured listen address, {@code host:port}, whether or not the server listens there yet. */
    public String configuredAddress() {
        return configuredAddress;
    }

    /** The address the server listens on now; empty while it is not listening (port busy, stopping). */
    public Optional<InetSocketAddress> listening() {
        return Optional.ofNullable(listening);
    }

    public Instant since() {
        return since;
    }

    public long connectionsAccepted() {
        return connectionsAccepted;
    }

    /** Authenticated sessions open now. */
    public long sessionsActive() {
        return sessionsActive;
    }

    public long sessionsTotal() {
        return sessionsTotal;
    }

    public long streamsActive() {
        return streamsActive;
    }

    public long streamsTotal() {
        return streamsTotal;
    }

    public long bytesFromClients() {
        return bytesFromClients;
    }

    public long bytesToClients() {
        return bytesToClients;
    }

    /** Connections whose authentication failed (wrong password, timeout, garbage). */
    public long authenticationFailures() {
        return authenticationFailures;
    }

    /** Failed authentications handed to the fallback destination instead of being closed. */
    public long fallbacks() {
        return fallbacks;
    }

    /** Streams whose destination could not be reached. */
    public long outboundConnectFailures() {
        return outboundConnectFailures;
    }

    /** Every configured user that has had a session, sorted by name; unmodifiable. */
    public List<UserActivity> users() {
        return users;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ServerSnapshot)) {
            return false;
        }
        ServerSnapshot other = (ServerSnapshot) o;
        return name.equals(other.name) && type.equals(other.type)
                && configuredAddress.equals(other.configuredAddress) && Objects.equals(listening, other.listening)
                && since.equals(other.since) && connectionsAccepted == other.connectionsAccepted
                && sessionsActive == other.sessionsActive && sessionsTotal == other.sessionsTotal
                && streamsActive == other.streamsActive && streamsTotal == other.streamsTotal
                && bytesFromClients == other.bytesFromClients && bytesToClients == other.bytesToClients
                && authenticationFailures == other.authenticationFailures && fallbacks == other.fallbacks
                && outboundConnectFailures == other.outboundConnectFailures && users.equals(other.users);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, type, configuredAddress, listening, since, connectionsAccepted, sessionsActive,
                sessionsTotal, streamsActive, streamsTotal, bytesFromClients, bytesToClients, authenticationFailures,
                fallbacks, outboundConnectFailures, users);
    }

    @Override
    public String toString() {
        return "Server{" + type + " " + name + " on " + (listening != null ? listening : configuredAddress + " (not listening)")
                + " connections=" + connectionsAccepted + " sessions=" + sessionsActive + "/" + sessionsTotal
                + " streams=" + streamsActive + "/" + streamsTotal + " bytes=" + bytesFromClients + "/"
                + bytesToClients + " authFailures=" + authenticationFailures + " fallbacks=" + fallbacks
                + " users=" + users + "}";
    }

    /** Collects the values of a {@link ServerSnapshot}; not thread-safe. Negative counters are rejected by name. */
    public static final class Builder {
        private final String name;
        private final String type;
        private final String configuredAddress;
        private final Instant since;
        private InetSocketAddress listening;
        private long connectionsAccepted;
        private long sessionsActive;
        private long sessionsTotal;
        private long streamsActive;
        private long streamsTotal;
        private long bytesFromClients;
        private long bytesToClients;
        private long authenticationFailures;
        private long fallbacks;
        private long outboundConnectFailures;
        private List<UserActivity> users = List.of();

        private Builder(String name, String type, String configuredAddress, Instant since) {
            this.name = Objects.requireNonNull(name, "name");
            this.type = Objects.requireNonNull(type, "type");
            this.configuredAddress = Objects.requireNonNull(configuredAddress, "configuredAddress");
            this.since = Objects.requireNonNull(since, "since");
        }

        /** @param address {@code null} while not listening */
        public Builder listening(InetSocketAddress address) {
            listening = address;
            return this;
        }

        public Builder connectionsAccepted(long value) {
            connectionsAccepted = UserActivity.nonNegative("connectionsAccepted", value);
            return this;
        }

        public Builder sessionsActive(long value) {
            sessionsActive = UserActivity.nonNegative("sessionsActive", value);
            return this;
        }

        public Builder sessionsTotal(long value) {
            sessionsTotal = UserActivity.nonNegative("sessionsTotal", value);
            return this;
        }

        public Builder streamsActive(long value) {
            streamsActive = UserActivity.nonNegative("streamsActive", value);
            return this;
        }

        public Builder streamsTotal(long value) {
            streamsTotal = UserActivity.nonNegative("streamsTotal", value);
            return this;
        }

        public Builder bytesFromClients(long value) {
            bytesFromClients = UserActivity.nonNegative("bytesFromClients", value);
            return this;
        }

        public Builder bytesToClients(long value) {
            bytesToClients = UserActivity.nonNegative("bytesToClients", value);
            return this;
        }

        public Builder authenticationFailures(long value) {
            authenticationFailures = UserActivity.nonNegative("authenticationFailures", value);
            return this;
        }

        public Builder fallbacks(long value) {
            fallbacks = UserActivity.nonNegative("fallbacks", value);
            return this;
        }

        public Builder outboundConnectFailures(long value) {
            outboundConnectFailures = UserActivity.nonNegative("outboundConnectFailures", value);
            return this;
        }

        public Builder users(List<UserActivity> activity) {
            users = List.copyOf(Objects.requireNonNull(activity, "users"));
            return this;
        }

        public ServerSnapshot build() {
            return new ServerSnapshot(this);
        }
    }
}
