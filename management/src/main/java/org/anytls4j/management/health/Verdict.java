package org.anytls4j.management.health;

import java.util.Objects;

import org.anytls4j.transport.api.TransportHealth;
import org.anytls4j.transport.api.server.ServerSnapshot;

/** A health verdict free of the Health Check API, so that it can be computed and tested without it. */
public record Verdict(Level level, String message) {
    public enum Level { OK, WARN, CRITICAL }

    public Verdict {
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(message, "message");
    }

    /** UP and UNKNOWN (no traffic yet) are OK, DEGRADED a warning, DOWN critical. */
    public static Verdict of(String transport, TransportHealth health) {
        Level level = switch (health.state()) {
            case UP, UNKNOWN -> Level.OK;
            case DEGRADED -> Level.WARN;
            case DOWN -> Level.CRITICAL;
        };
        return new Verdict(level, "transport " + transport + ": " + health);
    }

    /** A server that does not listen is critical. */
    public static Verdict of(ServerSnapshot server) {
        return server.listening()
                .map(address -> new Verdict(Level.OK, server.type() + " server " + server.name() + " listens on "
                        + address + ", " + server.sessionsActive() + " sessions active"))
                .orElseGet(() -> new Verdict(Level.CRITICAL, server.type() + " server " + server.name()
                        + " is not listening on " + server.configuredAddress()));
    }
}
